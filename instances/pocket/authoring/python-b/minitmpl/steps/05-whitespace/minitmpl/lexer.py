"""Splits template source into text, variable, block and comment tokens.

A "-" just inside a tag's delimiter (`{%- if x -%}`, `{{- x }}`, `{#- note -#}`) strips the
whitespace, newlines included, of the text on that side of the tag.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .errors import TemplateSyntaxError

_TAG_RE = re.compile(
    r"(?P<open>\{\{|\{%|\{#)(?P<lstrip>-?)(?P<body>.*?)(?P<rstrip>-?)(?P<close>\}\}|%\}|#\})", re.DOTALL
)
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_KINDS = {"{{": "var", "{%": "block", "{#": "comment"}


class Token(NamedTuple):
    kind: str  # "text", "var", "block" or "comment"
    value: str
    line: int


def _line(source: str, pos: int) -> int:
    return source.count("\n", 0, pos) + 1


def _text_token(source: str, start: int, end: int, lstrip: bool, rstrip: bool) -> list[Token]:
    text = source[start:end]
    for opener in _CLOSERS:
        if opener in text:
            raise TemplateSyntaxError(f"line {_line(source, start + text.index(opener))}: unclosed {opener!r}")
    if lstrip:
        text = text.lstrip()
    if rstrip:
        text = text.rstrip()
    return [Token("text", text, _line(source, start))] if text else []


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    strip_next = False
    for match in _TAG_RE.finditer(source):
        tokens += _text_token(source, pos, match.start(), strip_next, bool(match["lstrip"]))
        opener, line = match["open"], _line(source, match.start())
        if match["close"] != _CLOSERS[opener]:
            raise TemplateSyntaxError(f"line {line}: {opener!r} closed by {match['close']!r}")
        tokens.append(Token(_KINDS[opener], match["body"].strip(), line))
        strip_next = bool(match["rstrip"])
        pos = match.end()
    tokens += _text_token(source, pos, len(source), strip_next, False)
    return tokens
