"""Parse, format and do arithmetic on human durations."""

__version__ = "0.1.0"
