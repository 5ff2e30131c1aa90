"""Parse, format and do arithmetic on human durations."""

from .parse import parse_human

__all__ = ["parse_human"]
__version__ = "0.1.0"
