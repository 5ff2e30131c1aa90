from durations.units import ALIASES, DAY, HOUR, MILLISECOND, MINUTE, SECOND, WEEK


def test_sizes_are_consistent():
    assert SECOND == 1000 * MILLISECOND
    assert MINUTE == 60 * SECOND
    assert HOUR == 60 * MINUTE
    assert DAY == 24 * HOUR
    assert WEEK == 7 * DAY


def test_aliases_are_lowercase():
    assert all(alias == alias.lower() for alias in ALIASES)


def test_short_aliases():
    assert [ALIASES[a] for a in ("w", "d", "h", "m", "s", "ms")] == [
        WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND,
    ]


def test_millisecond_spellings():
    for alias in ("milliseconds", "millisecond", "msecs", "msec", "ms"):
        assert ALIASES[alias] == MILLISECOND
