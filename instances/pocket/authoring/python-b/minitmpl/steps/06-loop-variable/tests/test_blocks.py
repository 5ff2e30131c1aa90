import pytest

from minitmpl import Template, TemplateSyntaxError, UndefinedError, render


def test_if():
    t = Template("{% if user %}Hi {{ user }}{% endif %}!")
    assert t.render(user="Ada") == "Hi Ada!"
    assert t.render() == "!"


def test_if_not():
    assert render("{% if not items %}empty{% endif %}", items=[]) == "empty"


def test_elif_and_else():
    t = Template("{% if n %}{{ n }}{% elif fallback %}{{ fallback }}{% else %}none{% endif %}")
    assert t.render(n=3) == "3"
    assert t.render(fallback="f") == "f"
    assert t.render() == "none"


def test_for():
    assert render("{% for x in xs %}[{{ x }}]{% endfor %}", xs=[1, 2, 3]) == "[1][2][3]"


def test_for_else():
    assert render("{% for x in xs %}{{ x }}{% else %}no items{% endfor %}", xs=[]) == "no items"


def test_for_over_mapping_gives_keys():
    assert render("{% for k in d %}{{ k }};{% endfor %}", d={"a": 1, "b": 2}) == "a;b;"


def test_nested_blocks():
    t = Template(
        "{% for team in teams %}{{ team.name }}:"
        "{% for m in team.members %}{% if m.lead %}*{% endif %}{{ m.name }} {% endfor %}"
        "{% endfor %}"
    )
    teams = [{"name": "core", "members": [{"name": "ada", "lead": True}, {"name": "bob"}]}]
    assert t.render(teams=teams) == "core:*ada bob "


def test_loop_variable_shadows_and_is_restored():
    assert render("{{ x }}{% for x in xs %}{{ x }}{% endfor %}{{ x }}", x="o", xs=[1, 2]) == "o12o"


def test_loop_variable():
    t = Template(
        "{% for x in xs %}{{ loop.index }}/{{ loop.length }}:{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}"
    )
    assert t.render(xs="abc") == "1/3:a, 2/3:b, 3/3:c"


def test_loop_first_and_index0():
    assert render("{% for x in xs %}{% if loop.first %}>{% endif %}{{ loop.index0 }}{% endfor %}", xs=[7, 8]) == ">01"


def test_nested_loops_have_their_own_loop_variable():
    t = Template("{% for row in rows %}{% for c in row %}{{ loop.index }}{% endfor %}{{ loop.index }};{% endfor %}")
    assert t.render(rows=[[1, 2], [3]]) == "121;12;"


def test_missing_iterable_renders_else_unless_strict():
    assert render("{% for x in nope %}{{ x }}{% else %}-{% endfor %}") == "-"
    with pytest.raises(UndefinedError):
        Template("{% for x in nope %}{% endfor %}", strict=True).render()


@pytest.mark.parametrize(
    "source",
    ["{% if x %}", "{% for x in xs %}{% endif %}", "{% endif %}", "{% for x %}{% endfor %}", "{% while x %}"],
    ids=["unclosed-if", "mismatched-end", "stray-end", "for-without-in", "unknown-tag"],
)
def test_malformed_blocks(source):
    with pytest.raises(TemplateSyntaxError):
        Template(source)
