"""Expressions inside {{ }}: a dotted variable path or a literal."""

from __future__ import annotations

import re
from typing import NamedTuple

from .errors import TemplateSyntaxError
from .runtime import Context

_PATH_RE = re.compile(r"[A-Za-z_]\w*(?:\.\w+)*")
_INT_RE = re.compile(r"-?\d+")
_CONSTANTS = {"true": True, "false": False, "none": None}


class Literal(NamedTuple):
    value: object

    def evaluate(self, context: Context):
        return self.value


class Path(NamedTuple):
    parts: tuple[str, ...]

    def evaluate(self, context: Context):
        return context.lookup(self.parts)


def parse_operand(text: str) -> Literal | Path:
    text = text.strip()
    if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]:
        return Literal(text[1:-1])
    if _INT_RE.fullmatch(text):
        return Literal(int(text))
    if text in _CONSTANTS:
        return Literal(_CONSTANTS[text])
    if _PATH_RE.fullmatch(text):
        return Path(tuple(text.split(".")))
    raise TemplateSyntaxError(f"invalid expression: {text!r}")


def parse_expression(text: str) -> Literal | Path:
    return parse_operand(text)
