"""Semantic versions (https://semver.org, 2.0.0): parsing, precedence and formatting."""

from __future__ import annotations

import re
from functools import total_ordering
from .errors import InvalidVersion

_NUMBER = r"0|[1-9]\d*"
_IDENT = r"[0-9A-Za-z-]+"
_VERSION_RE = re.compile(
    rf"v?(?P<major>{_NUMBER})\.(?P<minor>{_NUMBER})\.(?P<patch>{_NUMBER})"
    rf"(?:-(?P<prerelease>{_IDENT}(?:\.{_IDENT})*))?"
    rf"(?:\+(?P<build>{_IDENT}(?:\.{_IDENT})*))?"
)


def _cmp(a, b) -> int:
    return (a > b) - (a < b)


def _parse_prerelease(text: str) -> tuple[str, ...]:
    identifiers = tuple(text.split("."))
    for part in identifiers:
        if part.isdigit() and len(part) > 1 and part.startswith("0"):
            raise InvalidVersion(f"numeric pre-release identifier {part!r} has a leading zero")
    return identifiers


def _compare_identifiers(a: str, b: str) -> int:
    a_num, b_num = a.isdigit(), b.isdigit()
    if a_num and b_num:
        return _cmp(a, b)
    # Numeric identifiers have lower precedence than alphanumeric ones (SemVer 11.4.3).
    if a_num != b_num:
        return -1 if a_num else 1
    return _cmp(a, b)


def _compare_prerelease(a: tuple, b: tuple) -> int:
    # A release has higher precedence than any of its pre-releases (SemVer 11.3).
    if not a or not b:
        return _cmp(not a, not b)
    for x, y in zip(a, b):
        result = _compare_identifiers(x, y)
        if result:
            return result
    return _cmp(len(a), len(b))


@total_ordering
class Version:
    __slots__ = ("major", "minor", "patch", "prerelease", "build")

    def __init__(self, major: int, minor: int = 0, patch: int = 0, prerelease=(), build=()):
        """`prerelease` and `build` are sequences of identifiers; numbers in them are stored as strings."""
        if min(major, minor, patch) < 0:
            raise InvalidVersion("version numbers must not be negative")
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = tuple(str(part) for part in prerelease)
        self.build = tuple(str(part) for part in build)

    @classmethod
    def parse(cls, text: str) -> Version:
        match = _VERSION_RE.fullmatch(text.strip())
        if match is None:
            raise InvalidVersion(f"invalid version: {text!r}")
        prerelease, build = match["prerelease"], match["build"]
        return cls(
            int(match["major"]),
            int(match["minor"]),
            int(match["patch"]),
            _parse_prerelease(prerelease) if prerelease else (),
            tuple(build.split(".")) if build else (),
        )

    @property
    def release(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    @property
    def is_prerelease(self) -> bool:
        return bool(self.prerelease)

    def bump_major(self) -> Version:
        return Version(self.major + 1)

    def bump_minor(self) -> Version:
        return Version(self.major, self.minor + 1)

    def bump_patch(self) -> Version:
        return Version(self.major, self.minor, self.patch + 1)

    def bump_prerelease(self, label: str = "rc") -> Version:
        """The next pre-release: 1.2.3 -> 1.2.4-rc.1, 1.2.4-rc.1 -> 1.2.4-rc.2, 1.2.4-beta -> 1.2.4-beta.1."""
        if not self.prerelease:
            return Version(self.major, self.minor, self.patch + 1, (label, "1"))
        *head, last = self.prerelease
        if last.isdigit():
            return Version(self.major, self.minor, self.patch, (*head, str(int(last) + 1)))
        return Version(self.major, self.minor, self.patch, (*self.prerelease, "1"))

    def compare(self, other: Version | str) -> int:
        """-1, 0 or 1 by precedence. Build metadata does not count (SemVer 10)."""
        other = coerce(other)
        return _cmp(self.release, other.release) or _compare_prerelease(self.prerelease, other.prerelease)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.compare(other) == 0

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.compare(other) < 0

    def __hash__(self) -> int:
        return hash((self.release, self.prerelease))

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += "-" + ".".join(self.prerelease)
        if self.build:
            text += "+" + ".".join(self.build)
        return text

    def __repr__(self) -> str:
        return f"Version({str(self)!r})"


def coerce(value: Version | str) -> Version:
    """A Version from a Version or a version string."""
    if isinstance(value, Version):
        return value
    if isinstance(value, str):
        return Version.parse(value)
    raise TypeError(f"expected a Version or a string, got {type(value).__name__}")
