"""Unit sizes shared by the parser and the formatter, in milliseconds."""

from decimal import ROUND_HALF_UP, Decimal

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

# What the formatter writes, largest unit first.
DISPLAY = (("w", WEEK), ("d", DAY), ("h", HOUR), ("m", MINUTE), ("s", SECOND), ("ms", MILLISECOND))


def is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def to_decimal(number):
    # repr() of a float is the shortest decimal that reads back the same: 0.1 -> "0.1".
    return Decimal(repr(number)) if isinstance(number, float) else Decimal(number)


def round_ms(amount):
    """Round a Decimal number of milliseconds to an int, halves away from zero."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def seconds_to_ms(seconds):
    return round_ms(to_decimal(seconds) * SECOND)
