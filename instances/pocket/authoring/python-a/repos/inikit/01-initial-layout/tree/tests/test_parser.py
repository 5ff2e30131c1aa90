import pytest

from inikit import DuplicateOptionError, DuplicateSectionError, ParseError
from inikit.parser import parse


def test_sections_and_options():
    text = "[server]\nhost = example.org\nport = 8080\n\n[client]\nretries = 3\n"
    assert parse(text) == {
        "server": {"host": "example.org", "port": "8080"},
        "client": {"retries": "3"},
    }


def test_colon_separator_and_spacing():
    assert parse("[a]\nx: 1\ny=2\nz   =   3  \n") == {"a": {"x": "1", "y": "2", "z": "3"}}


def test_comment_lines():
    text = "# top\n[a]\n; about x\nx = 1\n  # indented comment\n"
    assert parse(text) == {"a": {"x": "1"}}


def test_values_keep_comment_characters():
    text = "[db]\ndsn = host=db;port=5432 # primary\n"
    assert parse(text) == {"db": {"dsn": "host=db;port=5432 # primary"}}


def test_option_names_are_lowercased():
    assert parse("[a]\nMaxSize = 10\n") == {"a": {"maxsize": "10"}}


def test_custom_optionxform():
    assert parse("[a]\nMaxSize = 10\n", optionxform=str) == {"a": {"MaxSize": "10"}}


def test_section_names_keep_case():
    assert list(parse("[Server]\n[server]\n")) == ["Server", "server"]


def test_empty_value():
    assert parse("[a]\nx =\n") == {"a": {"x": ""}}


def test_continuation_lines():
    text = "[a]\nhosts = one\n    two\n\tthree\nnext = 1\n"
    assert parse(text) == {"a": {"hosts": "one\ntwo\nthree", "next": "1"}}


def test_blank_line_ends_continuation():
    with pytest.raises(ParseError):
        parse("[a]\nhosts = one\n\n    two\n")


def test_option_before_section():
    with pytest.raises(ParseError) as excinfo:
        parse("x = 1\n", source="app.ini")
    assert excinfo.value.lineno == 1
    assert str(excinfo.value).startswith("app.ini, line 1:")


def test_bad_line_reports_line_number():
    with pytest.raises(ParseError) as excinfo:
        parse("[a]\n# fine\nx = 1\nnonsense\n")
    assert excinfo.value.lineno == 4


def test_duplicate_section():
    with pytest.raises(DuplicateSectionError) as excinfo:
        parse("[a]\n[b]\n[a]\n")
    assert excinfo.value.lineno == 3


def test_duplicate_option_is_case_insensitive():
    with pytest.raises(DuplicateOptionError):
        parse("[a]\nx = 1\nX = 2\n")


def test_same_option_in_two_sections():
    assert parse("[a]\nx = 1\n[b]\nx = 2\n") == {"a": {"x": "1"}, "b": {"x": "2"}}
