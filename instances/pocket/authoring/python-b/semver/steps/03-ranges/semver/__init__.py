"""Semantic versions: parsing, precedence and npm-style ranges."""

from .errors import InvalidRange, InvalidVersion, SemverError
from .ranges import Comparator, Range
from .version import Version, coerce

__all__ = ["Comparator", "InvalidRange", "InvalidVersion", "Range", "SemverError", "Version", "coerce"]
__version__ = "0.2.0"
