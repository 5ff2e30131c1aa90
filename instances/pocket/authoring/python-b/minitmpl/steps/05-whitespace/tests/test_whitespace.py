from minitmpl import render
from minitmpl.lexer import Token, tokenize


def test_whitespace_kept_by_default():
    assert render("a\n{% if x %}\nb\n{% endif %}\n", x=True) == "a\n\nb\n\n"


def test_strip_before():
    assert render("a   \n  {{- x }}", x="b") == "ab"


def test_strip_after():
    assert render("{{ x -}}  \n\t b", x="a") == "ab"


def test_strip_both_sides_of_blocks():
    source = "<ul>\n  {%- for x in xs %}\n  <li>{{ x }}</li>\n  {%- endfor %}\n</ul>"
    assert render(source, xs=[1, 2]) == "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>"


def test_strip_around_comments():
    assert render("a \n{#- note -#}\n b") == "ab"


def test_dash_not_part_of_the_expression():
    assert tokenize("{{- x -}}") == [Token("var", "x", 1)]


def test_whitespace_only_text_disappears():
    assert render("{{ a -}}   {{- b }}", a=1, b=2) == "12"
