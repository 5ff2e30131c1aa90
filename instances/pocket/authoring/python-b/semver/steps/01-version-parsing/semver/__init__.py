"""Semantic versions: parsing and precedence."""

from .errors import InvalidVersion, SemverError
from .version import Version, coerce

__all__ = ["InvalidVersion", "SemverError", "Version", "coerce"]
__version__ = "0.1.0"
