import pytest

from inikit import Config, DuplicateSectionError, NoOptionError, NoSectionError

TEXT = """\
[server]
host = example.org
Port = 8080

[client]
retries = 3
"""


@pytest.fixture
def cfg():
    config = Config()
    config.read_string(TEXT)
    return config


def test_sections(cfg):
    assert cfg.sections() == ["server", "client"]
    assert cfg.has_section("server")
    assert not cfg.has_section("missing")


def test_get(cfg):
    assert cfg.get("server", "host") == "example.org"


def test_options_are_stored_lowercase(cfg):
    assert cfg.options("server") == ["host", "port"]


def test_items(cfg):
    assert cfg.items("server") == [("host", "example.org"), ("port", "8080")]


def test_has_option(cfg):
    assert cfg.has_option("server", "host")
    assert not cfg.has_option("server", "missing")
    assert not cfg.has_option("missing", "host")


def test_missing_option(cfg):
    with pytest.raises(NoOptionError):
        cfg.get("server", "missing")


def test_missing_section(cfg):
    with pytest.raises(NoSectionError):
        cfg.get("missing", "host")


def test_section_names_are_case_sensitive():
    config = Config()
    config.read_string("[App]\nname = upper\n[app]\nname = lower\n")
    assert config.get("App", "name") == "upper"
    assert config.get("app", "name") == "lower"
    assert not config.has_section("APP")


def test_set_and_add_section(cfg):
    cfg.add_section("cache")
    cfg.set("cache", "size", "64")
    assert cfg.items("cache") == [("size", "64")]


def test_set_replaces_value(cfg):
    cfg.set("server", "host", "localhost")
    assert cfg.get("server", "host") == "localhost"


def test_set_requires_strings(cfg):
    with pytest.raises(TypeError):
        cfg.set("server", "port", 8080)


def test_add_existing_section(cfg):
    with pytest.raises(DuplicateSectionError):
        cfg.add_section("server")


def test_add_invalid_section(cfg):
    with pytest.raises(ValueError):
        cfg.add_section("bad]name")


def test_remove_option_and_section(cfg):
    assert cfg.remove_option("server", "host")
    assert not cfg.remove_option("server", "host")
    assert cfg.remove_section("client")
    assert not cfg.remove_section("client")
    assert cfg.sections() == ["server"]


def test_later_reads_override(cfg):
    cfg.read_string("[server]\nhost = override\n[extra]\nx = 1\n")
    assert cfg.get("server", "host") == "override"
    assert cfg.get("server", "port") == "8080"
    assert cfg.sections() == ["server", "client", "extra"]


def test_read_file(tmp_path):
    path = tmp_path / "app.ini"
    path.write_text("[a]\nx = 1\n", encoding="utf-8")
    config = Config()
    config.read(path)
    assert config.get("a", "x") == "1"


def test_read_dict():
    config = Config()
    config.read_dict({"DEFAULT": {"Timeout": 30}, "server": {"port": 8080, "debug": False}})
    assert config.sections() == ["server"]
    assert config.get("server", "port") == "8080"
    assert config.get("server", "debug") == "False"
    assert config.getint("server", "timeout") == 30


def test_read_dict_merges(cfg):
    cfg.read_dict({"server": {"host": "localhost"}})
    assert cfg.items("server") == [("host", "localhost"), ("port", "8080")]
