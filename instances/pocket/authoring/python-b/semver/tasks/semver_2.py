"""Bumping a pre-release skips past the release it leads up to."""

INSTANCE = "pocket__semver-2"
BASE = "03-ranges"
DIFFICULTY = "medium"
CREATED_AT = "2024-03-19T13:07:52Z"
HINTS = ""

PROBLEM = """
bump_minor()/bump_patch() on a pre-release skip the release it was a pre-release of

Our release tooling cuts pre-releases first and then "finalises" them by bumping the same part
again. With a pre-release as the current version the bump skips over the release we were
preparing:

```python
>>> from semver import Version
>>> Version.parse("2.1.0-rc.3").bump_minor()
Version('2.2.0')
>>> Version.parse("1.4.7-beta.1").bump_patch()
Version('1.4.8')
```

I expected `2.1.0` and `1.4.7`: `2.1.0-rc.3` is a pre-release *of* `2.1.0`, so the next minor
release after it is `2.1.0` itself. That is also what npm's `semver.inc()` does for `minor`,
`patch` and `major`. Bumping a plain release (`1.4.7` -> `1.4.8`) is fine as it is.
"""

T = "tests/test_bump.py::"

TESTS = [
    (
        "tests/test_bump.py",
        None,
        '''

def test_bump_patch_releases_a_patch_prerelease():
    assert bump("1.4.7-beta.1", "patch") == "1.4.7"
    assert bump("1.4.7-beta.1+exp.2", "patch") == "1.4.7"


def test_bump_minor_releases_a_minor_prerelease():
    assert bump("2.1.0-rc.3", "minor") == "2.1.0"


def test_bump_major_releases_a_major_prerelease():
    assert bump("3.0.0-alpha", "major") == "3.0.0"


def test_bump_minor_of_a_patch_prerelease():
    assert bump("1.2.3-rc.1", "minor") == "1.3.0"


def test_bump_major_of_a_minor_prerelease():
    assert bump("1.2.0-rc.1", "major") == "2.0.0"


def test_bump_major_of_a_patch_prerelease():
    assert bump("1.0.5-rc.1", "major") == "2.0.0"
''',
    )
]

FAIL_TO_PASS = [
    T + "test_bump_patch_releases_a_patch_prerelease",
    T + "test_bump_minor_releases_a_minor_prerelease",
    T + "test_bump_major_releases_a_major_prerelease",
]

_BASE_BUMPS = """    def bump_major(self) -> Version:
        return Version(self.major + 1)

    def bump_minor(self) -> Version:
        return Version(self.major, self.minor + 1)

    def bump_patch(self) -> Version:
        return Version(self.major, self.minor, self.patch + 1)
"""

GOLD = [
    (
        "semver/version.py",
        _BASE_BUMPS,
        """    # A pre-release of the version a bump leads to is finished by the bump: 2.1.0-rc.3 -> 2.1.0.
    def bump_major(self) -> Version:
        if self.prerelease and self.minor == 0 and self.patch == 0:
            return Version(self.major)
        return Version(self.major + 1)

    def bump_minor(self) -> Version:
        if self.prerelease and self.patch == 0:
            return Version(self.major, self.minor)
        return Version(self.major, self.minor + 1)

    def bump_patch(self) -> Version:
        if self.prerelease:
            return Version(self.major, self.minor, self.patch)
        return Version(self.major, self.minor, self.patch + 1)
""",
    )
]
GOLD_WEIGHT = 0.5

WRONG = {
    "w_drop_prerelease": {
        "description": "any bump of a pre-release just drops the pre-release part",
        "weight": 0.16,
        "edits": [
            (
                "semver/version.py",
                _BASE_BUMPS,
                """    def _release_prerelease(self) -> Version | None:
        # Bumping a pre-release finishes it instead of skipping past it.
        return Version(self.major, self.minor, self.patch) if self.prerelease else None

    def bump_major(self) -> Version:
        return self._release_prerelease() or Version(self.major + 1)

    def bump_minor(self) -> Version:
        return self._release_prerelease() or Version(self.major, self.minor + 1)

    def bump_patch(self) -> Version:
        return self._release_prerelease() or Version(self.major, self.minor, self.patch + 1)
""",
            )
        ],
        "fails": [
            T + "test_bump_minor_of_a_patch_prerelease",
            T + "test_bump_major_of_a_minor_prerelease",
            T + "test_bump_major_of_a_patch_prerelease",
        ],
    },
    "w_patch_only": {
        "description": "fixes bump_patch only, the example that was easiest to reproduce",
        "weight": 0.12,
        "edits": [
            (
                "semver/version.py",
                """    def bump_patch(self) -> Version:
        return Version(self.major, self.minor, self.patch + 1)
""",
                """    def bump_patch(self) -> Version:
        if self.prerelease:
            return Version(self.major, self.minor, self.patch)
        return Version(self.major, self.minor, self.patch + 1)
""",
            )
        ],
        "fails": [
            T + "test_bump_minor_releases_a_minor_prerelease",
            T + "test_bump_major_releases_a_major_prerelease",
        ],
    },
    "w_ignore_patch": {
        "description": "keeps the minor (or major) of any pre-release, ignoring whether its patch is zero",
        "weight": 0.12,
        "edits": [
            (
                "semver/version.py",
                _BASE_BUMPS,
                """    def bump_major(self) -> Version:
        if self.prerelease and self.minor == 0:
            return Version(self.major)
        return Version(self.major + 1)

    def bump_minor(self) -> Version:
        if self.prerelease:
            return Version(self.major, self.minor)
        return Version(self.major, self.minor + 1)

    def bump_patch(self) -> Version:
        if self.prerelease:
            return Version(self.major, self.minor, self.patch)
        return Version(self.major, self.minor, self.patch + 1)
""",
            )
        ],
        "fails": [
            T + "test_bump_minor_of_a_patch_prerelease",
            T + "test_bump_major_of_a_patch_prerelease",
        ],
    },
}
NO_OP_WEIGHT = 0.1

EXPLORE = {"median": 10, "sigma": 0.6, "max": 50}
DRIFT = 0.03
COMMANDS = [
    "ls",
    "cat README.md",
    "git log --oneline -5",
    "grep -n 'def bump' semver/version.py",
    "sed -n 90,115p semver/version.py",
    "cat semver/version.py",
    "cat tests/test_bump.py",
    "grep -rn 'prerelease' semver/version.py",
    "python3 -c \"from semver import Version; print(Version.parse('2.1.0-rc.3').bump_minor())\"",
    "python3 -c \"from semver import Version; print(Version.parse('1.4.7-beta.1').bump_patch())\"",
    "python3 -m pytest -q tests/test_bump.py",
    "python3 -m pytest -q",
]
