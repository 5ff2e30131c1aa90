"""Parse, format and do arithmetic on human durations."""

from .duration import Duration
from .format import format_duration
from .iso import format_iso, parse_iso
from .parse import parse_human

__all__ = ["Duration", "format_duration", "format_iso", "parse_human", "parse_iso"]
__version__ = "0.1.0"
