"""Caret ranges always allow the next major version, also for 0.x versions."""

INSTANCE = "pocket__semver-3"
BASE = "05-satisfying"
DIFFICULTY = "medium"
CREATED_AT = "2024-04-09T17:55:03Z"
HINTS = ""

PROBLEM = """
Caret ranges on 0.x versions accept breaking releases

In our lock-file checker `^0.4.2` happily accepted `0.9.0` of a dependency, which broke our build
(for 0.x versions the minor number is the breaking one):

```python
>>> from semver import Range, max_satisfying
>>> str(Range("^0.4.2"))
'>=0.4.2 <1.0.0'
>>> max_satisfying(["0.4.2", "0.4.9", "0.5.0", "0.9.0"], "^0.4.2")
Version('0.9.0')
>>> Range("^0.0.3").test("0.0.8")
True
```

The README says ranges follow npm's syntax. In npm a caret allows changes that do not modify the
left-most non-zero part, so `^0.4.2` means `>=0.4.2 <0.5.0` and `^0.0.3` means `>=0.0.3 <0.0.4`,
and `max_satisfying` above should give `0.4.9`.
"""

T = "tests/test_ranges.py::"

TESTS = [
    (
        "tests/test_ranges.py",
        None,
        '''

def test_caret_zero_major_locks_minor():
    assert str(Range("^0.4.2")) == ">=0.4.2 <0.5.0"
    assert matches("^0.4.2", "0.4.1", "0.4.2", "0.4.9", "0.5.0", "1.0.0") == ["0.4.2", "0.4.9"]


def test_caret_zero_minor_locks_patch():
    assert str(Range("^0.0.3")) == ">=0.0.3 <0.0.4"
    assert matches("^0.0.3", "0.0.3", "0.0.4", "0.1.0") == ["0.0.3"]


def test_caret_zero_partial_versions():
    assert str(Range("^0.0")) == ">=0.0.0 <0.1.0"
    assert str(Range("^0.0.x")) == ">=0.0.0 <0.1.0"
    assert str(Range("^0.2")) == ">=0.2.0 <0.3.0"


def test_max_satisfying_caret_on_zero_major():
    assert str(max_satisfying(["0.4.2", "0.4.9", "0.5.0", "0.9.0"], "^0.4.2")) == "0.4.9"
''',
    )
]

FAIL_TO_PASS = [
    T + "test_caret_zero_major_locks_minor",
    T + "test_caret_zero_minor_locks_patch",
    T + "test_caret_zero_partial_versions",
    T + "test_max_satisfying_caret_on_zero_major",
]

_BASE_CARET = """    return [Comparator(">=", partial.floor()), Comparator("<", Version(partial.major + 1))]
"""

GOLD = [
    (
        "semver/ranges.py",
        '''    """^1.2.3 allows changes that keep the major version: >=1.2.3 <2.0.0."""
''' + _BASE_CARET,
        '''    """^1.2.3 allows changes that keep the left-most non-zero part given: ^1.2.3 is >=1.2.3 <2.0.0,
    ^0.2.3 is >=0.2.3 <0.3.0, ^0.0.3 is >=0.0.3 <0.0.4, and ^0.0 is >=0.0.0 <0.1.0."""
    if partial.major > 0 or partial.minor is None:
        upper = Version(partial.major + 1)
    elif partial.minor > 0 or partial.patch is None:
        upper = Version(0, partial.minor + 1)
    else:
        upper = Version(0, 0, partial.patch + 1)
    return [Comparator(">=", partial.floor()), Comparator("<", upper)]
''',
    )
]
GOLD_WEIGHT = 0.45

WRONG = {
    "w_minor_for_zero": {
        "description": "bumps the minor whenever the major is 0, missing ^0.0.z and turning ^0 into <0.1.0",
        "weight": 0.18,
        "edits": [
            (
                "semver/ranges.py",
                _BASE_CARET,
                """    if partial.major == 0:
        upper = Version(0, (partial.minor or 0) + 1)
    else:
        upper = Version(partial.major + 1)
    return [Comparator(">=", partial.floor()), Comparator("<", upper)]
""",
            )
        ],
        "fails": [
            T + "test_caret[^0]",
            T + "test_caret[^0.x]",
            T + "test_caret_zero_minor_locks_patch",
        ],
    },
    "w_zero_filled": {
        "description": "handles 0.y.z and 0.0.z but zero-fills partial versions first, so ^0 and ^0.0 lock the patch",
        "weight": 0.14,
        "edits": [
            (
                "semver/ranges.py",
                _BASE_CARET,
                """    lower = partial.floor()
    if lower.major:
        upper = Version(lower.major + 1)
    elif lower.minor:
        upper = Version(0, lower.minor + 1)
    else:
        upper = Version(0, 0, lower.patch + 1)
    return [Comparator(">=", lower), Comparator("<", upper)]
""",
            )
        ],
        "fails": [
            T + "test_caret[^0]",
            T + "test_caret[^0.x]",
            T + "test_caret_zero_partial_versions",
        ],
    },
    "w_patch_for_zero_minor": {
        "description": "special-cases only ^0.0.z; ^0.y.z still allows the next major",
        "weight": 0.13,
        "edits": [
            (
                "semver/ranges.py",
                _BASE_CARET,
                """    if partial.major == 0 and partial.minor == 0 and partial.patch is not None:
        return [Comparator(">=", partial.floor()), Comparator("<", Version(0, 0, partial.patch + 1))]
""" + _BASE_CARET,
            )
        ],
        "fails": [
            T + "test_caret_zero_major_locks_minor",
            T + "test_caret_zero_partial_versions",
            T + "test_max_satisfying_caret_on_zero_major",
        ],
    },
}
NO_OP_WEIGHT = 0.1

EXPLORE = {"median": 11, "sigma": 0.6, "max": 60}
DRIFT = 0.03
COMMANDS = [
    "ls",
    "cat README.md",
    "git log --oneline -5",
    "grep -n 'caret' -i semver/ranges.py",
    "sed -n 105,125p semver/ranges.py",
    "cat semver/ranges.py",
    "grep -n 'def floor' -A12 semver/ranges.py",
    "cat tests/test_ranges.py",
    "python3 -c \"from semver import Range; print(Range('^0.4.2'), Range('^0.0.3'), Range('~0.4.2'))\"",
    "python3 -m semver '^0.4.2' 0.4.2 0.4.9 0.5.0 0.9.0",
    "python3 -m pytest -q tests/test_ranges.py",
    "python3 -m pytest -q",
]
