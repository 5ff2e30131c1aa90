"""Checks python set B of the pocket task set on this host, from the built artefacts only.

For every record of instances/pocket/python-b.jsonl: clones the bundle, and at base_commit runs the
test command on the test patch's files for each candidate (as the grader does: the candidate
patch, then the test patch), and compares the failing tests with what is declared:
test patch alone -> FAIL_TO_PASS fail, PASS_TO_PASS pass; gold -> all pass; each wrong patch ->
exactly its `fails`; a no-op -> FAIL_TO_PASS. Also checks the record's and spec's shape, and
that the simulated agent's exploration commands run in the repository.

Usage: python3 check.py [instance_id ...]   (needs PyYAML to read the specs)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from lib import JSONL, LOG_PARSER, POCKET, TEST_CMD, diff_paths, env, git, is_test_file, parse_log_pytest

EXPLORE_MEDIANS = {"easy": (3, 6), "medium": (8, 15), "hard": (15, 35)}


def check_shape(record: dict, spec: dict) -> list[str]:
    problems = []
    iid = record["instance_id"]
    repo = record["repo"].split("/", 1)[1]
    if not re.fullmatch(rf"pocket__{re.escape(repo)}-\d+", iid):
        problems.append("instance_id does not match repo")
    if not re.fullmatch(r"[0-9a-f]{40}", record["base_commit"]):
        problems.append("base_commit is not a full hash")
    if len(record["FAIL_TO_PASS"]) < 1 or len(record["PASS_TO_PASS"]) < 5:
        problems.append("needs >= 1 FAIL_TO_PASS and >= 5 PASS_TO_PASS")
    if set(record["FAIL_TO_PASS"]) & set(record["PASS_TO_PASS"]):
        problems.append("a test is both FAIL_TO_PASS and PASS_TO_PASS")
    if any(" " in t for t in record["FAIL_TO_PASS"] + record["PASS_TO_PASS"]):
        problems.append("a test id has a space")
    if any(is_test_file(p) for p in diff_paths(record["patch"])):
        problems.append("gold patch touches a test file")
    test_files = diff_paths(record["test_patch"])
    if not test_files or not all(is_test_file(p) for p in test_files):
        problems.append("test patch touches a non-test file")
    if any(t.split("::")[0] not in test_files for t in record["FAIL_TO_PASS"] + record["PASS_TO_PASS"]):
        problems.append("a listed test is outside the test patch's files")
    if (record["test_cmd"], record["log_parser"], record["language"]) != (TEST_CMD, LOG_PARSER, "python"):
        problems.append("test_cmd/log_parser/language")
    if record["difficulty"] not in EXPLORE_MEDIANS or record["version"] != "1.0":
        problems.append("difficulty/version")
    if not (POCKET / record["source"]).is_file():
        problems.append("source bundle missing")

    if spec["instance_id"] != iid:
        problems.append("spec instance_id")
    explore = spec["explore"]
    low, high = EXPLORE_MEDIANS.get(record["difficulty"], (0, 0))
    if not (explore["distribution"] == "lognormal" and low <= explore["median"] <= high
            and 0.4 <= explore["sigma"] <= 0.8 and explore["min"] == 1 and explore["max"] <= 80):
        problems.append(f"explore {explore}")
    if not 0 <= spec["drift"] <= 0.05:
        problems.append("drift")
    if not 8 <= len(spec["commands"]) <= 20:
        problems.append("needs 8-20 commands")
    candidates = spec["candidates"]
    gold = candidates.get("gold", {})
    if gold.get("patch") != "gold" or gold.get("fails") or not 0.25 <= gold.get("weight", 0) <= 0.85:
        problems.append("gold candidate")
    wrong = {n: c for n, c in candidates.items() if c["patch"] not in ("gold", None)}
    if len(wrong) < 3:
        problems.append("needs >= 3 wrong patches")
    sets = [frozenset(c["fails"]) for c in wrong.values()]
    if len(set(sets)) != len(sets):
        problems.append("two wrong patches declare the same fails")
    listed = set(record["FAIL_TO_PASS"]) | set(record["PASS_TO_PASS"])
    for name, c in candidates.items():
        if not set(c.get("fails", [])) <= listed:
            problems.append(f"{name}: fails names unlisted tests")
        if c["patch"] not in ("gold", None) and not c.get("fails"):
            problems.append(f"{name}: a wrong patch must fail something")
    if abs(sum(c["weight"] for c in candidates.values()) - 1) > 1e-9:
        problems.append("weights do not sum to 1")
    return problems


def failing_tests(work: Path, record: dict, patch: str | None) -> tuple[set[str], float]:
    base = record["base_commit"]
    git(work, "reset", "-q", "--hard", base)
    git(work, "clean", "-qfdx")
    if patch:
        subprocess.run(["git", "apply", "-"], cwd=work, env=env(), input=patch, text=True, check=True)
    test_files = diff_paths(record["test_patch"])
    git(work, "checkout", "-q", base, "--", *[f for f in test_files if (work / f).exists()])
    subprocess.run(["git", "apply", "-"], cwd=work, env=env(), input=record["test_patch"], text=True, check=True)
    start = time.monotonic()
    result = subprocess.run(
        f"{record['test_cmd']} {' '.join(test_files)}", shell=True, cwd=work, env=env(),
        capture_output=True, text=True, check=False,
    )
    elapsed = time.monotonic() - start
    statuses = parse_log_pytest(result.stdout)
    listed = record["FAIL_TO_PASS"] + record["PASS_TO_PASS"]
    return {t for t in listed if statuses.get(t) != "PASSED"}, elapsed


def check_commands(work: Path, record: dict, commands: list[str]) -> list[str]:
    """The simulated agent's commands must work in the repository at base_commit."""
    problems = []
    git(work, "reset", "-q", "--hard", record["base_commit"])
    git(work, "clean", "-qfdx")
    for command in commands:
        result = subprocess.run(
            command, shell=True, executable="/bin/bash", cwd=work, env=env(), capture_output=True, text=True,
            check=False, timeout=60,
        )
        broken = result.returncode in (126, 127) or any(
            s in result.stderr for s in ("No such file or directory", "syntax error", "unexpected EOF")
        )
        if broken or (command.startswith("grep") and result.returncode != 0):
            problems.append(f"command {command!r} failed ({result.returncode}): {result.stderr.strip()[:200]}")
    return problems


def check_record(record: dict) -> list[str]:
    spec_path = POCKET / record["sim"]
    spec = yaml.safe_load(spec_path.read_text())
    problems = check_shape(record, spec)
    f2p = set(record["FAIL_TO_PASS"])
    scenarios = [("test patch only", None, f2p)]
    for name, c in spec["candidates"].items():
        if c["patch"] == "gold":
            scenarios.append((name, record["patch"], set()))
        elif c["patch"] is None:
            if set(c["fails"]) != f2p:
                problems.append(f"{name}: a no-op must fail exactly FAIL_TO_PASS")
        else:
            diff = (spec_path.parent / c["patch"]).read_text()
            if any(is_test_file(p) for p in diff_paths(diff)):
                problems.append(f"{name}: touches a test file")
            scenarios.append((name, diff, set(c["fails"])))
    with tempfile.TemporaryDirectory(prefix="pocket-check-") as tmp:
        work = Path(tmp) / "repo"
        git(Path(tmp), "clone", "-q", str(POCKET / record["source"]), str(work))
        git(work, "checkout", "-q", "--detach", record["base_commit"])
        problems += check_commands(work, record, spec["commands"])
        for name, patch, expected in scenarios:
            try:
                failing, elapsed = failing_tests(work, record, patch)
            except subprocess.CalledProcessError as error:
                problems.append(f"{name}: does not apply ({error})")
                continue
            if failing != expected:
                problems.append(
                    f"{name}: unexpected failures {sorted(failing - expected)}, unexpected passes {sorted(expected - failing)}"
                )
            if elapsed > 8:
                problems.append(f"{name}: tests took {elapsed:.1f} s")
            print(f"  {name:18} {len(failing)} failing, {elapsed:.2f} s")
    return problems


def main(argv: list[str]) -> int:
    records = [json.loads(line) for line in JSONL.read_text().splitlines()]
    if argv:
        records = [r for r in records if r["instance_id"] in argv]
    bad = 0
    for record in records:
        print(f"{record['instance_id']} ({record['difficulty']})")
        problems = check_record(record)
        for problem in problems:
            print(f"  PROBLEM: {problem}")
        bad += bool(problems)
    tiers = {d: sum(r["difficulty"] == d for r in records) for d in EXPLORE_MEDIANS}
    print(f"{len(records) - bad}/{len(records)} tasks ok; tiers {tiers}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
