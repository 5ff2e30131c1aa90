import pytest

from minitmpl import Template, TemplateSyntaxError, render


def test_upper_lower_title_capitalize():
    assert render("{{ s | upper }} {{ s | lower }} {{ s | title }} {{ s | capitalize }}", s="hello World") == (
        "HELLO WORLD hello world Hello World Hello world"
    )


def test_filter_chain():
    assert render("{{ name | trim | upper }}", name="  ada ") == "ADA"


def test_default_for_missing_value():
    assert render("{{ nickname | default('N/A') }}") == "N/A"
    assert render("{{ nickname | default('N/A') }}", nickname="ace") == "ace"


def test_default_keeps_false_values_unless_boolean():
    assert render("{{ count | default(1) }}", count=0) == "0"
    assert render("{{ count | default(1, true) }}", count=0) == "1"


def test_join_and_length():
    assert render("{{ tags | join('-') }} ({{ tags | length }})", tags=["a", "b", "c"]) == "a-b-c (3)"


def test_replace():
    assert render('{{ path | replace("/", ".") }}', path="a/b/c") == "a.b.c"


def test_truncate():
    assert render("{{ s | truncate(8) }}", s="abcdefghijkl") == "abcde..."
    assert render("{{ s | truncate(8) }}", s="short") == "short"
    assert render("{{ s | truncate(5, '~') }}", s="abcdefghijkl") == "abcd~"


def test_first_and_last():
    assert render("{{ xs | first }}{{ xs | last }}", xs=[1, 2, 3]) == "13"


def test_filter_argument_from_variable():
    assert render("{{ name | default(fallback) }}", fallback="guest") == "guest"


def test_unknown_filter():
    with pytest.raises(TemplateSyntaxError, match="unknown filter: 'shout'"):
        Template("{{ x | shout }}")
