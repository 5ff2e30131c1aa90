import pytest

from durations import format_iso, parse_iso
from durations.units import DAY, HOUR, MINUTE, SECOND, WEEK


def test_parse_time_part():
    assert parse_iso("PT1H30M") == HOUR + 30 * MINUTE
    assert parse_iso("PT45S") == 45 * SECOND


def test_parse_days_and_time():
    assert parse_iso("P2DT3H") == 2 * DAY + 3 * HOUR


def test_parse_weeks():
    assert parse_iso("P2W") == 2 * WEEK


def test_parse_sign():
    assert parse_iso("-PT90M") == -90 * MINUTE
    assert parse_iso("+PT1S") == SECOND


def test_parse_lowercase_and_whitespace():
    assert parse_iso(" pt1h ") == HOUR


@pytest.mark.parametrize(
    "text",
    ["", "P", "PT", "P1DT", "1H", "PT1H30", "P1M", "P1Y", "PT1S1M", "PT-1S", "PT1..5S"],
    ids=["empty", "bare-p", "bare-t", "empty-time", "no-p", "no-designator", "months",
         "years", "wrong-order", "inner-sign", "bad-number"],
)
def test_parse_rejects_invalid(text):
    with pytest.raises(ValueError):
        parse_iso(text)


def test_format_zero():
    assert format_iso(0) == "PT0S"


def test_format_time_part():
    assert format_iso(HOUR + 30 * MINUTE) == "PT1H30M"
    assert format_iso(45 * SECOND) == "PT45S"


def test_format_days():
    assert format_iso(DAY + 2 * HOUR) == "P1DT2H"
    assert format_iso(2 * WEEK) == "P14D"


def test_format_negative():
    assert format_iso(-90 * SECOND) == "-PT1M30S"


def test_round_trip_whole_seconds():
    for ms in (SECOND, 59 * SECOND, HOUR + SECOND, 3 * DAY + 4 * MINUTE, 10 * WEEK):
        assert parse_iso(format_iso(ms)) == ms
