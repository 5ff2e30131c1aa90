import pytest

from inikit import Config

TEXT = """\
[DEFAULT]
timeout = 30

[server]
host = example.org
port = 8080
debug = off
"""


@pytest.fixture
def cfg():
    config = Config()
    config.read_string(TEXT)
    return config


def test_getitem(cfg):
    assert cfg["server"]["host"] == "example.org"


def test_getitem_uses_defaults(cfg):
    assert cfg["server"]["timeout"] == "30"


def test_missing_option_is_key_error(cfg):
    with pytest.raises(KeyError):
        cfg["server"]["missing"]
    assert cfg["server"].get("missing") is None


def test_missing_section_is_key_error(cfg):
    with pytest.raises(KeyError):
        cfg["missing"]


def test_contains_and_iter(cfg):
    assert "server" in cfg
    assert "DEFAULT" not in cfg
    assert list(cfg) == ["server"]


def test_setitem_and_delitem(cfg):
    cfg["server"]["port"] = "9090"
    assert cfg.get("server", "port") == "9090"
    del cfg["server"]["port"]
    assert not cfg.has_option("server", "port")
    with pytest.raises(KeyError):
        del cfg["server"]["port"]


def test_typed_getters(cfg):
    section = cfg["server"]
    assert section.getint("port") == 8080
    assert section.getboolean("debug") is False
    assert section.getfloat("missing", 1.5) == 1.5


def test_section_options(cfg):
    assert list(cfg["server"]) == ["host", "port", "debug"]
    assert len(cfg["server"]) == 3
    assert cfg["server"].name == "server"
