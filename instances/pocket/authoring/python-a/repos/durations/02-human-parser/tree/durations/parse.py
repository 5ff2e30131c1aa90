"""Parse durations written by people: "1h30m", "90s", "2 days, 4 hours"."""

import re
from decimal import ROUND_HALF_UP, Decimal

from .units import ALIASES

_COMPONENT = re.compile(
    r"\s*(?P<number>\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>" + "|".join(ALIASES) + r")\s*,?"
)


def parse_human(text):
    """Return the length of ``text`` in milliseconds.

    A duration is one or more components, each a number and a unit ("1h", "30 minutes",
    "1.5d"), optionally separated by spaces or commas. Each unit may appear once. Units
    are case-insensitive; a leading "-" negates the whole duration. Fractions of a
    millisecond are rounded half up.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected a string, got {type(text).__name__}")
    body = text.strip().lower()
    negative = body.startswith("-")
    if body.startswith(("-", "+")):
        body = body[1:].lstrip()
    if not body:
        raise ValueError(f"invalid duration: {text!r}")
    total = Decimal(0)
    seen = set()
    pos = 0
    while pos < len(body):
        match = _COMPONENT.match(body, pos)
        if match is None:
            raise ValueError(f"invalid duration: {text!r}")
        size = ALIASES[match["unit"]]
        if size in seen:
            raise ValueError(f"unit given twice in duration: {text!r}")
        seen.add(size)
        total += Decimal(match["number"]) * size
        pos = match.end()
    ms = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return -ms if negative else ms
