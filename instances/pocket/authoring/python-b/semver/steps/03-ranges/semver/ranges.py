"""Version ranges in npm syntax: comparators, X-ranges and hyphen ranges, joined by "||"."""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from .errors import InvalidRange, InvalidVersion
from .version import Version, coerce

_PARTIAL_RE = re.compile(
    r"v?(?P<major>\d+|[xX*])"
    r"(?:\.(?P<minor>\d+|[xX*]))?"
    r"(?:\.(?P<patch>\d+|[xX*]))?"
    r"(?:-[0-9A-Za-z.-]+)?"
    r"(?:\+[0-9A-Za-z.-]+)?"
)
_OPERATOR_RE = re.compile(r"(<=|>=|<|>|=)?(.+)")
_HYPHEN_RE = re.compile(r"(\S+)\s+-\s+(\S+)")
_TESTS = {
    "<": lambda c: c < 0,
    "<=": lambda c: c <= 0,
    ">": lambda c: c > 0,
    ">=": lambda c: c >= 0,
    "=": lambda c: c == 0,
}


class Comparator:
    """One primitive condition such as ">=1.2.3"."""

    __slots__ = ("operator", "version")

    def __init__(self, operator: str, version: Version):
        if operator not in _TESTS:
            raise InvalidRange(f"unknown operator: {operator!r}")
        self.operator = operator
        self.version = version

    def test(self, version: Version) -> bool:
        return _TESTS[self.operator](version.compare(self.version))

    def __str__(self) -> str:
        return f"{self.operator}{self.version}"

    def __repr__(self) -> str:
        return f"Comparator({str(self)!r})"


class _Partial(NamedTuple):
    """A version that may leave out trailing parts or use wildcards: "1", "1.2", "1.x", "*"."""

    text: str
    major: Optional[int]
    minor: Optional[int]
    patch: Optional[int]

    def version(self) -> Version:
        """The exact version; only for a partial that gives all three numbers."""
        try:
            return Version.parse(self.text)
        except InvalidVersion as error:
            raise InvalidRange(str(error)) from None

    def floor(self) -> Version:
        """The lowest version the partial stands for: missing parts are zero."""
        return Version(self.major or 0, self.minor or 0, self.patch or 0)

    def next(self) -> Version:
        """The first version past every version the partial stands for; not for a full version."""
        if self.minor is None:
            return Version(self.major + 1)
        return Version(self.major, self.minor + 1)


def _parse_partial(text: str) -> _Partial:
    match = _PARTIAL_RE.fullmatch(text)
    if match is None:
        raise InvalidRange(f"invalid version in range: {text!r}")
    numbers: list[Optional[int]] = []
    for name in ("major", "minor", "patch"):
        value = match[name]
        # Everything after a wildcard is a wildcard too: "1.x.3" means "1.x".
        if value is None or value in "xX*" or (numbers and numbers[-1] is None):
            numbers.append(None)
        else:
            numbers.append(int(value))
    return _Partial(text, *numbers)


def _parse_comparator(token: str) -> list[Comparator]:
    operator, partial = _OPERATOR_RE.fullmatch(token).groups()
    partial = _parse_partial(partial)
    if partial.major is None:
        return []
    if partial.patch is not None:
        return [Comparator(operator or "=", partial.version())]
    if operator in (None, "="):
        return [Comparator(">=", partial.floor()), Comparator("<", partial.next())]
    if operator == ">":
        return [Comparator(">=", partial.next())]
    if operator == "<=":
        return [Comparator("<", partial.next())]
    return [Comparator(operator, partial.floor())]


def _parse_hyphen(low: _Partial, high: _Partial) -> list[Comparator]:
    comparators = [] if low.major is None else [Comparator(">=", low.floor())]
    if high.major is None:
        return comparators
    if high.patch is None:
        comparators.append(Comparator("<", high.next()))
    else:
        comparators.append(Comparator("<=", high.version()))
    return comparators


def _parse_set(text: str) -> list[Comparator]:
    text = text.strip()
    hyphen = _HYPHEN_RE.fullmatch(text)
    if hyphen:
        return _parse_hyphen(_parse_partial(hyphen[1]), _parse_partial(hyphen[2]))
    # npm accepts whitespace between an operator and its version: ">= 1.2.3".
    text = re.sub(r"(<=|>=|<|>|=)\s+", r"\1", text)
    comparators: list[Comparator] = []
    for token in text.split():
        comparators.extend(_parse_comparator(token))
    return comparators


class Range:
    """A set of versions: comparator sets joined by "||"; a version matches when it satisfies every
    comparator of at least one set."""

    __slots__ = ("raw", "sets")

    def __init__(self, text: str):
        self.raw = text
        self.sets = [_parse_set(part) for part in text.split("||")]

    def test(self, version: Version | str) -> bool:
        version = coerce(version)
        return any(all(c.test(version) for c in comparators) for comparators in self.sets)

    def __contains__(self, version: Version | str) -> bool:
        return self.test(version)

    def __str__(self) -> str:
        return " || ".join(" ".join(map(str, comparators)) or "*" for comparators in self.sets)

    def __repr__(self) -> str:
        return f"Range({self.raw!r})"
