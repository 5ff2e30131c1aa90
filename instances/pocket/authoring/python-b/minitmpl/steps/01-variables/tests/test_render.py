from dataclasses import dataclass

import pytest

from minitmpl import Template, TemplateSyntaxError, UndefinedError, render


@dataclass
class User:
    name: str
    _secret: str = "hunter2"


def test_plain_text():
    assert render("no tags here") == "no tags here"


def test_variable():
    assert render("Hello {{ name }}!", name="Ada") == "Hello Ada!"


def test_variables_from_mapping_and_keywords():
    assert render("{{ a }}{{ b }}", {"a": 1}, b=2) == "12"


def test_dotted_lookup_in_dicts_lists_and_objects():
    data = {"user": User("Ada"), "teams": [{"name": "core"}, {"name": "docs"}]}
    assert render("{{ user.name }} / {{ teams.1.name }}", data) == "Ada / docs"


def test_private_attributes_are_hidden():
    assert render("[{{ user._secret }}]", user=User("Ada")) == "[]"


def test_literals():
    assert render("{{ 'single' }} {{ \"double\" }} {{ 42 }} {{ true }}") == "single double 42 True"


def test_missing_variable_renders_empty():
    assert render("[{{ nope }}][{{ user.nope }}][{{ nope.deeper }}]", user=User("Ada")) == "[][][]"


def test_none_renders_empty():
    assert render("[{{ value }}]", value=None) == "[]"


def test_strict_mode_names_missing_variable():
    with pytest.raises(UndefinedError, match="'user.email' is undefined"):
        Template("{{ user.email }}", strict=True).render(user={"name": "Ada"})


def test_comments_are_dropped():
    assert render("a{# hidden #}b") == "ab"


def test_invalid_expression():
    with pytest.raises(TemplateSyntaxError):
        Template("{{ 1abc }}")


def test_template_renders_many_times():
    t = Template("{{ n }}")
    assert [t.render(n=i) for i in range(3)] == ["0", "1", "2"]
