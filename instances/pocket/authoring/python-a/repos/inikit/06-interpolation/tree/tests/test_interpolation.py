import pytest

from inikit import (
    Config,
    InterpolationDepthError,
    InterpolationMissingError,
    InterpolationSyntaxError,
)

TEXT = """\
[DEFAULT]
home = /home/app

[paths]
root = /srv/app
data = ${root}/data
logs = ${home}/logs
price = $$5
template = $${name}.log

[job]
name = nightly
output = ${paths:logs}/${name}.out
cost = total ${paths:price}
pattern = ${paths:template}
"""


def read(text):
    config = Config()
    config.read_string(text)
    return config


@pytest.fixture
def cfg():
    return read(TEXT)


def test_same_section_reference(cfg):
    assert cfg.get("paths", "data") == "/srv/app/data"


def test_reference_to_default(cfg):
    assert cfg.get("paths", "logs") == "/home/app/logs"


def test_cross_section_reference(cfg):
    assert cfg.get("job", "output") == "/home/app/logs/nightly.out"


def test_raw(cfg):
    assert cfg.get("paths", "data", raw=True) == "${root}/data"
    assert cfg.items("paths", raw=True)[1] == ("data", "${root}/data")


def test_items_are_expanded(cfg):
    assert ("data", "/srv/app/data") in cfg.items("paths")


def test_escaped_dollar(cfg):
    assert cfg.get("paths", "price") == "$5"


def test_escaped_dollar_through_reference(cfg):
    assert cfg.get("job", "cost") == "total $5"


def test_escaped_reference_stays_literal(cfg):
    assert cfg.get("paths", "template") == "${name}.log"
    assert cfg.get("job", "pattern") == "${name}.log"


def test_fallback_is_not_expanded(cfg):
    assert cfg.get("paths", "missing", fallback="${root}") == "${root}"


def test_writer_keeps_references(cfg):
    assert "data = ${root}/data\n" in cfg.to_string()


def test_missing_reference():
    with pytest.raises(InterpolationMissingError, match="nope"):
        read("[a]\nx = ${nope}\n").get("a", "x")


def test_missing_section_in_reference():
    with pytest.raises(InterpolationMissingError):
        read("[a]\nx = ${nosuch:y}\n").get("a", "x")


def test_lone_dollar_is_an_error():
    with pytest.raises(InterpolationSyntaxError):
        read("[a]\nx = costs $5\n").get("a", "x")


def test_unclosed_reference_is_an_error():
    with pytest.raises(InterpolationSyntaxError):
        read("[a]\nx = ${oops\n").get("a", "x")


def test_cycle():
    with pytest.raises(InterpolationDepthError):
        read("[a]\nx = ${y}\ny = ${x}\n").get("a", "x")


def test_self_reference():
    with pytest.raises(InterpolationDepthError):
        read("[a]\nx = <${x}>\n").get("a", "x")


def chain(length):
    lines = [f"o{i} = ${{o{i + 1}}}" for i in range(1, length)]
    return read("[a]\n" + "\n".join(lines) + f"\no{length} = end\n")


def test_chain_within_limit():
    assert chain(10).get("a", "o1") == "end"


def test_chain_over_limit():
    with pytest.raises(InterpolationDepthError):
        chain(11).get("a", "o1")
