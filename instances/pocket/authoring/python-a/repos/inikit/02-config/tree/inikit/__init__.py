"""A small INI configuration reader and writer."""

from .config import Config
from .errors import (
    DuplicateOptionError,
    DuplicateSectionError,
    Error,
    NoOptionError,
    NoSectionError,
    ParseError,
)

__all__ = [
    "Config",
    "DuplicateOptionError",
    "DuplicateSectionError",
    "Error",
    "NoOptionError",
    "NoSectionError",
    "ParseError",
]
__version__ = "0.1.0"
