#!/usr/bin/env python3
"""Verify the python-a tasks of the pocket set on this host.

For every task: rebuilding reproduces the committed bundles, jsonl and task files byte
for byte; the bundle holds base_commit; grading as SWE-bench does (model patch, reset the
test files, test_patch, test_cmd + the files test_patch touches, parse_log_pytest) gives
FAIL_TO_PASS failing and PASS_TO_PASS passing with no patch, everything passing with the
gold patch, and exactly the declared failures with each wrong candidate; the simulated
agent's parameters are in range and its commands run in the repository.
"""

import argparse
import filecmp
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Importing build must not leave a __pycache__ in the authoring directory.
sys.dont_write_bytecode = True
import build  # noqa: E402

STATUSES = ("PASSED", "FAILED", "SKIPPED", "ERROR", "XFAIL")
EXPLORE_MEDIAN = {"easy": (3, 6), "medium": (8, 15), "hard": (15, 35)}


def parse_log_pytest(log):
    """Test id -> status, as SWE-bench's parse_log_pytest reads `pytest -rA` output."""
    statuses = {}
    for line in log.splitlines():
        if line.startswith(STATUSES):
            if line.startswith("FAILED"):
                line = line.replace(" - ", " ")
            tokens = line.split()
            if len(tokens) >= 2:
                statuses[tokens[1]] = tokens[0]
    return statuses


def run(cmd, cwd, **kwargs):
    return subprocess.run(cmd, cwd=cwd, text=True, capture_output=True, **kwargs)


def grade(work, record, patch):
    """Failing tests among FAIL_TO_PASS + PASS_TO_PASS with ``patch`` (a path or None) applied."""
    base = record["base_commit"]
    build.git(work, "checkout", "-q", "-f", base)
    build.git(work, "clean", "-q", "-f", "-d", "-x")
    if patch is not None:
        build.git(work, "apply", str(patch))
    test_patch = work.parent / "test.diff"
    test_patch.write_text(record["test_patch"])
    existing = [p for p in build.diff_paths(record["test_patch"]) if (work / p).exists()]
    if existing:
        build.git(work, "checkout", "-q", base, "--", *existing)
    build.git(work, "apply", str(test_patch))
    directives = build.diff_paths(record["test_patch"])
    started = time.monotonic()
    result = run([*shlex.split(record["test_cmd"]), *directives], work, timeout=60)
    elapsed = time.monotonic() - started
    statuses = parse_log_pytest(result.stdout)
    listed = record["FAIL_TO_PASS"] + record["PASS_TO_PASS"]
    return {t for t in listed if statuses.get(t) != "PASSED"}, elapsed


def check_outputs_reproduce(problems):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        records = build.build(out)
        expected = [Path("repos") / f"{repo}.bundle" for repo in build.REPOS] + [Path(build.JSONL)]
        for record in records:
            task_dir = Path("tasks") / record["instance_id"]
            built = sorted(p.name for p in (out / task_dir).iterdir())
            committed = sorted(p.name for p in (build.POCKET / task_dir).iterdir())
            if built != committed:
                problems.append(f"{task_dir}: files {committed} differ from a rebuild {built}")
            expected += [task_dir / name for name in built]
        for rel in expected:
            if not (build.POCKET / rel).exists() or not filecmp.cmp(out / rel, build.POCKET / rel, shallow=False):
                problems.append(f"{rel} differs from a rebuild: run build.py")
    return records


def check_spec(task, record, problems):
    iid = task["instance_id"]
    sim = task["sim"]
    low, high = EXPLORE_MEDIAN[task["difficulty"]]
    if not low <= sim["explore"]["median"] <= high or not 0.4 <= sim["explore"]["sigma"] <= 0.8:
        problems.append(f"{iid}: explore median/sigma out of range for {task['difficulty']}")
    if sim["explore"]["max"] > 80 or not 0 <= sim["drift"] <= 0.05 or not 8 <= len(sim["commands"]) <= 20:
        problems.append(f"{iid}: explore max, drift or number of commands out of range")
    weights = [c["weight"] for c in sim["candidates"].values()]
    if abs(sum(weights) - 1) > 1e-9 or not 0.25 <= sim["candidates"]["gold"]["weight"] <= 0.85:
        problems.append(f"{iid}: weights must sum to 1 with gold in [0.25, 0.85]")
    fail_sets = [frozenset(c.get("fails", [])) for c in build.wrong_candidates(task).values()]
    if len(set(fail_sets)) != len(fail_sets) or frozenset() in fail_sets:
        problems.append(f"{iid}: wrong candidates need distinct, non-empty failure sets")
    if any(" " in t for t in record["FAIL_TO_PASS"] + record["PASS_TO_PASS"]):
        problems.append(f"{iid}: test ids must not contain spaces")


def check_commands(task, work, base, problems):
    build.git(work, "checkout", "-q", "-f", base)
    for command in task["sim"]["commands"]:
        try:
            result = run(["bash", "-c", command], work, timeout=20)
        except subprocess.TimeoutExpired:
            problems.append(f"{task['instance_id']}: command timed out: {command}")
            continue
        if result.returncode in (126, 127) or "No such file or directory" in result.stderr:
            problems.append(f"{task['instance_id']}: command does not run: {command}\n{result.stderr}")
    build.git(work, "clean", "-q", "-f", "-d", "-x")


def check_task(task, record, problems):
    iid = task["instance_id"]
    check_spec(task, record, problems)
    f2p = set(record["FAIL_TO_PASS"])
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "repo"
        build.git(tmp, "clone", "-q", str(build.POCKET / record["source"]), str(work))
        if run(["git", "cat-file", "-e", record["base_commit"] + "^{commit}"], work).returncode:
            problems.append(f"{iid}: base_commit is not in the bundle")
            return
        check_commands(task, work, record["base_commit"], problems)
        gold = Path(tmp) / "gold.diff"
        gold.write_text(record["patch"])
        scenarios = [("test_patch only", None, f2p), ("gold", gold, set())]
        for name, cand in build.wrong_candidates(task).items():
            scenarios.append((name, build.POCKET / "tasks" / iid / f"{name}.diff", set(cand.get("fails", []))))
        for name, cand in task["sim"]["candidates"].items():
            if cand.get("noop"):
                scenarios.append((name, None, f2p))
        slowest = 0.0
        for name, patch, expected in scenarios:
            failing, elapsed = grade(work, record, patch)
            slowest = max(slowest, elapsed)
            if failing != expected:
                problems.append(
                    f"{iid} {name}: unexpected failures {sorted(failing - expected)}, "
                    f"unexpected passes {sorted(expected - failing)}"
                )
        if slowest > 10:
            problems.append(f"{iid}: test command took {slowest:.1f} s")
    print(f"{iid}: {len(scenarios)} scenarios, slowest test run {slowest:.1f} s", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance_ids", nargs="*", help="check only these tasks")
    args = parser.parse_args()
    problems = []
    records = {r["instance_id"]: r for r in check_outputs_reproduce(problems)}
    for task in build.load_tasks():
        if not args.instance_ids or task["instance_id"] in args.instance_ids:
            check_task(task, records[task["instance_id"]], problems)
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    print(f"{'FAILED' if problems else 'OK'}: {len(records)} tasks", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
