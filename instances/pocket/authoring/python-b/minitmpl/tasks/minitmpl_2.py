"""Filter chains and argument lists are split at every | and , even inside string literals."""

INSTANCE = "pocket__minitmpl-2"
BASE = "03-blocks"
DIFFICULTY = "medium"
CREATED_AT = "2024-05-21T12:34:09Z"
HINTS = ""

PROBLEM = """
TemplateSyntaxError for `join(", ")` and for string arguments containing `|`

The README shows `{{ tags | join(", ") }}`, but that template does not even compile:

```
>>> from minitmpl import render
>>> render('{{ tags | join(", ") }}', tags=["a", "b"])
Traceback (most recent call last):
  ...
  File "minitmpl/expr.py", line 42, in parse_operand
    raise TemplateSyntaxError(f"invalid expression: {text!r}")
minitmpl.errors.TemplateSyntaxError: invalid expression: '"'
```

A `|` inside a string argument fails the same way:

```
>>> render('{{ title | default("Untitled | Draft") }}')
minitmpl.errors.TemplateSyntaxError: invalid filter: 'default("Untitled'
```

I'd expect anything inside a string literal, single- or double-quoted, to be taken literally:
`a, b` and `Untitled | Draft` here. Separators outside quotes should of course keep working
(`default(1, true)`, `x | trim | upper`).
"""

T = "tests/test_filters.py::"

TESTS = [
    (
        "tests/test_filters.py",
        None,
        '''

def test_join_separator_with_comma():
    assert render('{{ tags | join(", ") }}', tags=["a", "b", "c"]) == "a, b, c"


def test_pipe_inside_double_quoted_argument():
    assert render('{{ title | default("Untitled | Draft") }}') == "Untitled | Draft"


def test_pipe_inside_single_quoted_argument():
    assert render("{{ path | replace('/', ' | ') }}", path="docs/api") == "docs | api"


def test_comma_inside_single_quoted_argument():
    assert render("{{ row | replace(',', '; ') | upper }}", row="a,b") == "A; B"
''',
    )
]

FAIL_TO_PASS = [
    T + "test_join_separator_with_comma",
    T + "test_pipe_inside_double_quoted_argument",
    T + "test_pipe_inside_single_quoted_argument",
    T + "test_comma_inside_single_quoted_argument",
]

_SPLITTER = '''def _split(text: str, separator: str) -> list[str]:
    """`text` split at `separator`, except inside quoted string literals."""
    parts, start, quote = [], 0, None
    for i, char in enumerate(text):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\\"":
            quote = char
        elif char == separator:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


class Expression(NamedTuple):'''

_ARGS = "    return name, tuple(parse_operand(arg) for arg in arglist.split(\",\"))\n"
_PIPES = '    operand, *filters = text.split("|")\n'

GOLD = [
    ("minitmpl/expr.py", "class Expression(NamedTuple):", _SPLITTER),
    ("minitmpl/expr.py", _ARGS, '    return name, tuple(parse_operand(arg) for arg in _split(arglist, ","))\n'),
    ("minitmpl/expr.py", _PIPES, '    operand, *filters = _split(text, "|")\n'),
]
GOLD_WEIGHT = 0.5

WRONG = {
    "w_pipes_only": {
        "description": "makes the filter-chain split quote-aware but still splits arguments at every comma",
        "weight": 0.16,
        "edits": [
            ("minitmpl/expr.py", "class Expression(NamedTuple):", _SPLITTER),
            ("minitmpl/expr.py", _PIPES, '    operand, *filters = _split(text, "|")\n'),
        ],
        "fails": [T + "test_join_separator_with_comma", T + "test_comma_inside_single_quoted_argument"],
    },
    "w_double_quotes_only": {
        "description": "splits with a lookahead regex that only knows double quotes",
        "weight": 0.14,
        "edits": [
            (
                "minitmpl/expr.py",
                '_FILTER_RE = re.compile(r"(\\w+)\\s*(?:\\((.*)\\))?", re.DOTALL)\n',
                '_FILTER_RE = re.compile(r"(\\w+)\\s*(?:\\((.*)\\))?", re.DOTALL)\n'
                "# Matches only where the rest of the text holds an even number of double quotes.\n"
                "_OUTSIDE_QUOTES = r'(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)'\n",
            ),
            (
                "minitmpl/expr.py",
                _ARGS,
                '    return name, tuple(parse_operand(arg) for arg in re.split("," + _OUTSIDE_QUOTES, arglist))\n',
            ),
            ("minitmpl/expr.py", _PIPES, '    operand, *filters = re.split(r"\\|" + _OUTSIDE_QUOTES, text)\n'),
        ],
        "fails": [T + "test_pipe_inside_single_quoted_argument", T + "test_comma_inside_single_quoted_argument"],
    },
    "w_csv_arguments": {
        "description": "splits arguments with the csv module, which also strips the double quotes off string literals",
        "weight": 0.12,
        "edits": [
            ("minitmpl/expr.py", "import re\n", "import csv\nimport re\n"),
            ("minitmpl/expr.py", "class Expression(NamedTuple):", _SPLITTER),
            (
                "minitmpl/expr.py",
                _ARGS,
                "    args = next(csv.reader([arglist], skipinitialspace=True))\n"
                "    return name, tuple(parse_operand(arg) for arg in args)\n",
            ),
            ("minitmpl/expr.py", _PIPES, '    operand, *filters = _split(text, "|")\n'),
        ],
        "fails": [
            T + "test_replace",
            T + "test_join_separator_with_comma",
            T + "test_pipe_inside_double_quoted_argument",
            T + "test_comma_inside_single_quoted_argument",
        ],
    },
}
NO_OP_WEIGHT = 0.08

EXPLORE = {"median": 9, "sigma": 0.6, "max": 50}
DRIFT = 0.03
COMMANDS = [
    "ls",
    "cat README.md",
    "git log --oneline -5",
    "cat minitmpl/expr.py",
    "sed -n 55,75p minitmpl/expr.py",
    "grep -n 'split' minitmpl/*.py",
    "grep -n 'parse_expression' -r minitmpl/",
    "cat minitmpl/filters.py",
    "cat tests/test_filters.py",
    "python3 -c \"from minitmpl import render; print(render('{{ tags | join(\\\", \\\") }}', tags=['a', 'b']))\"",
    "python3 -c \"from minitmpl.expr import parse_expression; print(parse_expression('x | trim | default(1, true)'))\"",
    "python3 -m pytest -q tests/test_filters.py",
    "python3 -m pytest -q",
]
