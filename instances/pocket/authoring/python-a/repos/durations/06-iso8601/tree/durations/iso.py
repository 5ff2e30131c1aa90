"""ISO-8601 durations such as "PT1H30M", "P2DT3H" or "-PT45S"."""

import re

from .units import DAY, HOUR, MINUTE, SECOND, WEEK

_ISO = re.compile(
    r"(?P<sign>[-+])?P"
    r"(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?"
)
_FIELDS = (("weeks", WEEK), ("days", DAY), ("hours", HOUR), ("minutes", MINUTE), ("seconds", SECOND))


def parse_iso(text):
    """Return the length in milliseconds of an ISO-8601 duration such as "PT1H30M".

    Weeks, days, hours, minutes and seconds are understood; years and months are
    rejected because their length varies. A leading "-" negates the duration.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    match = _ISO.fullmatch(text.strip().upper())
    # "P", "PT" and "P1DT" match the pattern but name no time at all after P or T.
    if match is None or not any(match[name] for name, _ in _FIELDS) or match[0].endswith("T"):
        raise ValueError(f"invalid ISO-8601 duration: {text!r}")
    ms = sum(int(match[name]) * size for name, size in _FIELDS if match[name])
    return -ms if match["sign"] == "-" else ms


def format_iso(ms):
    """Format a number of milliseconds as ISO-8601: 5_400_000 -> "PT1H30M".

    Days are the largest unit written (ISO-8601 does not mix weeks with other units),
    so two weeks read "P14D". Zero is "PT0S".
    """
    if ms == 0:
        return "PT0S"
    sign = "-" if ms < 0 else ""
    seconds = abs(ms) // SECOND
    days, seconds = divmod(seconds, DAY // SECOND)
    hours, seconds = divmod(seconds, HOUR // SECOND)
    minutes, seconds = divmod(seconds, MINUTE // SECOND)
    text = sign + "P"
    if days:
        text += f"{days}D"
    if hours or minutes or seconds:
        text += "T"
        if hours:
            text += f"{hours}H"
        if minutes:
            text += f"{minutes}M"
        if seconds:
            text += f"{seconds}S"
    return text
