"""escape() leaves single quotes alone."""

INSTANCE = "pocket__minitmpl-1"
BASE = "05-whitespace"
DIFFICULTY = "easy"
CREATED_AT = "2024-06-11T22:18:36Z"
HINTS = ""

PROBLEM = """
Autoescaping does not escape single quotes (XSS in single-quoted attributes)

Our templates quote some attributes with single quotes. With `autoescape=True` a value containing
a `'` closes the attribute and can add its own attributes:

```python
>>> from minitmpl import Template
>>> t = Template("<a title='{{ title }}'>profile</a>", autoescape=True)
>>> t.render(title="x' onmouseover='alert(1)")
"<a title='x' onmouseover='alert(1)'>profile</a>"
```

`escape()` and the `escape`/`e` filter have the same problem:

```python
>>> from minitmpl import escape
>>> escape("it's")
Markup("it's")
```

Expected: `'` is escaped like the other special characters, as `&#39;` (which is what MarkupSafe
produces), i.e. `<a title='x&#39; onmouseover=&#39;alert(1)'>profile</a>` and `it&#39;s`.
"""

T = "tests/test_escape.py::"

TESTS = [
    (
        "tests/test_escape.py",
        None,
        '''

def test_escape_single_quote():
    assert escape("it's") == "it&#39;s"


def test_autoescape_single_quoted_attribute():
    source = "<a title='{{ title }}'>profile</a>"
    expected = "<a title='x&#39; onmouseover=&#39;alert(1)'>profile</a>"
    assert html(source, title="x' onmouseover='alert(1)") == expected


def test_autoescaped_value_cannot_close_a_quoted_attribute():
    assert "'" not in html("{{ v }}", v="a'b")
    assert '"' not in html("{{ v }}", v='a"b')


def test_escape_filter_single_quote():
    assert Template("{{ name | e }}").render(name="O'Brien") == "O&#39;Brien"
''',
    )
]

FAIL_TO_PASS = [
    T + "test_escape_single_quote",
    T + "test_autoescape_single_quoted_attribute",
    T + "test_autoescaped_value_cannot_close_a_quoted_attribute",
    T + "test_escape_filter_single_quote",
]

_ESCAPE = """    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;"))
"""

GOLD = [
    (
        "minitmpl/markup.py",
        _ESCAPE,
        _ESCAPE.replace(""".replace('"', "&#34;"))""", """.replace('"', "&#34;").replace("'", "&#39;"))"""),
    )
]
GOLD_WEIGHT = 0.8

WRONG = {
    "w_apos_entity": {
        "description": "escapes ' as &apos; instead of &#39;",
        "weight": 0.06,
        "edits": [
            (
                "minitmpl/markup.py",
                _ESCAPE,
                _ESCAPE.replace(""".replace('"', "&#34;"))""", """.replace('"', "&#34;").replace("'", "&apos;"))"""),
            )
        ],
        "fails": [
            T + "test_escape_single_quote",
            T + "test_autoescape_single_quoted_attribute",
            T + "test_escape_filter_single_quote",
        ],
    },
    "w_stdlib_html_escape": {
        "description": "switches to html.escape(), which writes &#x27; and &quot;",
        "weight": 0.05,
        "edits": [
            ("minitmpl/markup.py", "from __future__ import annotations\n", "from __future__ import annotations\n\nimport html\n"),
            ("minitmpl/markup.py", _ESCAPE, "    return Markup(html.escape(text, quote=True))\n"),
        ],
        "fails": [
            T + "test_escape_special_characters",
            T + "test_escape_single_quote",
            T + "test_autoescape_single_quoted_attribute",
            T + "test_escape_filter_single_quote",
        ],
    },
    "w_filter_only": {
        "description": "patches the escape filter only; its plain-str result is escaped again under autoescape",
        "weight": 0.05,
        "edits": [
            (
                "minitmpl/filters.py",
                '''FILTERS = {''',
                '''def escape_html(value):
    return escape(value).replace("'", "&#39;")


FILTERS = {''',
            ),
            (
                "minitmpl/filters.py",
                '''    "e": escape,
    "escape": escape,
''',
                '''    "e": escape_html,
    "escape": escape_html,
''',
            ),
        ],
        "fails": [
            T + "test_escape_filter_is_not_doubled_by_autoescape",
            T + "test_escape_single_quote",
            T + "test_autoescape_single_quoted_attribute",
            T + "test_autoescaped_value_cannot_close_a_quoted_attribute",
        ],
    },
}
NO_OP_WEIGHT = 0.04

EXPLORE = {"median": 4, "sigma": 0.5, "max": 30}
DRIFT = 0.01
COMMANDS = [
    "ls",
    "ls minitmpl tests",
    "cat README.md",
    "cat minitmpl/markup.py",
    "grep -rn 'escape' minitmpl/",
    "grep -n 'autoescape' -A3 minitmpl/template.py",
    "cat tests/test_escape.py",
    "git log --oneline -5",
    "python3 -c \"from minitmpl import escape; print(escape(\\\"it's <b>\\\"))\"",
    "python3 -m pytest -q tests/test_escape.py",
]
