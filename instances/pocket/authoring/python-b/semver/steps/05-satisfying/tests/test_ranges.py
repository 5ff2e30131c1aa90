import pytest

from semver import InvalidRange, Range, max_satisfying, min_satisfying, satisfies


def matches(range_text, *versions):
    r = Range(range_text)
    return [v for v in versions if r.test(v)]


def test_primitive_comparators():
    assert matches(">=1.2.3", "1.2.2", "1.2.3", "2.0.0") == ["1.2.3", "2.0.0"]
    assert matches("<1.2.3", "1.2.2", "1.2.3") == ["1.2.2"]
    assert matches("=1.2.3", "1.2.3", "1.2.4") == ["1.2.3"]
    assert matches("1.2.3", "1.2.3", "1.2.4") == ["1.2.3"]


def test_comparator_set_is_an_intersection():
    assert matches(">=1.2.0 <1.3.0", "1.1.9", "1.2.0", "1.2.9", "1.3.0") == ["1.2.0", "1.2.9"]


def test_union_of_sets():
    assert matches("<1.0.0 || >=2.0.0", "0.9.0", "1.5.0", "2.1.0") == ["0.9.0", "2.1.0"]


def test_whitespace_after_operator():
    assert str(Range(">= 1.2.3 < 2")) == ">=1.2.3 <2.0.0"


X_RANGES = {
    "*": "*",
    "1.x": ">=1.0.0 <2.0.0",
    "1.2.x": ">=1.2.0 <1.3.0",
    "1.2": ">=1.2.0 <1.3.0",
    "1": ">=1.0.0 <2.0.0",
    ">1.2": ">=1.3.0",
    "<=1.2": "<1.3.0",
    "<1.2": "<1.2.0",
    ">=1": ">=1.0.0",
}


@pytest.mark.parametrize("text", X_RANGES)
def test_x_ranges(text):
    assert str(Range(text)) == X_RANGES[text]


def test_empty_range_matches_everything():
    assert str(Range("")) == "*"
    assert Range("").test("0.0.1")


def test_hyphen_range():
    assert str(Range("1.2.3 - 2.3.4")) == ">=1.2.3 <=2.3.4"
    assert str(Range("1.2 - 2.3")) == ">=1.2.0 <2.4.0"
    assert matches("1.2.3 - 2.3", "1.2.2", "1.2.3", "2.3.9", "2.4.0") == ["1.2.3", "2.3.9"]


def test_prerelease_comparator():
    assert matches(">=1.0.0-rc.1", "1.0.0-beta.3", "1.0.0-rc.1", "1.0.0-rc.2", "1.0.0") == [
        "1.0.0-rc.1",
        "1.0.0-rc.2",
        "1.0.0",
    ]


CARETS = {
    "^1.2.3": ">=1.2.3 <2.0.0",
    "^1.2": ">=1.2.0 <2.0.0",
    "^1": ">=1.0.0 <2.0.0",
    "^1.x": ">=1.0.0 <2.0.0",
    "^0": ">=0.0.0 <1.0.0",
    "^0.x": ">=0.0.0 <1.0.0",
}


@pytest.mark.parametrize("text", CARETS)
def test_caret(text):
    assert str(Range(text)) == CARETS[text]


def test_caret_with_space():
    assert str(Range("^ 2.1.0")) == ">=2.1.0 <3.0.0"


def test_caret_matches():
    assert matches("^1.2.3", "1.2.2", "1.2.3", "1.9.0", "2.0.0") == ["1.2.3", "1.9.0"]


TILDES = {
    "~1.2.3": ">=1.2.3 <1.3.0",
    "~1.2": ">=1.2.0 <1.3.0",
    "~1": ">=1.0.0 <2.0.0",
    "~0.2.3": ">=0.2.3 <0.3.0",
}


@pytest.mark.parametrize("text", TILDES)
def test_tilde(text):
    assert str(Range(text)) == TILDES[text]


def test_tilde_matches():
    assert matches("~1.2.3", "1.2.2", "1.2.3", "1.2.9", "1.3.0") == ["1.2.3", "1.2.9"]


def test_contains():
    assert "1.4.0" in Range("1.x")


@pytest.mark.parametrize("text", [">=abc", "1.2.3.4", ">=01.2.3", "~>1.2"])
def test_invalid_range(text):
    with pytest.raises(InvalidRange):
        Range(text)


def test_satisfies():
    assert satisfies("1.2.7", "1.2.x || >=2.0.0")
    assert not satisfies("1.3.0", "1.2.x || >=2.0.0")


def test_max_and_min_satisfying():
    versions = ["1.2.3", "1.2.10", "1.3.0", "2.0.0"]
    assert str(max_satisfying(versions, "~1.2")) == "1.2.10"
    assert str(min_satisfying(versions, "^1.2.5")) == "1.2.10"
    assert max_satisfying(versions, ">=3") is None
