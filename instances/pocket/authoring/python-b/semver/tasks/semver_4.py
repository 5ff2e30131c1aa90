"""Ranges match pre-releases of other releases, and caret/tilde drop a pre-release lower bound."""

INSTANCE = "pocket__semver-4"
BASE = "05-satisfying"
DIFFICULTY = "hard"
CREATED_AT = "2024-04-15T07:12:44Z"
HINTS = ""

PROBLEM = """
Pre-releases leak into ranges, and ranges that opt into a pre-release don't match the next one

We resolve dependencies with `max_satisfying`. Since one dependency published `1.3.0-alpha.1`,
`^1.2.0` resolves to that alpha instead of the latest stable release:

```python
>>> from semver import Range, max_satisfying
>>> max_satisfying(["1.2.0", "1.2.5", "1.3.0-alpha.1"], "^1.2.0")
Version('1.3.0-alpha.1')
>>> Range("^1.0.0").test("2.0.0-beta.1")
True
```

Opting into a beta on purpose does not work either:

```python
>>> Range("^1.2.3-beta.2").test("1.2.3-beta.4")
False
>>> str(Range("^1.2.3-beta.2"))
'>=1.2.3 <2.0.0'
```

The README says ranges follow npm. npm's rule is: a version with a pre-release tag only
satisfies a range if at least one comparator with the same `[major, minor, patch]` tuple also
has a pre-release tag. So `^1.2.3-beta.2` should match `1.2.3-beta.4`, `1.2.3` and `1.9.0`,
but not `1.2.4-beta.1`, and `^1.2.0` should not match any pre-release. Explicit comparators
such as `>=1.0.0-rc.1` already work for `1.0.0-rc.2` and should keep working.
"""

T = "tests/test_ranges.py::"

TESTS = [
    (
        "tests/test_ranges.py",
        None,
        '''

def test_prerelease_excluded_from_plain_range():
    assert not Range("^1.2.0").test("1.3.0-alpha.1")
    assert not Range(">=1.0.0").test("1.5.0-rc.1")
    assert not Range("*").test("1.0.0-rc.1")


def test_prerelease_of_another_release_excluded():
    r = Range(">=1.2.3-alpha.1 <2.0.0")
    assert r.test("1.2.3-alpha.7")
    assert r.test("1.4.0")
    assert not r.test("1.5.0-beta.1")


def test_upper_bound_does_not_admit_its_prereleases():
    assert not Range("^1.0.0").test("2.0.0-beta.1")
    assert not Range("1.x").test("2.0.0-rc.1")


def test_caret_with_prerelease_lower_bound():
    assert str(Range("^1.2.3-beta.2")) == ">=1.2.3-beta.2 <2.0.0"
    assert matches("^1.2.3-beta.2", "1.2.3-beta.1", "1.2.3-beta.4", "1.2.3", "1.2.4-beta.1", "1.9.0") == [
        "1.2.3-beta.4",
        "1.2.3",
        "1.9.0",
    ]


def test_tilde_with_prerelease_lower_bound():
    assert matches("~1.2.3-beta.2", "1.2.3-beta.1", "1.2.3-beta.4", "1.2.9", "1.2.10-rc.1") == [
        "1.2.3-beta.4",
        "1.2.9",
    ]


def test_prerelease_must_be_named_in_the_same_set():
    r = Range("^1.0.0-rc.1 || ^2.0.0")
    assert r.test("1.0.0-rc.3")
    assert not r.test("2.0.0-rc.1")


def test_max_satisfying_prefers_stable_releases():
    assert str(max_satisfying(["1.2.0", "1.2.5", "1.3.0-alpha.1"], "^1.2.0")) == "1.2.5"
''',
    )
]

FAIL_TO_PASS = [
    T + "test_prerelease_excluded_from_plain_range",
    T + "test_prerelease_of_another_release_excluded",
    T + "test_upper_bound_does_not_admit_its_prereleases",
    T + "test_caret_with_prerelease_lower_bound",
    T + "test_tilde_with_prerelease_lower_bound",
    T + "test_prerelease_must_be_named_in_the_same_set",
    T + "test_max_satisfying_prefers_stable_releases",
]

_FLOOR = '''    def floor(self) -> Version:
        """The lowest version the partial stands for: missing parts are zero."""
        return Version(self.major or 0, self.minor or 0, self.patch or 0)
'''
_FLOOR_FIXED = '''    def floor(self) -> Version:
        """The lowest version the partial stands for: missing parts are zero, and a full version
        keeps its pre-release (^1.2.3-beta.2 starts at 1.2.3-beta.2, not at 1.2.3)."""
        if self.patch is not None:
            return self.version()
        return Version(self.major or 0, self.minor or 0, self.patch or 0)
'''
_TEST = """    def test(self, version: Version | str) -> bool:
        version = coerce(version)
        return any(all(c.test(version) for c in comparators) for comparators in self.sets)
"""
_TEST_BY_SET = """    def test(self, version: Version | str) -> bool:
        version = coerce(version)
        return any(_test_set(comparators, version) for comparators in self.sets)
"""


def _rule(condition: str, comment: str) -> tuple[str, str, str]:
    """An edit that adds _test_set() with the given pre-release condition before class Range."""
    return (
        "semver/ranges.py",
        "\n\nclass Range:\n",
        f'''

def _test_set(comparators: list[Comparator], version: Version) -> bool:
    if not all(c.test(version) for c in comparators):
        return False
    if not version.prerelease:
        return True
{comment}
    return any({condition} for c in comparators)


class Range:
''',
    )


_GOLD_RULE = _rule(
    "c.version.prerelease and c.version.release == version.release",
    "    # As in npm, a pre-release only matches a set that names a pre-release of the same\n"
    "    # major.minor.patch: \"^1.2.0\" must not pick up 1.3.0-alpha.1, nor \"<2.0.0\" admit 2.0.0-beta.1.",
)

GOLD = [
    ("semver/ranges.py", _FLOOR, _FLOOR_FIXED),
    _GOLD_RULE,
    ("semver/ranges.py", _TEST, _TEST_BY_SET),
]
GOLD_WEIGHT = 0.3

WRONG = {
    "w_exclude_prereleases": {
        "description": "no range ever matches a pre-release",
        "weight": 0.15,
        "edits": [
            (
                "semver/ranges.py",
                _TEST,
                """    def test(self, version: Version | str) -> bool:
        version = coerce(version)
        # Pre-releases are unstable: never pick one to satisfy a range.
        if version.prerelease:
            return False
        return any(all(c.test(version) for c in comparators) for comparators in self.sets)
""",
            )
        ],
        "fails": [
            T + "test_prerelease_comparator",
            T + "test_prerelease_of_another_release_excluded",
            T + "test_caret_with_prerelease_lower_bound",
            T + "test_tilde_with_prerelease_lower_bound",
            T + "test_prerelease_must_be_named_in_the_same_set",
        ],
    },
    "w_rule_only": {
        "description": "adds npm's pre-release rule but caret/tilde still drop the pre-release of their lower bound",
        "weight": 0.15,
        "edits": [_GOLD_RULE, ("semver/ranges.py", _TEST, _TEST_BY_SET)],
        "fails": [
            T + "test_caret_with_prerelease_lower_bound",
            T + "test_tilde_with_prerelease_lower_bound",
            T + "test_prerelease_must_be_named_in_the_same_set",
        ],
    },
    "w_same_release_only": {
        "description": "admits a pre-release when any comparator has the same major.minor.patch, even one without a pre-release (<2.0.0)",
        "weight": 0.15,
        "edits": [
            ("semver/ranges.py", _FLOOR, _FLOOR_FIXED),
            _rule("c.version.release == version.release", "    # Only pre-releases of a version the range names."),
            ("semver/ranges.py", _TEST, _TEST_BY_SET),
        ],
        "fails": [
            T + "test_upper_bound_does_not_admit_its_prereleases",
            T + "test_prerelease_must_be_named_in_the_same_set",
        ],
    },
    "w_any_prerelease_bound": {
        "description": "admits any pre-release once a comparator of the set has a pre-release, whatever its version",
        "weight": 0.1,
        "edits": [
            ("semver/ranges.py", _FLOOR, _FLOOR_FIXED),
            _rule("c.version.prerelease", "    # Only ranges that opt into pre-releases match them."),
            ("semver/ranges.py", _TEST, _TEST_BY_SET),
        ],
        "fails": [
            T + "test_prerelease_of_another_release_excluded",
            T + "test_caret_with_prerelease_lower_bound",
            T + "test_tilde_with_prerelease_lower_bound",
            T + "test_prerelease_must_be_named_in_the_same_set",
        ],
    },
    "w_filter_in_max_satisfying": {
        "description": "skips pre-releases in max_satisfying/min_satisfying only; Range.test is unchanged",
        "weight": 0.08,
        "edits": [
            (
                "semver/ranges.py",
                "    return max((v for v in map(coerce, versions) if range_.test(v)), default=None)\n",
                "    return max((v for v in map(coerce, versions) if range_.test(v) and not v.prerelease), default=None)\n",
            ),
            (
                "semver/ranges.py",
                "    return min((v for v in map(coerce, versions) if range_.test(v)), default=None)\n",
                "    return min((v for v in map(coerce, versions) if range_.test(v) and not v.prerelease), default=None)\n",
            ),
        ],
        "fails": [
            T + "test_prerelease_excluded_from_plain_range",
            T + "test_prerelease_of_another_release_excluded",
            T + "test_upper_bound_does_not_admit_its_prereleases",
            T + "test_caret_with_prerelease_lower_bound",
            T + "test_tilde_with_prerelease_lower_bound",
            T + "test_prerelease_must_be_named_in_the_same_set",
        ],
    },
}
NO_OP_WEIGHT = 0.07

EXPLORE = {"median": 20, "sigma": 0.7, "max": 80}
DRIFT = 0.04
COMMANDS = [
    "ls",
    "cat README.md",
    "git log --oneline -8",
    "cat semver/ranges.py",
    "sed -n 50,90p semver/ranges.py",
    "sed -n 105,170p semver/ranges.py",
    "grep -n 'floor' semver/ranges.py",
    "grep -n 'prerelease' semver/ranges.py semver/version.py",
    "sed -n 90,125p semver/version.py",
    "cat tests/test_ranges.py",
    "grep -n 'rc\\|beta\\|alpha' tests/test_ranges.py",
    "python3 -c \"from semver import Range; print(Range('^1.2.3-beta.2'), Range('^1.0.0').test('2.0.0-beta.1'))\"",
    "python3 -c \"from semver import max_satisfying; print(max_satisfying(['1.2.0', '1.2.5', '1.3.0-alpha.1'], '^1.2.0'))\"",
    "python3 -m semver '^1.2.0' 1.2.0 1.2.5 1.3.0-alpha.1",
    "python3 -m pytest -q tests/test_ranges.py",
    "python3 -m pytest -q",
]
