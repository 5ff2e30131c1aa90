import pytest

from inikit import Config, NoOptionError

TEXT = """\
[DEFAULT]
timeout = 30
log_level = info

[server]
host = example.org
log_level = debug

[worker]
threads = 4
"""


@pytest.fixture
def cfg():
    config = Config()
    config.read_string(TEXT)
    return config


def test_default_is_not_a_section(cfg):
    assert cfg.sections() == ["server", "worker"]
    assert not cfg.has_section("DEFAULT")


def test_get_falls_back_to_default(cfg):
    assert cfg.get("server", "timeout") == "30"
    assert cfg.getint("worker", "timeout") == 30


def test_section_value_overrides_default(cfg):
    assert cfg.get("server", "log_level") == "debug"
    assert cfg.get("worker", "log_level") == "info"


def test_defaults_mapping(cfg):
    assert cfg.defaults() == {"timeout": "30", "log_level": "info"}


def test_get_from_default_section(cfg):
    assert cfg.get("DEFAULT", "timeout") == "30"


def test_missing_everywhere(cfg):
    with pytest.raises(NoOptionError):
        cfg.get("server", "missing")


def test_set_default_after_reading(cfg):
    cfg.set("DEFAULT", "retries", "5")
    assert cfg.get("worker", "retries") == "5"


def test_removing_option_reveals_default(cfg):
    cfg.remove_option("server", "log_level")
    assert cfg.get("server", "log_level") == "info"


def test_constructor_defaults():
    config = Config(defaults={"Retries": 3, "verbose": True})
    config.add_section("db")
    assert config.getint("db", "retries") == 3
    assert config.getboolean("db", "verbose") is True


def test_file_defaults_override_constructor_defaults():
    config = Config(defaults={"timeout": 10})
    config.read_string(TEXT)
    assert config.get("worker", "timeout") == "30"


def test_cannot_add_default_section(cfg):
    with pytest.raises(ValueError):
        cfg.add_section("DEFAULT")
