"""Compact formatting: 5400 seconds -> "1h30m"."""

from .units import DISPLAY, is_number, seconds_to_ms


def format_duration(value, *, largest=None, sep=""):
    """Format ``value``, a Duration or a number of seconds, as "1h30m".

    Units run from weeks down to milliseconds; units that are zero are left out. With
    ``largest=n`` only ``n`` units are kept, counted from the first non-zero one, and
    the last of them is rounded to the nearest (halves round up): 1h40m with
    ``largest=1`` reads "2h". ``sep`` goes between units ("1h 30m" with ``sep=" "``).
    """
    if largest is not None and largest < 1:
        raise ValueError(f"largest must be at least 1, got {largest}")
    ms = _milliseconds(value)
    if ms == 0:
        return "0s"
    sign = "-" if ms < 0 else ""
    parts = _split(abs(ms))
    if largest is not None and len(parts) > largest:
        dropped = parts[largest:]
        parts = parts[:largest]
        remainder = sum(count * size for count, _, size in dropped)
        if 2 * remainder >= parts[-1][2]:
            parts[-1][0] += 1
    return sign + sep.join(f"{count}{symbol}" for count, symbol, _ in parts if count)


def _milliseconds(value):
    ms = getattr(value, "ms", None)
    if isinstance(ms, int):
        return ms
    if not is_number(value):
        raise TypeError(f"expected a Duration or a number of seconds, got {type(value).__name__}")
    return seconds_to_ms(value)


def _split(ms):
    """[count, symbol, size] for each unit from the first non-zero one down to ms."""
    parts = []
    for symbol, size in DISPLAY:
        count, ms = divmod(ms, size)
        if count or parts:
            parts.append([count, symbol, size])
    return parts
