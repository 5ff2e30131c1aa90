"""Parse, format and do arithmetic on human durations."""

from .duration import Duration
from .format import format_duration
from .parse import parse_human

__all__ = ["Duration", "format_duration", "parse_human"]
__version__ = "0.1.0"
