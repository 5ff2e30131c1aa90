"""Semantic versions: parsing, precedence and npm-style ranges."""

from .errors import InvalidRange, InvalidVersion, SemverError
from .ranges import Comparator, Range, max_satisfying, min_satisfying, satisfies
from .version import Version, coerce

__all__ = [
    "Comparator",
    "InvalidRange",
    "InvalidVersion",
    "Range",
    "SemverError",
    "Version",
    "coerce",
    "max_satisfying",
    "min_satisfying",
    "satisfies",
]
__version__ = "0.3.0"
