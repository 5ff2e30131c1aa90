from semver import Version


def bump(text, part):
    return str(getattr(Version.parse(text), f"bump_{part}")())


def test_bump_major():
    assert bump("1.2.3", "major") == "2.0.0"
    assert bump("0.9.12", "major") == "1.0.0"


def test_bump_minor():
    assert bump("1.2.3", "minor") == "1.3.0"
    assert bump("1.2.0", "minor") == "1.3.0"


def test_bump_patch():
    assert bump("1.2.3", "patch") == "1.2.4"


def test_bump_drops_build_metadata():
    assert bump("1.2.3+build.9", "patch") == "1.2.4"
    assert bump("1.2.3+build.9", "minor") == "1.3.0"


def test_bump_returns_a_new_version():
    v = Version.parse("1.2.3")
    v.bump_major()
    v.bump_minor()
    v.bump_patch()
    assert str(v) == "1.2.3"


def test_bump_prerelease():
    assert bump("1.2.3", "prerelease") == "1.2.4-rc.1"
    assert bump("1.2.4-rc.1", "prerelease") == "1.2.4-rc.2"
    assert bump("1.2.4-beta", "prerelease") == "1.2.4-beta.1"


def test_bump_prerelease_label():
    assert str(Version.parse("2.0.0").bump_prerelease("alpha")) == "2.0.1-alpha.1"
