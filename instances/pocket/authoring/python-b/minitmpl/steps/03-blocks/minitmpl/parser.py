"""Turns tokens into a tree of nodes: text, output, if and for blocks."""

from __future__ import annotations

import re
from typing import NamedTuple, Union

from .errors import TemplateSyntaxError
from .expr import Expression, parse_expression
from .lexer import Token

_FOR_RE = re.compile(r"([A-Za-z_]\w*)\s+in\s+(.+)", re.DOTALL)


class Text(NamedTuple):
    text: str


class Output(NamedTuple):
    expression: Expression


class Condition(NamedTuple):
    expression: Expression
    negated: bool


class If(NamedTuple):
    branches: list[tuple[Condition, list]]  # the "if" and each "elif", in order
    else_body: list


class For(NamedTuple):
    target: str
    iterable: Expression
    body: list
    else_body: list


Node = Union[Text, Output, If, For]


def _parse_condition(text: str) -> Condition:
    negated = text.startswith("not ")
    return Condition(parse_expression(text[4:] if negated else text), negated)


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.pos = 0

    def parse_body(self, ends: tuple[str, ...]) -> tuple[list[Node], Token | None]:
        """Nodes up to the first block tag whose keyword is in `ends`, and that tag."""
        nodes: list[Node] = []
        while self.pos < len(self.tokens):
            token = self.tokens[self.pos]
            self.pos += 1
            if token.kind == "text":
                nodes.append(Text(token.value))
            elif token.kind == "var":
                nodes.append(Output(parse_expression(token.value)))
            elif token.kind == "block":
                keyword = token.value.split(None, 1)[0] if token.value else ""
                if keyword in ends:
                    return nodes, token
                if keyword == "if":
                    nodes.append(self.parse_if(token))
                elif keyword == "for":
                    nodes.append(self.parse_for(token))
                else:
                    raise TemplateSyntaxError(f"line {token.line}: unexpected tag {keyword!r}")
        if ends:
            raise TemplateSyntaxError(f"unexpected end of template, expected {' or '.join(ends)}")
        return nodes, None

    def parse_if(self, token: Token) -> If:
        branches = []
        condition = _parse_condition(token.value[2:].strip())
        while True:
            body, end = self.parse_body(("elif", "else", "endif"))
            branches.append((condition, body))
            if end.value.startswith("elif"):
                condition = _parse_condition(end.value[4:].strip())
                continue
            if end.value == "else":
                else_body, _ = self.parse_body(("endif",))
                return If(branches, else_body)
            return If(branches, [])

    def parse_for(self, token: Token) -> For:
        match = _FOR_RE.fullmatch(token.value[3:].strip())
        if match is None:
            raise TemplateSyntaxError(f"line {token.line}: expected 'for <name> in <expression>'")
        body, end = self.parse_body(("else", "endfor"))
        else_body = self.parse_body(("endfor",))[0] if end.value == "else" else []
        return For(match[1], parse_expression(match[2]), body, else_body)


def parse(tokens: list[Token]) -> list[Node]:
    return _Parser([t for t in tokens if t.kind != "comment"]).parse_body(())[0]
