"""A small INI configuration reader and writer."""

from .errors import DuplicateOptionError, DuplicateSectionError, Error, ParseError

__all__ = ["DuplicateOptionError", "DuplicateSectionError", "Error", "ParseError"]
__version__ = "0.1.0"
