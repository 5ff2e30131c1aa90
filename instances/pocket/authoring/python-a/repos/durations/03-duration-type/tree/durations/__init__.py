"""Parse, format and do arithmetic on human durations."""

from .duration import Duration
from .parse import parse_human

__all__ = ["Duration", "parse_human"]
__version__ = "0.1.0"
