"""Shared by build.py and check.py: paths, a config-free git, pytest log parsing, task loading."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
POCKET = HERE.parent.parent  # instances/pocket
JSONL = POCKET / "python-b.jsonl"
REPOS = ("semver", "minitmpl")
TEST_CMD = "python3 -m pytest -rA -p no:cacheprovider"
LOG_PARSER = "parse_log_pytest"

# Git must not see the user's configuration (hooks, signing, diff prefixes, pack settings)
# or the hashes, bundles and diffs would depend on the machine.
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
    "TZ": "UTC",
}
RUN_ENV = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and not k.startswith("PYTEST")}
    return {**base, **GIT_ENV, **RUN_ENV, **extra}


def git(cwd: Path, *args: str, **extra: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env(**extra), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {cwd}:\n{result.stderr}")
    return result.stdout


def is_test_file(path: str) -> bool:
    return path.startswith("tests/") or Path(path).name.startswith("test_")


def diff_paths(diff: str) -> list[str]:
    return re.findall(r"^diff --git a/(\S+) b/", diff, flags=re.MULTILINE)


def parse_log_pytest(log: str) -> dict[str, str]:
    """SWE-bench's parse_log_pytest: `STATUS test_id` lines of pytest's -rA summary."""
    statuses = ("PASSED", "FAILED", "SKIPPED", "ERROR", "XFAIL")
    result: dict[str, str] = {}
    for line in log.split("\n"):
        if line.startswith(statuses):
            if line.startswith("FAILED"):
                line = line.replace(" - ", " ")
            tokens = line.split()
            if len(tokens) >= 2:
                result[tokens[1]] = tokens[0]
    return result


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"pocket_{path.parent.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def task_modules(repo: str) -> list[ModuleType]:
    return [load_module(p) for p in sorted((HERE / repo / "tasks").glob("*.py"))]
