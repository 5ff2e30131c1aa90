import pytest

from inikit import Config, NoOptionError, NoSectionError

TEXT = """\
[cache]
size = 64
big = 1_000_000
ratio = 0.75
enabled = yes
bad = many
hosts = a.example, b.example,
paths =
    /var/cache
    /tmp
ports = 80:443
"""


@pytest.fixture
def cfg():
    config = Config()
    config.read_string(TEXT)
    return config


def test_getint(cfg):
    assert cfg.getint("cache", "size") == 64
    assert cfg.getint("cache", "big") == 1_000_000


def test_getfloat(cfg):
    assert cfg.getfloat("cache", "ratio") == 0.75


@pytest.mark.parametrize(
    "text, expected",
    [("yes", True), ("No", False), ("TRUE", True), ("false", False), ("on", True),
     ("off", False), ("1", True), ("0", False)],
)
def test_getboolean(text, expected):
    config = Config()
    config.read_string(f"[a]\nflag = {text}\n")
    assert config.getboolean("a", "flag") is expected


def test_getboolean_invalid(cfg):
    with pytest.raises(ValueError, match="not a boolean"):
        cfg.getboolean("cache", "bad")


def test_getint_invalid(cfg):
    with pytest.raises(ValueError):
        cfg.getint("cache", "bad")


def test_getlist(cfg):
    assert cfg.getlist("cache", "hosts") == ["a.example", "b.example"]
    assert cfg.getlist("cache", "paths") == ["/var/cache", "/tmp"]
    assert cfg.getlist("cache", "ports", sep=":") == ["80", "443"]


def test_fallback_for_missing_option(cfg):
    assert cfg.get("cache", "missing", fallback="x") == "x"
    assert cfg.getint("cache", "missing", fallback=10) == 10
    assert cfg.getfloat("cache", "missing", fallback=0.5) == 0.5
    assert cfg.getboolean("cache", "missing", fallback=False) is False
    assert cfg.getlist("cache", "missing", fallback=[]) == []


def test_fallback_not_used_when_option_exists(cfg):
    assert cfg.getint("cache", "size", fallback=1) == 64


def test_invalid_value_is_an_error_even_with_fallback(cfg):
    with pytest.raises(ValueError):
        cfg.getint("cache", "bad", fallback=0)


def test_missing_option_without_fallback(cfg):
    with pytest.raises(NoOptionError):
        cfg.getint("cache", "missing")


def test_missing_section_without_fallback(cfg):
    with pytest.raises(NoSectionError):
        cfg.getboolean("missing", "enabled")
