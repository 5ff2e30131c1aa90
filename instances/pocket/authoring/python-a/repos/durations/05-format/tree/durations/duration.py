"""The Duration value type."""

from functools import total_ordering

from .format import format_duration
from .parse import parse_human
from .units import SECOND, is_number, round_ms, seconds_to_ms, to_decimal


@total_ordering
class Duration:
    """A signed length of time with millisecond resolution.

    ``Duration(90)`` and ``Duration(ms=90_000)`` are both ninety seconds;
    ``Duration.parse("1h30m")`` reads text and ``str()`` writes it back.
    """

    __slots__ = ("_ms",)

    def __init__(self, seconds=0, *, ms=0):
        if not is_number(seconds):
            raise TypeError(f"seconds must be a number, got {type(seconds).__name__}")
        if not isinstance(ms, int) or isinstance(ms, bool):
            raise TypeError(f"ms must be an int, got {type(ms).__name__}")
        self._ms = seconds_to_ms(seconds) + ms

    @classmethod
    def parse(cls, text):
        """Read a duration such as "1h30m" or "90 seconds"."""
        return cls(ms=parse_human(text))

    @property
    def ms(self):
        return self._ms

    def total_seconds(self):
        return self._ms / SECOND

    def __repr__(self):
        return f"Duration(ms={self._ms})"

    def __str__(self):
        return format_duration(self)

    def __eq__(self, other):
        if isinstance(other, Duration):
            return self._ms == other._ms
        return NotImplemented

    def __lt__(self, other):
        if isinstance(other, Duration):
            return self._ms < other._ms
        return NotImplemented

    def __hash__(self):
        return hash(self._ms)

    def __bool__(self):
        return self._ms != 0

    def __neg__(self):
        return Duration(ms=-self._ms)

    def __pos__(self):
        return self

    def __abs__(self):
        return Duration(ms=abs(self._ms))

    def __add__(self, other):
        if isinstance(other, Duration):
            return Duration(ms=self._ms + other._ms)
        return NotImplemented

    def __radd__(self, other):
        # Lets sum() work without a start value.
        if other == 0:
            return self
        return NotImplemented

    def __sub__(self, other):
        if isinstance(other, Duration):
            return Duration(ms=self._ms - other._ms)
        return NotImplemented

    def __mul__(self, factor):
        if not is_number(factor):
            return NotImplemented
        return Duration(ms=round_ms(self._ms * to_decimal(factor)))

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, Duration):
            return self._ms / other._ms
        if not is_number(other):
            return NotImplemented
        return Duration(ms=round_ms(self._ms / to_decimal(other)))

    def __floordiv__(self, other):
        if isinstance(other, Duration):
            return self._ms // other._ms
        return NotImplemented

    def __mod__(self, other):
        if isinstance(other, Duration):
            return Duration(ms=self._ms % other._ms)
        return NotImplemented
