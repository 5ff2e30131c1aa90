import pytest

from durations.__main__ import main


def run(capsys, *argv):
    assert main(list(argv)) == 0
    return capsys.readouterr().out.splitlines()


def test_normalises_each_argument(capsys):
    assert run(capsys, "90m", "3600s") == ["1h30m", "1h"]


def test_iso(capsys):
    assert run(capsys, "--iso", "1 day 2 hours") == ["P1DT2H"]


def test_total(capsys):
    assert run(capsys, "--total", "1h", "PT30M", "45s") == ["1h30m45s"]


def test_largest(capsys):
    assert run(capsys, "--largest", "1", "1h40m") == ["2h"]


def test_invalid_duration_exits_with_usage_error(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["soon"])
    assert excinfo.value.code == 2
    assert "invalid duration" in capsys.readouterr().err
