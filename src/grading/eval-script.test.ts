import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInstances } from '../instances/load.ts';
import { officialImageName } from '../images/names.ts';
import { instanceSchema, type Instance } from '../instances/schema.ts';
import { repoRoot } from '../paths.ts';
import { buildEvalScript, condaActivation, shellQuote } from './eval-script.ts';
import { gradeLog } from './report.ts';
import { defaultTestCmd } from './test-cmd.ts';
import { createdPaths, patchedPaths, testDirectives, testFilesToReset } from './test-patch.ts';

const datasets = path.join(path.resolve(repoRoot, '../shared'), 'swebench/datasets');
const haveShared = existsSync(datasets);
if (!haveShared) console.log(`skipping dataset checks of the eval script helpers: ${datasets} is absent`);

const testPatch = [
  'diff --git a/tests/test_calc.py b/tests/test_calc.py',
  'index 1111111..2222222 100644',
  '--- a/tests/test_calc.py',
  '+++ b/tests/test_calc.py',
  '@@ -1 +1,2 @@',
  ' x',
  '+y',
  'diff --git a/tests/test_new.py b/tests/test_new.py',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/tests/test_new.py',
  '@@ -0,0 +1 @@',
  '+--- a/not/a/header.py',
  'diff --git a/tests/data/cases.json b/tests/data/cases.json',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/tests/data/cases.json',
  '@@ -0,0 +1 @@',
  '+{}',
  '',
].join('\n');

describe('test patch helpers', () => {
  it('lists touched paths, directives without data files, files to reset and created files', () => {
    expect(patchedPaths(testPatch)).toEqual(['tests/test_calc.py', 'tests/test_new.py', 'tests/data/cases.json']);
    expect(testDirectives(testPatch, 'pocket/calc')).toEqual(['tests/test_calc.py', 'tests/test_new.py']);
    expect(testDirectives(testPatch, 'django/django')).toEqual(['test_calc', 'test_new']);
    // Like the harness's unanchored `--- a/(.*)`, an added line that contains the pattern counts too.
    expect(testFilesToReset(testPatch)).toEqual(['tests/test_calc.py', 'not/a/header.py']);
    expect(createdPaths(testPatch)).toEqual(['tests/test_new.py', 'tests/data/cases.json']);
  });

  it('writes Django directives in module notation', () => {
    const patch = 'diff --git a/tests/auth_tests/test_validators.py b/tests/auth_tests/test_validators.py\n';
    expect(testDirectives(patch, 'django/django')).toEqual(['auth_tests.test_validators']);
  });

  it('quotes shell words only when needed', () => {
    expect(shellQuote('tests/test_a.py')).toBe('tests/test_a.py');
    expect(shellQuote("it's here")).toBe(`'it'\\''s here'`);
  });
});

describe.skipIf(!haveShared)('against every bundled SWE-bench record', () => {
  let instances: Instance[] = [];
  beforeAll(async () => {
    for (const name of ['SWE-bench_Verified.test.jsonl', 'SWE-bench_Lite.test.jsonl', 'SWE-bench_Lite.dev.jsonl']) {
      instances.push(...(await loadInstances(path.join(datasets, name), { strict: true })).instances);
    }
  });
  afterAll(() => {
    instances = [];
  });

  it('the image rule gives every record its `image`', () => {
    expect(instances).toHaveLength(823);
    expect(instances.filter((i) => officialImageName(i.instance_id) !== i.image).map((i) => i.instance_id)).toEqual([]);
  });

  it('the default test command plus directives is the test line of every eval_script', () => {
    const mismatched = instances.filter((i) => {
      const line = [defaultTestCmd(i.repo, i.version), ...testDirectives(i.test_patch, i.repo)].join(' ');
      return !(i.eval_script ?? '').split('\n').includes(line);
    });
    expect(mismatched.map((i) => i.instance_id)).toEqual([]);
  });

  it('keeps an instance eval_script, adding the pinned environment and the exit-code lines', () => {
    const instance = instances.find((i) => i.instance_id === 'django__django-11099')!;
    const script = buildEvalScript(instance);
    const original = instance.eval_script!.split('\n');
    const lines = script.split('\n');
    expect(lines.filter((line) => !original.includes(line))).toEqual([
      'export TZ=UTC LANG=C.UTF-8 PYTHONHASHSEED=0',
      'SWEBENCH_TEST_EXIT_CODE=$?',
      'echo ">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE"',
    ]);
    const end = lines.indexOf(": '>>>>> End Test Output'");
    expect(lines.slice(end - 2, end + 2)).toEqual([
      './tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 auth_tests.test_validators',
      'SWEBENCH_TEST_EXIT_CODE=$?',
      ": '>>>>> End Test Output'",
      'echo ">>>>> Test Exit Code: $SWEBENCH_TEST_EXIT_CODE"',
    ]);
    expect(buildEvalScript({ ...instance, eval_script: script })).toContain('PYTHONHASHSEED=0\nexport TZ=UTC');
  });

  it('generates a script with the conda activation when asked to ignore the instance script', () => {
    const instance = instances.find((i) => i.instance_id === 'sympy__sympy-20590')!;
    const script = buildEvalScript(instance, { useInstanceScript: false, activate: condaActivation });
    expect(script).toMatch(
      /^#!\/bin\/bash\nset -uxo pipefail\nsource \/opt\/miniconda3\/bin\/activate\nconda activate testbed\nexport TZ=UTC/,
    );
    expect(script).toContain(
      `\nPYTHONWARNINGS='ignore::UserWarning,ignore::SyntaxWarning' bin/test -C --verbose sympy/core/tests/test_basic.py\n`,
    );
  });
});

describe('a generated eval script, run for real with bash, git and pytest', () => {
  let work: string;
  let repo: string;
  let env: Record<string, string>;
  let instance: Instance;
  let goldPatch: string;

  const git = (...args: string[]) =>
    execa('git', ['-c', 'user.name=hotmess', '-c', 'user.email=hotmess@example.invalid', ...args], { cwd: repo, env });
  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
    await writeFile(path.join(repo, file), text);
  };
  /** The working-tree changes as a patch (new files included), then back to the base commit. */
  const diffAndReset = async () => {
    await git('add', '-A', '-N');
    const { stdout } = await git('diff');
    await git('reset', '-q', '--hard');
    await git('clean', '-q', '-fd');
    return `${stdout}\n`;
  };
  const runScript = async () => {
    const script = buildEvalScript(instance, { repoDir: repo });
    const run = await execa('bash', ['-c', script], { cwd: repo, env, reject: false, all: true });
    return run.all;
  };

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'hotmess-evalscript-'));
    repo = path.join(work, 'repo with space');
    await mkdir(repo);
    env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, GIT_CONFIG_NOSYSTEM: '1' };
    await git('init', '-q');
    await write('calc.py', 'def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n');
    await write('tests/test_calc.py', 'from calc import mul\n\n\ndef test_mul():\n    assert mul(2, 3) == 6\n');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    const base = (await git('rev-parse', 'HEAD')).stdout.trim();
    await write(
      'tests/test_calc.py',
      'from calc import add, mul\n\n\ndef test_mul():\n    assert mul(2, 3) == 6\n\n\ndef test_add():\n    assert add(2, 3) == 5\n',
    );
    await write('tests/test_new.py', 'from calc import add\n\n\ndef test_add_zero():\n    assert add(0, 4) == 4\n');
    await write('tests/cases.json', '{"cases": []}\n');
    const testPatch = await diffAndReset();
    await write('calc.py', 'def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n');
    goldPatch = await diffAndReset();
    const record = instanceSchema.parse({
      instance_id: 'pocket__calc-1',
      repo: 'pocket/calc',
      base_commit: base,
      patch: goldPatch,
      test_patch: testPatch,
      problem_statement: 'add subtracts',
      hints_text: '',
      created_at: '',
      version: '1.0',
      FAIL_TO_PASS: ['tests/test_calc.py::test_add', 'tests/test_new.py::test_add_zero'],
      PASS_TO_PASS: ['tests/test_calc.py::test_mul'],
      test_cmd: 'python3 -m pytest -rA -p no:cacheprovider',
      log_parser: 'parse_log_pytest',
    });
    instance = { ...record, baseDir: work };
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('resolves with the gold patch, leaves the tree as it was, and echoes the exit code', async () => {
    await execa('git', ['apply'], { cwd: repo, env, input: goldPatch });
    const log = await runScript();
    const grade = gradeLog(instance, log);
    expect(grade.evaluation).toMatchObject({ era: 'v5', applied: true, exitCode: 0 });
    expect(grade.resolution).toBe('FULL');
    expect(grade.outcomes.map((o) => o.status)).toEqual(['PASSED', 'PASSED', 'PASSED']);
    expect(log).toContain('Applied patch tests/test_new.py cleanly.');
    expect((await git('status', '--porcelain')).stdout.trim()).toBe('M calc.py');
  });

  it('fails FAIL_TO_PASS without a fix, with the real non-zero exit code', async () => {
    await git('checkout', '-q', '--', '.');
    const log = await runScript();
    const grade = gradeLog(instance, log);
    expect(grade.evaluation).toMatchObject({ applied: true, exitCode: 1 });
    expect(grade.resolution).toBe('NO');
    expect(grade.report['pocket__calc-1']?.tests_status?.FAIL_TO_PASS.failure).toEqual(instance.FAIL_TO_PASS);
    expect(grade.report['pocket__calc-1']?.tests_status?.PASS_TO_PASS.success).toEqual(instance.PASS_TO_PASS);
  });

  it('resets test files the model touched or created before applying the test patch', async () => {
    await execa('git', ['apply'], { cwd: repo, env, input: goldPatch });
    await write('tests/test_calc.py', 'def test_mul():\n    assert False\n');
    await write('tests/test_new.py', 'def test_add_zero():\n    assert False\n');
    const grade = gradeLog(instance, await runScript());
    expect(grade.resolution).toBe('FULL');
  });
});
