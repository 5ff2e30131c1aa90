"""Expressions inside tags: a dotted variable path or a literal, then filters: `name | default("x") | upper`."""

from __future__ import annotations

import re
from typing import NamedTuple

from .errors import TemplateSyntaxError
from .filters import FILTERS
from .runtime import Context

_PATH_RE = re.compile(r"[A-Za-z_]\w*(?:\.\w+)*")
_INT_RE = re.compile(r"-?\d+")
_FILTER_RE = re.compile(r"(\w+)\s*(?:\((.*)\))?", re.DOTALL)
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


class Expression(NamedTuple):
    operand: Literal | Path
    filters: tuple[tuple[str, tuple[Literal | Path, ...]], ...]

    def evaluate(self, context: Context):
        value = self.operand.evaluate(context)
        for name, args in self.filters:
            value = FILTERS[name](value, *(arg.evaluate(context) for arg in args))
        return value


def _parse_filter(text: str) -> tuple[str, tuple[Literal | Path, ...]]:
    match = _FILTER_RE.fullmatch(text.strip())
    if match is None:
        raise TemplateSyntaxError(f"invalid filter: {text.strip()!r}")
    name, arglist = match.groups()
    if name not in FILTERS:
        raise TemplateSyntaxError(f"unknown filter: {name!r}")
    if arglist is None or not arglist.strip():
        return name, ()
    return name, tuple(parse_operand(arg) for arg in arglist.split(","))


def parse_expression(text: str) -> Expression:
    operand, *filters = text.split("|")
    return Expression(parse_operand(operand), tuple(_parse_filter(f) for f in filters))
