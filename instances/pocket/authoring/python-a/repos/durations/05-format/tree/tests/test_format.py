import pytest

from durations import Duration, format_duration
from durations.units import DAY, HOUR, MINUTE, SECOND, WEEK


def test_zero():
    assert format_duration(0) == "0s"


def test_compact():
    assert format_duration(5400) == "1h30m"


def test_every_unit():
    value = Duration(ms=WEEK + DAY + HOUR + MINUTE + SECOND + 1)
    assert format_duration(value) == "1w1d1h1m1s1ms"


def test_skips_zero_units():
    assert format_duration(3601) == "1h1s"


def test_milliseconds():
    assert format_duration(Duration(ms=1250)) == "1s250ms"
    assert format_duration(0.5) == "500ms"


def test_negative():
    assert format_duration(-90) == "-1m30s"


def test_separator():
    assert format_duration(5400, sep=" ") == "1h 30m"


def test_str():
    assert str(Duration(5400)) == "1h30m"
    assert str(Duration()) == "0s"


def test_largest_rounds_down():
    assert format_duration(Duration.parse("1h20m10s"), largest=2) == "1h20m"


def test_largest_rounds_up():
    assert format_duration(Duration.parse("1h40m"), largest=1) == "2h"


def test_largest_rounds_half_up():
    assert format_duration(Duration.parse("2h30m"), largest=1) == "3h"
    assert format_duration(Duration.parse("2m30s"), largest=1) == "3m"


def test_largest_counts_from_first_nonzero_unit():
    assert format_duration(Duration.parse("1h0m40s"), largest=2) == "1h1m"


def test_largest_negative():
    assert format_duration(Duration.parse("-1h40m"), largest=1) == "-2h"


def test_largest_when_nothing_to_drop():
    assert format_duration(90, largest=3) == "1m30s"


def test_largest_keeps_milliseconds():
    assert format_duration(Duration(ms=1250), largest=2) == "1s250ms"


def test_largest_must_be_positive():
    with pytest.raises(ValueError):
        format_duration(90, largest=0)


def test_rejects_strings():
    with pytest.raises(TypeError):
        format_duration("90s")
