from durations.units import ALIASES, DAY, HOUR, MINUTE, SECOND, WEEK


def test_sizes_are_consistent():
    assert MINUTE == 60 * SECOND
    assert HOUR == 60 * MINUTE
    assert DAY == 24 * HOUR
    assert WEEK == 7 * DAY


def test_aliases_are_lowercase():
    assert all(alias == alias.lower() for alias in ALIASES)


def test_short_aliases():
    assert [ALIASES[a] for a in ("w", "d", "h", "m", "s")] == [WEEK, DAY, HOUR, MINUTE, SECOND]
