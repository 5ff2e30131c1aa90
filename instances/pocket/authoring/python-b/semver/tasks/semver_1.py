"""Numeric pre-release identifiers compare as strings since they are kept as strings."""

INSTANCE = "pocket__semver-1"
BASE = "06-string-identifiers"
DIFFICULTY = "easy"
CREATED_AT = "2024-04-26T08:41:27Z"
HINTS = ""

PROBLEM = """
Release candidates sort wrongly once the number reaches 10

We tag release candidates as `2.0.0-rc.N` and our release script takes the newest tag with
`max()`. After `2.0.0-rc.10` was tagged, the script kept picking `2.0.0-rc.9`:

```python
>>> from semver import Version
>>> max(Version.parse(v) for v in ["2.0.0-rc.9", "2.0.0-rc.10"])
Version('2.0.0-rc.9')
>>> Version.parse("1.0.0-beta.11") < Version.parse("1.0.0-beta.2")
True
```

SemVer 2.0.0 (section 11.4.1) says identifiers made of digits only are compared numerically, so
`rc.10` is newer than `rc.9`, and `beta.11` is newer than `beta.2`. This worked with the v0.3.0
tag; it broke after we updated to the current main branch.
"""

T = "tests/test_version.py::"

TESTS = [
    (
        "tests/test_version.py",
        None,
        '''

def test_numeric_prerelease_identifiers_compare_as_numbers():
    assert Version.parse("1.0.0-rc.2") < Version.parse("1.0.0-rc.10")
    assert Version.parse("1.0.0-alpha.9.beta") < Version.parse("1.0.0-alpha.10.beta")


def test_numeric_identifiers_of_any_size():
    assert Version.parse("0.1.0-dev.99999999") < Version.parse("0.1.0-dev.100000000")


def test_sort_follows_semver_spec_example():
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
    ]
    shuffled = [ordered[i] for i in (5, 2, 7, 0, 4, 6, 1, 3)]
    assert [str(v) for v in sorted(map(Version.parse, shuffled))] == ordered


def test_newest_release_candidate():
    candidates = [Version.parse(f"2.0.0-rc.{n}") for n in (1, 2, 9, 10, 11)]
    assert str(max(candidates)) == "2.0.0-rc.11"
''',
    )
]

FAIL_TO_PASS = [
    T + "test_numeric_prerelease_identifiers_compare_as_numbers",
    T + "test_numeric_identifiers_of_any_size",
    T + "test_sort_follows_semver_spec_example",
    T + "test_newest_release_candidate",
]

GOLD = [
    (
        "semver/version.py",
        """    if a_num and b_num:
        return _cmp(a, b)
""",
        """    if a_num and b_num:
        return _cmp(int(a), int(b))
""",
    )
]
GOLD_WEIGHT = 0.75

WRONG = {
    "w_zero_pad": {
        "description": "pads numeric identifiers to 8 digits and compares the strings: wrong past 8 digits",
        "weight": 0.07,
        "edits": [
            (
                "semver/version.py",
                """    if a_num and b_num:
        return _cmp(a, b)
""",
                """    if a_num and b_num:
        return _cmp(a.zfill(8), b.zfill(8))
""",
            )
        ],
        "fails": [T + "test_numeric_identifiers_of_any_size"],
    },
    "w_length_first": {
        "description": "compares every identifier by length first, alphanumeric ones included",
        "weight": 0.06,
        "edits": [
            (
                "semver/version.py",
                """    a_num, b_num = a.isdigit(), b.isdigit()
    if a_num and b_num:
        return _cmp(a, b)
    # Numeric identifiers have lower precedence than alphanumeric ones (SemVer 11.4.3).
    if a_num != b_num:
        return -1 if a_num else 1
    return _cmp(a, b)
""",
                """    a_num, b_num = a.isdigit(), b.isdigit()
    # Numeric identifiers have lower precedence than alphanumeric ones (SemVer 11.4.3).
    if a_num != b_num:
        return -1 if a_num else 1
    # A longer identifier is the bigger one; equal lengths compare character by character.
    return _cmp(len(a), len(b)) or _cmp(a, b)
""",
            )
        ],
        "fails": [T + "test_sort_follows_semver_spec_example"],
    },
    "w_sort_key": {
        "description": "rewrites compare() as a tuple sort key, which puts a release before its pre-releases",
        "weight": 0.07,
        "edits": [
            (
                "semver/version.py",
                """    def compare(self, other: Version | str) -> int:
        \"\"\"-1, 0 or 1 by precedence. Build metadata does not count (SemVer 10).\"\"\"
        other = coerce(other)
        return _cmp(self.release, other.release) or _compare_prerelease(self.prerelease, other.prerelease)
""",
                """    def _sort_key(self) -> tuple:
        return (self.release, tuple((0, int(p)) if p.isdigit() else (1, p) for p in self.prerelease))

    def compare(self, other: Version | str) -> int:
        \"\"\"-1, 0 or 1 by precedence. Build metadata does not count (SemVer 10).\"\"\"
        other = coerce(other)
        return _cmp(self._sort_key(), other._sort_key())
""",
            )
        ],
        "fails": [T + "test_prerelease_lower_than_release", T + "test_sort_follows_semver_spec_example"],
    },
}
NO_OP_WEIGHT = 0.05

EXPLORE = {"median": 4, "sigma": 0.5, "max": 30}
DRIFT = 0.02
COMMANDS = [
    "ls",
    "ls semver tests",
    "git log --oneline -5",
    "git show --stat HEAD",
    "cat semver/version.py",
    "sed -n 18,50p semver/version.py",
    "grep -n '_compare' semver/version.py",
    "grep -rn 'isdigit' semver/",
    "cat tests/test_version.py",
    "python3 -c \"from semver import Version; print(max(Version.parse(v) for v in ['2.0.0-rc.9', '2.0.0-rc.10']))\"",
    "python3 -m pytest -q tests/test_version.py",
]
