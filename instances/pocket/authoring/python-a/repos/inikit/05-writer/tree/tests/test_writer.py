import io

from inikit import Config

TEXT = """\
[DEFAULT]
timeout = 30

[server]
host = example.org
port = 8080

[paths]
search =
    /usr/share
    /opt/share
empty =
"""


def read(text):
    config = Config()
    config.read_string(text)
    return config


def test_to_string_is_canonical():
    assert read(TEXT).to_string() == TEXT


def test_round_trip_keeps_values():
    original = read(TEXT)
    copy = read(original.to_string())
    assert copy.sections() == original.sections()
    for section in original.sections():
        assert copy.items(section) == original.items(section)
    assert copy.defaults() == original.defaults()


def test_multi_line_value_set_in_code():
    config = Config()
    config.add_section("motd")
    config.set("motd", "text", "hello\nworld")
    assert config.to_string() == "[motd]\ntext = hello\n    world\n"
    assert read(config.to_string()).get("motd", "text") == "hello\nworld"


def test_comments_are_not_kept():
    assert read("# note\n[a]\n; more\nx = 1\n").to_string() == "[a]\nx = 1\n"


def test_empty_config():
    assert Config().to_string() == ""


def test_write_to_handle():
    handle = io.StringIO()
    read("[a]\nx = 1\n").write(handle)
    assert handle.getvalue() == "[a]\nx = 1\n"


def test_option_names_written_lowercase():
    assert read("[a]\nMaxSize = 1\n").to_string() == "[a]\nmaxsize = 1\n"
