"""Templates: parsed once, rendered many times."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Optional

from .errors import UndefinedError
from .expr import parse_expression
from .lexer import tokenize
from .runtime import Context, Undefined


class Template:
    def __init__(self, source: str, *, strict: bool = False):
        self.source = source
        self.strict = strict
        self._parts = [
            token.value if token.kind == "text" else parse_expression(token.value)
            for token in tokenize(source)
            if token.kind != "comment"
        ]

    def render(self, variables: Optional[Mapping] = None, /, **kwargs) -> str:
        context = Context({**(variables or {}), **kwargs})
        return "".join(
            part if isinstance(part, str) else self._finalize(part.evaluate(context)) for part in self._parts
        )

    def _finalize(self, value) -> str:
        if isinstance(value, Undefined):
            if self.strict:
                raise UndefinedError(f"{value.name!r} is undefined")
            return ""
        if value is None:
            return ""
        return str(value)


def render(source: str, variables: Optional[Mapping] = None, /, **kwargs) -> str:
    return Template(source).render(variables, **kwargs)
