import pytest

from durations import Duration


def test_seconds_and_ms_constructors_agree():
    assert Duration(90) == Duration(ms=90_000)
    assert Duration(1, ms=500).ms == 1500


def test_float_seconds_are_exact():
    assert Duration(0.1).ms == 100
    assert Duration(2.675).ms == 2675


def test_parse():
    assert Duration.parse("1h30m") == Duration(5400)


def test_total_seconds():
    assert Duration(ms=1500).total_seconds() == 1.5


def test_ordering_and_equality():
    assert Duration(59) < Duration(60) <= Duration(60) < Duration(61)
    assert Duration(60) != Duration(61)
    assert Duration(60) != 60


def test_hashable():
    assert len({Duration(60), Duration(ms=60_000), Duration(61)}) == 2


def test_truthiness():
    assert not Duration()
    assert Duration(ms=1)


def test_add_and_subtract():
    assert Duration(60) + Duration(30) == Duration(90)
    assert Duration(60) - Duration(90) == Duration(-30)


def test_sum():
    assert sum([Duration(1), Duration(2), Duration(3)]) == Duration(6)


def test_cannot_add_numbers():
    with pytest.raises(TypeError):
        Duration(60) + 5


def test_multiply():
    assert Duration(90) * 2 == Duration(180)
    assert 0.5 * Duration(90) == Duration(45)


def test_divide_by_number_rounds_half_up():
    assert Duration(ms=5) / 2 == Duration(ms=3)
    assert Duration(ms=-5) / 2 == Duration(ms=-3)


def test_divide_by_duration():
    assert Duration(90) / Duration(60) == 1.5
    assert Duration(150) // Duration(60) == 2
    assert Duration(150) % Duration(60) == Duration(30)


def test_neg_and_abs():
    assert -Duration(5) == Duration(-5)
    assert abs(Duration(-5)) == Duration(5)


def test_rejects_bad_types():
    with pytest.raises(TypeError):
        Duration("90")
    with pytest.raises(TypeError):
        Duration(ms=1.5)
