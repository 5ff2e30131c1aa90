"""Unit sizes shared by the parser and the formatter, in milliseconds."""

MILLISECOND = 1
SECOND = 1000 * MILLISECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY

# Every spelling the parser accepts. Within a unit, longer spellings come first:
# the parser tries them in this order, so "hours" must be tried before "h".
ALIASES = {
    "weeks": WEEK, "week": WEEK, "wk": WEEK, "w": WEEK,
    "days": DAY, "day": DAY, "d": DAY,
    "hours": HOUR, "hour": HOUR, "hrs": HOUR, "hr": HOUR, "h": HOUR,
    "minutes": MINUTE, "minute": MINUTE, "mins": MINUTE, "min": MINUTE, "m": MINUTE,
    "seconds": SECOND, "second": SECOND, "secs": SECOND, "sec": SECOND, "s": SECOND,
    "milliseconds": MILLISECOND, "millisecond": MILLISECOND, "msecs": MILLISECOND,
    "msec": MILLISECOND, "ms": MILLISECOND,
}
