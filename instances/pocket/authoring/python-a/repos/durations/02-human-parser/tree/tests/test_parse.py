import pytest

from durations import parse_human
from durations.units import DAY, HOUR, MINUTE, SECOND, WEEK


def test_compact():
    assert parse_human("1h30m") == HOUR + 30 * MINUTE


def test_single_unit():
    assert parse_human("90s") == 90 * SECOND


def test_long_names_with_spaces():
    assert parse_human("2 hours 15 minutes") == 2 * HOUR + 15 * MINUTE


def test_abbreviations():
    assert parse_human("1wk 2hrs 5mins 3secs") == WEEK + 2 * HOUR + 5 * MINUTE + 3 * SECOND


def test_commas():
    assert parse_human("1 day, 4 hours") == DAY + 4 * HOUR


def test_fractions():
    assert parse_human("1.5h") == HOUR + 30 * MINUTE
    assert parse_human(".5s") == 500


def test_case_insensitive():
    assert parse_human("1H30M") == parse_human("1h30m")


def test_negative():
    assert parse_human("-1m30s") == -90 * SECOND
    assert parse_human("+45s") == 45 * SECOND


def test_surrounding_whitespace():
    assert parse_human("  3d  ") == 3 * DAY


@pytest.mark.parametrize(
    "text",
    ["", "   ", "-", "1", "h", "1x", "1h30", "1.2.3s", "one hour", "1h-30m"],
    ids=["empty", "blank", "sign", "no-unit", "no-number", "bad-unit", "trailing-number",
         "bad-number", "words", "inner-sign"],
)
def test_rejects_invalid(text):
    with pytest.raises(ValueError):
        parse_human(text)


def test_rejects_repeated_unit():
    with pytest.raises(ValueError, match="twice"):
        parse_human("1h 2h")


def test_rejects_non_strings():
    with pytest.raises(TypeError):
        parse_human(90)
