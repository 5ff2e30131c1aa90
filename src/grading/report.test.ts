import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInstance } from '../instances/load.ts';
import { repoRoot } from '../paths.ts';
import { detectEra, evaluateLog, readExitCode, universalNewlines } from './log-eval.ts';
import { parseLogPytest, parseLogPytestV2 } from './parsers/pytest.ts';
import { gradeLog } from './report.ts';

const swebench = path.join(path.resolve(repoRoot, '../shared'), 'swebench');
const haveShared = existsSync(swebench);
if (!haveShared) console.log(`skipping real-log grading tests: ${swebench} is absent`);

const instance = {
  instance_id: 'pocket__demo-1',
  repo: 'pocket/demo',
  log_parser: 'parse_log_pytest',
  FAIL_TO_PASS: ['tests/test_a.py::test_fix'],
  PASS_TO_PASS: ['tests/test_a.py::test_keep'],
};

/** A log as our v5-style eval script produces it under `bash -x`. */
function v5Log(testOutput: string, exitCode: number | null = 0): string {
  // null: a v3/v4 eval script, which prints no exit code.
  return [
    '+ git apply -v -',
    'Checking patch tests/test_a.py...',
    'Applied patch tests/test_a.py cleanly.',
    "+ : '>>>>> Start Test Output'",
    '+ python3 -m pytest -rA tests/test_a.py',
    testOutput,
    ...(exitCode === null ? [] : [`+ SWEBENCH_TEST_EXIT_CODE=${exitCode}`]),
    "+ : '>>>>> End Test Output'",
    ...(exitCode === null ? [] : [`+ echo '>>>>> Test Exit Code: ${exitCode}'`, `>>>>> Test Exit Code: ${exitCode}`]),
  ].join('\n');
}

const passing = 'PASSED tests/test_a.py::test_fix\nPASSED tests/test_a.py::test_keep\n=== 2 passed in 0.01s ===';

describe('evaluateLog', () => {
  it('detects the era from the start/end markers and the exit code line', () => {
    expect(detectEra(v5Log(passing))).toBe('v5');
    expect(detectEra(v5Log(passing, null))).toBe('v4');
    expect(detectEra('Applied patch x cleanly.\nPASSED a')).toBe('v2');
    // One marker is enough to tell a v3+ log, which then lacks the other.
    const startOnly = "Applied patch x cleanly.\n+ : '>>>>> Start Test Output'\nPASSED tests/test_a.py::test_fix";
    expect(detectEra(startOnly)).toBe('v4');
    expect(evaluateLog(startOnly, parseLogPytest)).toMatchObject({
      era: 'v4',
      applied: false,
      reason: 'markers_missing',
    });
  });

  it('v4: frames the output like v5, without its no-evidence and exit-code guards, and with the v2 parsers', () => {
    const noResults = evaluateLog(v5Log('bash: pytest: command not found', null), parseLogPytest);
    expect(noResults).toMatchObject({ era: 'v4', applied: true });
    expect(noResults.statusMap.size).toBe(0);
    const spaced = v5Log('PASSED astropy/x.py::test_fix[a b]\nSKIPPED astropy/x.py::test_keep', null);
    expect([...evaluateLog(spaced, parseLogPytestV2).statusMap]).toEqual([
      ['astropy/x.py::test_fix[a', 'PASSED'],
      ['astropy/x.py::test_keep', 'SKIPPED'],
    ]);
    expect([...evaluateLog(spaced, parseLogPytestV2, 'v5').statusMap.keys()]).toEqual([
      'astropy/x.py::test_fix[a b]',
      'astropy/x.py::test_keep',
    ]);
  });

  it('reads the last exit-code line, wherever it lands', () => {
    expect(readExitCode('>>>>> Test Exit Code: 1\n+ SWEBENCH_TEST_EXIT_CODE=1\n')).toBe(1);
    expect(readExitCode('echo ">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE"')).toBeUndefined();
  });

  it('turns \\r\\n and lone \\r into line breaks, as Python text mode does', () => {
    expect(universalNewlines('a\r\nb\rc\n')).toBe('a\nb\nc\n');
    const log = 'Applied patch t cleanly.\r\n....  [ 50%]\rPASSED                      [100%]\r\nPASSED a.py::t\r\n';
    expect([...evaluateLog(log, parseLogPytest, 'v2').statusMap.keys()]).toEqual(['[100%]', 'a.py::t']);
  });

  it('v2: a bad marker, a harness timeout or a test patch that did not apply means "not applied"', () => {
    expect(evaluateLog('Applied patch x cleanly.\n>>>>> Tests Timed Out', parseLogPytest, 'v2').reason).toBe(
      'tests_timed_out',
    );
    expect(evaluateLog('Applied patch x cleanly.\nFailed to reset task environment', parseLogPytest, 'v2').reason).toBe(
      'reset_failed',
    );
    expect(
      evaluateLog('Applied patch x cleanly.\nPASSED a\n\nTimeout error: 1800 seconds exceeded.', parseLogPytest, 'v2')
        .reason,
    ).toBe('tests_timed_out');
    const noTestPatch = evaluateLog(
      'error: tests/test_a.py: already exists in working directory\nPASSED a.py::t',
      parseLogPytest,
      'v2',
    );
    expect(noTestPatch).toMatchObject({ applied: false, reason: 'test_patch_not_applied' });
    expect(noTestPatch.statusMap.size).toBe(0);
  });

  it('v2: parses only after the last prediction-applied marker', () => {
    const log = 'PASSED early.py::t\n>>>>> Applied Patch (pred)\nApplied patch t cleanly.\nPASSED late.py::t';
    expect([...evaluateLog(log, parseLogPytest, 'v2').statusMap.keys()]).toEqual(['late.py::t']);
  });

  it('v5: parses between the markers, else falls back to the whole log', () => {
    const framed = `PASSED outside.py::t\n${v5Log('PASSED inside.py::t')}`;
    expect([...evaluateLog(framed, parseLogPytest).statusMap.keys()]).toEqual(['inside.py::t']);
    const outside = `${v5Log('nothing here')}\nPASSED late.py::t`;
    expect([...evaluateLog(outside, parseLogPytest).statusMap.keys()]).toEqual(['late.py::t']);
  });

  it('v5: markers are required', () => {
    expect(evaluateLog('PASSED a.py::t', parseLogPytest, 'v5')).toMatchObject({
      applied: false,
      reason: 'markers_missing',
    });
  });

  it('v5: no results and no sign that a suite ran means "not applied"; a runner summary is evidence', () => {
    expect(evaluateLog(v5Log('bash: pytest: command not found', 127), parseLogPytest)).toMatchObject({
      applied: false,
      reason: 'no_test_evidence',
    });
    const tapSummary = evaluateLog(v5Log('# tests 3\n# pass 3', 0), parseLogPytest);
    expect(tapSummary).toMatchObject({ applied: true, exitCode: 0 });
    expect(tapSummary.statusMap.size).toBe(0);
  });

  it('v5: a non-zero exit with only passing results is not trusted', () => {
    expect(evaluateLog(v5Log(passing, 1), parseLogPytest)).toMatchObject({
      applied: false,
      reason: 'exit_code_without_failures',
      exitCode: 1,
    });
    expect(evaluateLog(v5Log(`${passing}\nFAILED tests/test_a.py::test_other`, 1), parseLogPytest)).toMatchObject({
      applied: true,
      exitCode: 1,
    });
    expect(evaluateLog(v5Log(passing, null), parseLogPytest, 'v5').applied).toBe(true);
  });
});

describe('gradeLog', () => {
  it('grades a passing v5 log FULL with per-test outcomes', () => {
    const grade = gradeLog(instance, v5Log(passing));
    expect(grade.report).toEqual({
      'pocket__demo-1': {
        patch_is_None: false,
        patch_exists: true,
        patch_successfully_applied: true,
        resolved: true,
        infra_failure: false,
        tests_status: {
          FAIL_TO_PASS: { success: ['tests/test_a.py::test_fix'], failure: [] },
          PASS_TO_PASS: { success: ['tests/test_a.py::test_keep'], failure: [] },
          FAIL_TO_FAIL: { success: [], failure: [] },
          PASS_TO_FAIL: { success: [], failure: [] },
        },
      },
    });
    expect(grade.gradingStatus).toBe('graded');
    expect(grade.resolution).toBe('FULL');
    expect(grade.outcomes).toEqual([
      { id: 'tests/test_a.py::test_fix', category: 'FAIL_TO_PASS', status: 'PASSED', pass: true },
      { id: 'tests/test_a.py::test_keep', category: 'PASS_TO_PASS', status: 'PASSED', pass: true },
    ]);
  });

  it('grades a v4 log as v3/v4 did: a skipped PASS_TO_PASS test counts neither way, no infra_failure field', () => {
    const v4 = gradeLog(instance, v5Log('PASSED tests/test_a.py::test_fix\nSKIPPED tests/test_a.py::test_keep', null));
    expect(v4.evaluation?.era).toBe('v4');
    expect(v4.report['pocket__demo-1']).not.toHaveProperty('infra_failure');
    expect(v4.report['pocket__demo-1']?.tests_status?.PASS_TO_PASS).toEqual({ success: [], failure: [] });
    const v5 = gradeLog(instance, v5Log('PASSED tests/test_a.py::test_fix\nSKIPPED tests/test_a.py::test_keep'));
    expect(v5.report['pocket__demo-1']?.tests_status?.PASS_TO_PASS).toEqual({
      success: ['tests/test_a.py::test_keep'],
      failure: [],
    });
  });

  it('never turns a log without results into a silent failure', () => {
    const v2 = gradeLog(
      instance,
      'Applied patch tests/test_a.py cleanly.\nTraceback (most recent call last):\nImportError',
      { era: 'v2' },
    );
    expect(v2.report['pocket__demo-1']?.patch_successfully_applied).toBe(true);
    expect(v2.resolution).toBe('NO');
    expect(v2.gradingStatus).toBe('unparsed');
    expect(v2.outcomes).toEqual([]);
    const v5 = gradeLog(instance, v5Log('ImportError: no module named demo', 4));
    expect(v5.gradingStatus).toBe('unparsed');
    expect(v5.report['pocket__demo-1']?.tests_status).toBeUndefined();
  });

  it('calls a truncated log unparsed when a listed test has no result in what was kept, and graded when all have one', () => {
    const cut = '\n[hotmess: 5000000 bytes of test output cut here; the log was 6000000 bytes]\n';
    const lost = v5Log(`PASSED tests/test_a.py::test_fix${cut}=== 2 passed in 9.01s ===`);
    const grade = gradeLog(instance, lost, { logTruncated: true });
    expect(grade).toMatchObject({ gradingStatus: 'unparsed', outcomes: [] });
    expect(grade.detail).toBe(
      'the log was cut to its size cap and 1 of 2 listed tests have no result in what was kept (first: tests/test_a.py::test_keep)',
    );
    // The report is still the harness's reading of this log: the test without a line fails.
    expect(grade.report['pocket__demo-1']?.tests_status?.PASS_TO_PASS).toEqual({
      success: [],
      failure: ['tests/test_a.py::test_keep'],
    });
    // The same log, not cut: the test is really missing, a failure.
    expect(gradeLog(instance, lost)).toMatchObject({ gradingStatus: 'graded', resolution: 'NO' });
    expect(gradeLog(instance, v5Log(`${cut}${passing}`), { logTruncated: true })).toMatchObject({
      gradingStatus: 'graded',
      resolution: 'FULL',
    });
  });

  it('maps "not applied" reasons to grading statuses', () => {
    expect(gradeLog(instance, `${v5Log(passing)}\n>>>>> Tests Timed Out`).gradingStatus).toBe('test_timeout');
    expect(gradeLog(instance, '>>>>> Patch Apply Failed').gradingStatus).toBe('patch_failed');
    expect(gradeLog(instance, 'PASSED a', { era: 'v5' }).gradingStatus).toBe('error');
  });

  it('reproduces the patch_is_None report for a None prediction', () => {
    const grade = gradeLog(instance, v5Log(passing), { modelPatch: null });
    expect(grade.report['pocket__demo-1']).toEqual({
      patch_is_None: true,
      patch_exists: false,
      patch_successfully_applied: false,
      resolved: false,
    });
    expect(grade.gradingStatus).toBe('no_patch');
  });

  it.skipIf(!haveShared)('grades the django__django-16950 fixture (docstring ids) as resolved', async () => {
    const django = await loadInstance(
      path.join(swebench, 'datasets/SWE-bench_Verified.test.jsonl'),
      'django__django-16950',
    );
    const log = readFileSync(path.join(swebench, 'fixtures/swebench-repo/django_16950_log_output.txt'), 'utf8');
    const grade = gradeLog(django, log);
    expect(grade.parser).toBe('parse_log_django');
    expect(grade.evaluation?.era).toBe('v2');
    expect(grade.resolution).toBe('FULL');
    expect(grade.outcomes).toHaveLength(4);
    expect(grade.outcomes.every((o) => o.status === 'PASSED')).toBe(true);
  });

  it.skipIf(!haveShared)(
    'reports the timed-out sphinx__sphinx-7985 log (no official report) as a timeout',
    async () => {
      const sphinx = await loadInstance(
        path.join(swebench, 'datasets/SWE-bench_Verified.test.jsonl'),
        'sphinx-doc__sphinx-7985',
      );
      const dir = path.join(
        swebench,
        'harness-logs/20240620_sweagent_claude3.5sonnet__verified/sphinx-doc__sphinx-7985',
      );
      const grade = gradeLog(sphinx, readFileSync(path.join(dir, 'test_output.txt'), 'utf8'));
      expect(grade.gradingStatus).toBe('test_timeout');
      expect(grade.report['sphinx-doc__sphinx-7985']?.resolved).toBe(false);
    },
  );
});
