"""String filters turn Markup into plain str, so safe values are escaped again."""

INSTANCE = "pocket__minitmpl-3"
BASE = "06-loop-variable"
DIFFICULTY = "hard"
CREATED_AT = "2024-06-27T09:03:51Z"
HINTS = "Possibly related: str() of a Markup is a plain str."

PROBLEM = """
Any filter after `safe` makes autoescape escape the value again

With `autoescape=True` we mark trusted HTML snippets as safe, and then truncate them for the
previews on our index page. Once a filter follows `safe`, the HTML is escaped anyway:

```python
>>> from minitmpl import Template, Markup
>>> Template("{{ bio | safe }}", autoescape=True).render(bio="<em>hi</em>")
'<em>hi</em>'
>>> Template("{{ bio | safe | upper }}", autoescape=True).render(bio="<em>hi</em>")
'&lt;EM&gt;HI&lt;/EM&gt;'
>>> Template("{{ bio | safe | truncate(12) }}", autoescape=True).render(bio="<br>Hello world")
'&lt;br&gt;Hello...'
```

The same happens with `join` when the list holds `Markup` links, and with `replace` on a safe
template snippet. Expected: string filters applied to safe text give safe text
(`<EM>HI</EM>`, `<br>Hello...`), as in Jinja with MarkupSafe, while whatever plain text gets
mixed in (a `replace` replacement, the non-Markup items of a `join`, a plain string added to a
`Markup`) is still escaped - we substitute user names into those snippets.
"""

T = "tests/test_escape.py::"

TESTS = [
    (
        "tests/test_escape.py",
        None,
        '''

def test_markup_concatenation_escapes_plain_text():
    assert Markup("<b>") + "<i>" == "<b>&lt;i&gt;"
    assert "<i>" + Markup("<b>") == "&lt;i&gt;<b>"
    assert isinstance(Markup("<b>") + "x", Markup)


def test_markup_replace_escapes_its_arguments():
    result = Markup("<p>NAME</p>").replace("NAME", "<script>")
    assert result == "<p>&lt;script&gt;</p>"
    assert isinstance(result, Markup)


def test_safe_value_stays_safe_through_upper():
    assert html("{{ bio | safe | upper }}", bio="<em>hi</em>") == "<EM>HI</EM>"


def test_safe_value_stays_safe_through_truncate():
    assert html("{{ bio | safe | truncate(12) }}", bio="<br>Hello world") == "<br>Hello..."


def test_replace_on_a_safe_value_escapes_the_replacement():
    source = "{{ greeting | safe | replace('NAME', name) }}"
    assert html(source, greeting="<p>Hi NAME</p>", name="<script>") == "<p>Hi &lt;script&gt;</p>"


def test_join_keeps_safe_items_and_escapes_the_rest():
    links = [Markup('<a href="/a">a</a>'), "<b>"]
    assert html("{{ links | join('; ') }}", links=links) == '<a href="/a">a</a>; &lt;b&gt;'
''',
    )
]

FAIL_TO_PASS = [
    T + "test_markup_concatenation_escapes_plain_text",
    T + "test_markup_replace_escapes_its_arguments",
    T + "test_safe_value_stays_safe_through_upper",
    T + "test_safe_value_stays_safe_through_truncate",
    T + "test_replace_on_a_safe_value_escapes_the_replacement",
    T + "test_join_keeps_safe_items_and_escapes_the_rest",
]

_REPR = '''    def __repr__(self) -> str:
        return f"Markup({str.__repr__(self)})"
'''
_ADD = '''
    def __add__(self, other: object) -> Markup:
        if isinstance(other, str):
            return Markup(str.__add__(self, escape(other)))
        return NotImplemented

    def __radd__(self, other: object) -> Markup:
        if isinstance(other, str):
            return Markup(str.__add__(escape(other), self))
        return NotImplemented
'''
_ESCAPING_METHODS = '''
    def join(self, iterable) -> Markup:
        return Markup(str.join(self, (escape(item) for item in iterable)))

    def replace(self, old: str, new: str, count: int = -1) -> Markup:
        return Markup(str.replace(self, escape(old), escape(new), count))
'''
_ESCAPE_DEF = "\n\ndef escape(value: object) -> Markup:\n"


def _wrappers(names: str, comment: str) -> str:
    return f'''

def _keep_markup(name: str):
    method = getattr(str, name)

    def wrapper(self, *args):
        return Markup(method(self, *args))

    wrapper.__name__ = name
    return wrapper


# {comment}
for _name in ({names}):
    setattr(Markup, _name, _keep_markup(_name))
'''


_SAFE_WRAPPERS = _wrappers(
    '"__getitem__", "capitalize", "lower", "strip", "title", "upper"',
    "Changing the case of safe text, stripping or slicing it leaves it safe.",
)

_MARKUP_FIX = [
    ("minitmpl/markup.py", _REPR, _REPR + _ADD + _ESCAPING_METHODS),
    ("minitmpl/markup.py", _ESCAPE_DEF, _SAFE_WRAPPERS + _ESCAPE_DEF),
]

_FILTERS_FIX = [
    (
        "minitmpl/filters.py",
        "\n\ndef default(",
        '''

def _text(value) -> str:
    # Markup stays Markup: its methods keep safe text safe and escape the plain text mixed in.
    return value if isinstance(value, str) else str(value)


def default(''',
    ),
    (
        "minitmpl/filters.py",
        '''def join(value, separator=""):
    return str(separator).join(str(item) for item in value)


def replace(value, old, new):
    return str(value).replace(str(old), str(new))
''',
        '''def join(value, separator=""):
    items = list(value)
    if isinstance(separator, Markup) or any(isinstance(item, Markup) for item in items):
        return escape(separator).join(items)
    return str(separator).join(str(item) for item in items)


def replace(value, old, new):
    return _text(value).replace(_text(old), _text(new))
''',
    ),
    ("minitmpl/filters.py", "    text = str(value)\n", "    text = _text(value)\n"),
] + [
    ("minitmpl/filters.py", f"lambda value: str(value).{m}()", f"lambda value: _text(value).{m}()")
    for m in ("capitalize", "lower", "title", "strip", "upper")
]

GOLD = _MARKUP_FIX + _FILTERS_FIX
GOLD_WEIGHT = 0.25

WRONG = {
    "w_skip_escape_after_safe": {
        "description": "in the renderer, prints a value as is when `safe` appears anywhere in its filter chain",
        "weight": 0.18,
        "edits": [
            ("minitmpl/template.py", "from .markup import escape\n", "from .markup import Markup, escape\n"),
            (
                "minitmpl/template.py",
                """            elif isinstance(node, Output):
                out.append(self._finalize(node.expression.evaluate(context)))
""",
                """            elif isinstance(node, Output):
                value = node.expression.evaluate(context)
                # A value marked safe stays safe whatever filters come after `safe`.
                if any(name == "safe" for name, _ in node.expression.filters):
                    value = Markup(value)
                out.append(self._finalize(value))
""",
            ),
        ],
        "fails": [
            T + "test_markup_concatenation_escapes_plain_text",
            T + "test_markup_replace_escapes_its_arguments",
            T + "test_replace_on_a_safe_value_escapes_the_replacement",
            T + "test_join_keeps_safe_items_and_escapes_the_rest",
        ],
    },
    "w_filters_return_markup": {
        "description": "wraps every string filter's result in Markup, so filtered user input is no longer escaped",
        "weight": 0.12,
        "edits": [
            (
                "minitmpl/filters.py",
                "\n\ndef default(",
                '''

def _safe_result(function):
    # String filters must not lose the safety of their input.
    def wrapper(value, *args):
        return Markup(function(value, *args))

    return wrapper


def default(''',
            ),
            ("minitmpl/filters.py", 'def join(value, separator=""):', '@_safe_result\ndef join(value, separator=""):'),
            ("minitmpl/filters.py", "def replace(value, old, new):", "@_safe_result\ndef replace(value, old, new):"),
            ("minitmpl/filters.py", 'def truncate(value, length=80, end="..."):', '@_safe_result\ndef truncate(value, length=80, end="..."):'),
        ] + [
            ("minitmpl/filters.py", f"lambda value: str(value).{m}()", f"lambda value: Markup(str(value).{m}())")
            for m in ("capitalize", "lower", "title", "strip", "upper")
        ],
        "fails": [
            T + "test_filtered_value_is_escaped",
            T + "test_join_escapes_items",
            T + "test_markup_concatenation_escapes_plain_text",
            T + "test_markup_replace_escapes_its_arguments",
            T + "test_replace_on_a_safe_value_escapes_the_replacement",
            T + "test_join_keeps_safe_items_and_escapes_the_rest",
        ],
    },
    "w_markup_methods_only": {
        "description": "gives Markup escaping string methods but the filters still call str() on their input",
        "weight": 0.15,
        "edits": _MARKUP_FIX,
        "fails": [
            T + "test_safe_value_stays_safe_through_upper",
            T + "test_safe_value_stays_safe_through_truncate",
            T + "test_replace_on_a_safe_value_escapes_the_replacement",
            T + "test_join_keeps_safe_items_and_escapes_the_rest",
        ],
    },
    "w_unescaped_method_arguments": {
        "description": "keeps Markup through every str method, join and replace included, without escaping their arguments",
        "weight": 0.2,
        "edits": [
            ("minitmpl/markup.py", _REPR, _REPR + _ADD),
            (
                "minitmpl/markup.py",
                _ESCAPE_DEF,
                _wrappers(
                    '"__getitem__", "capitalize", "join", "lower", "replace", "strip", "title", "upper"',
                    "str methods return str; safe text must stay Markup through them.",
                )
                + _ESCAPE_DEF,
            ),
        ]
        + _FILTERS_FIX,
        "fails": [
            T + "test_markup_replace_escapes_its_arguments",
            T + "test_replace_on_a_safe_value_escapes_the_replacement",
            T + "test_join_keeps_safe_items_and_escapes_the_rest",
        ],
    },
}
NO_OP_WEIGHT = 0.1

EXPLORE = {"median": 22, "sigma": 0.7, "max": 80}
DRIFT = 0.04
COMMANDS = [
    "ls",
    "cat README.md",
    "git log --oneline -8",
    "cat minitmpl/markup.py",
    "cat minitmpl/filters.py",
    "sed -n 20,45p minitmpl/template.py",
    "cat minitmpl/template.py",
    "grep -rn 'str(value)' minitmpl/",
    "grep -rn 'Markup' minitmpl/",
    "sed -n 40,75p minitmpl/expr.py",
    "cat tests/test_escape.py",
    "python3 -c \"from minitmpl import Markup; m = Markup('<b>'); print(type(m.upper()), type(str(m)), type(m + 'x'))\"",
    "python3 -c \"from minitmpl import Template; print(Template('{{ bio | safe | upper }}', autoescape=True).render(bio='<em>hi</em>'))\"",
    "python3 -m pytest -q tests/test_escape.py",
    "python3 -m pytest -q",
]
