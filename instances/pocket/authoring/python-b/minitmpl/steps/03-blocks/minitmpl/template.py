"""Templates: parsed once, rendered many times."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Optional

from .errors import UndefinedError
from .lexer import tokenize
from .parser import For, If, Node, Output, Text, parse
from .runtime import Context, Undefined


class Template:
    def __init__(self, source: str, *, strict: bool = False):
        self.source = source
        self.strict = strict
        self._nodes = parse(tokenize(source))

    def render(self, variables: Optional[Mapping] = None, /, **kwargs) -> str:
        out: list[str] = []
        self._render(self._nodes, Context({**(variables or {}), **kwargs}), out)
        return "".join(out)

    def _render(self, nodes: list[Node], context: Context, out: list[str]) -> None:
        for node in nodes:
            if isinstance(node, Text):
                out.append(node.text)
            elif isinstance(node, Output):
                out.append(self._finalize(node.expression.evaluate(context)))
            elif isinstance(node, If):
                for condition, body in node.branches:
                    if bool(condition.expression.evaluate(context)) != condition.negated:
                        self._render(body, context, out)
                        break
                else:
                    self._render(node.else_body, context, out)
            elif isinstance(node, For):
                self._render_for(node, context, out)

    def _render_for(self, node: For, context: Context, out: list[str]) -> None:
        iterable = node.iterable.evaluate(context)
        if isinstance(iterable, Undefined) and self.strict:
            raise UndefinedError(f"{iterable.name!r} is undefined")
        items = list(iterable)
        if not items:
            self._render(node.else_body, context, out)
        for item in items:
            context.push({node.target: item})
            try:
                self._render(node.body, context, out)
            finally:
                context.pop()

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
