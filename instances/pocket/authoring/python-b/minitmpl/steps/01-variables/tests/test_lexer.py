import pytest

from minitmpl import TemplateSyntaxError
from minitmpl.lexer import Token, tokenize


def test_text_only():
    assert tokenize("hello") == [Token("text", "hello", 1)]


def test_variable_between_text():
    assert tokenize("a {{ x }} b") == [
        Token("text", "a ", 1),
        Token("var", "x", 1),
        Token("text", " b", 1),
    ]


def test_line_numbers():
    tokens = tokenize("one\ntwo {{ x }}\n{# note #}")
    assert [(t.kind, t.line) for t in tokens] == [("text", 1), ("var", 2), ("text", 2), ("comment", 3)]


def test_unclosed_variable():
    with pytest.raises(TemplateSyntaxError, match="line 2"):
        tokenize("ok\n{{ x")


def test_mismatched_delimiters():
    with pytest.raises(TemplateSyntaxError):
        tokenize("{{ x #}")
