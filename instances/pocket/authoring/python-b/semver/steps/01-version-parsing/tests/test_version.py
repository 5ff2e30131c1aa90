import pytest

from semver import InvalidVersion, Version


def test_parse_release():
    v = Version.parse("1.2.3")
    assert (v.major, v.minor, v.patch) == (1, 2, 3)
    assert v.prerelease == ()
    assert v.build == ()


def test_parse_prerelease_and_build():
    v = Version.parse("1.0.0-alpha.1+exp.sha.5114f85")
    assert v.prerelease == ("alpha", 1)
    assert v.build == ("exp", "sha", "5114f85")


def test_parse_accepts_v_prefix_and_whitespace():
    assert Version.parse(" v2.0.1 ") == Version(2, 0, 1)


@pytest.mark.parametrize(
    "text",
    ["1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-", "1.2.3+", "1.2.3-01", "1.2.3-a..b", "one.two.three", "-"],
)
def test_parse_rejects_invalid(text):
    with pytest.raises(InvalidVersion):
        Version.parse(text)


def test_str_round_trip():
    for text in ["0.0.0", "1.2.3", "1.2.3-rc.1", "1.2.3+build.11", "1.0.0-x.7.z.92+meta-data"]:
        assert str(Version.parse(text)) == text


def test_compare_release_numbers():
    assert Version.parse("1.2.3") < Version.parse("1.2.4")
    assert Version.parse("1.10.0") > Version.parse("1.9.9")
    assert Version.parse("2.0.0") > Version.parse("1.99.99")


def test_prerelease_lower_than_release():
    assert Version.parse("1.0.0-rc.1") < Version.parse("1.0.0")
    assert Version.parse("1.0.0") > Version.parse("1.0.0-alpha")


def test_numeric_identifiers_lower_than_alphanumeric():
    assert Version.parse("1.0.0-1") < Version.parse("1.0.0-alpha")
    assert Version.parse("1.0.0-alpha.1") < Version.parse("1.0.0-alpha.beta")


def test_longer_prerelease_is_greater():
    assert Version.parse("1.0.0-alpha") < Version.parse("1.0.0-alpha.1")


def test_build_metadata_ignored_in_precedence():
    a, b = Version.parse("1.0.0+build.1"), Version.parse("1.0.0+build.2")
    assert a == b
    assert hash(a) == hash(b)
    assert not a < b and not b < a


def test_compare_accepts_strings():
    assert Version.parse("1.2.3").compare("1.2.4") == -1
    assert Version.parse("1.2.3").compare("1.2.3+x") == 0
