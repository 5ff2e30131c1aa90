"""Splits template source into text, variable and comment tokens."""

from __future__ import annotations

import re
from typing import NamedTuple

from .errors import TemplateSyntaxError

_TAG_RE = re.compile(r"(?P<open>\{\{|\{#)(?P<body>.*?)(?P<close>\}\}|#\})", re.DOTALL)
_CLOSERS = {"{{": "}}", "{#": "#}"}
_KINDS = {"{{": "var", "{#": "comment"}


class Token(NamedTuple):
    kind: str  # "text", "var" or "comment"
    value: str
    line: int


def _line(source: str, pos: int) -> int:
    return source.count("\n", 0, pos) + 1


def _text_token(source: str, start: int, end: int) -> list[Token]:
    text = source[start:end]
    for opener in _CLOSERS:
        if opener in text:
            raise TemplateSyntaxError(f"line {_line(source, start + text.index(opener))}: unclosed {opener!r}")
    return [Token("text", text, _line(source, start))] if text else []


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    for match in _TAG_RE.finditer(source):
        tokens += _text_token(source, pos, match.start())
        opener, line = match["open"], _line(source, match.start())
        if match["close"] != _CLOSERS[opener]:
            raise TemplateSyntaxError(f"line {line}: {opener!r} closed by {match['close']!r}")
        tokens.append(Token(_KINDS[opener], match["body"].strip(), line))
        pos = match.end()
    tokens += _text_token(source, pos, len(source))
    return tokens
