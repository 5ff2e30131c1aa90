import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { connectEngine } from '../../src/docker/engine.ts';
import { ensureBaseImage } from '../../src/images/base.ts';
import { ensureInstanceImage } from '../../src/images/instance-image.ts';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { repoRoot } from '../../src/paths.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { LABEL_HOST, LABEL_OWNER, LABEL_PID, LABEL_RUN } from '../../src/sandbox/labels.ts';
import { loadSimSpec } from '../../src/sim/spec-load.ts';
import { validateInstances } from '../../src/validate/validate.ts';
import { makeTinyRepo } from '../helpers/tiny-repo.ts';
import { fakeLease } from '../helpers/leases.ts';

const { docker } = await connectEngine();
const grading = { docker, provider: new DockerSandboxProvider(docker) };
const runId = `test-validate-${process.pid}`;
const hotmess = path.join(repoRoot, 'bin/hotmess.js');

/** calc.double adds one too many; the test patch creates the tests. */
const repo = await makeTinyRepo([
  { message: 'calc', files: { 'calc.py': 'def double(x):\n    return x + x + 1\n', 'tests/__init__.py': '' } },
]);
const setDouble = (body: string) =>
  `diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def double(x):\n-    return x + x + 1\n+    return ${body}\n`;
function testPatch(lines: string[]): string {
  return [
    'diff --git a/tests/test_calc.py b/tests/test_calc.py',
    'new file mode 100644',
    '--- /dev/null',
    '+++ b/tests/test_calc.py',
    `@@ -0,0 +1,${lines.length} @@`,
    ...lines.map((l) => `+${l}`),
    '',
  ].join('\n');
}
const calcTests = [
  'from calc import double',
  '',
  'def test_double():',
  '    assert double(2) == 4',
  '',
  'def test_type():',
  '    assert isinstance(double(1), int)',
];
const coinTests = [
  '',
  'import random',
  'import pytest',
  '',
  "@pytest.mark.parametrize('n', range(20))",
  'def test_coin(n):',
  '    assert random.random() < 0.5',
];
const DOUBLE = 'tests/test_calc.py::test_double';
const TYPE = 'tests/test_calc.py::test_type';
const coins = Array.from({ length: 20 }, (_, n) => `tests/test_calc.py::test_coin[${n}]`);

/**
 * Two made-up tasks in a task-set directory: `declared` has candidates declared right and wrong, `flaky` has
 * twenty coin-flip tests listed as PASS_TO_PASS.
 */
const dir = path.dirname(repo.bundle);
const record = (id: string, tests: string[], passToPass: string[], sim?: string) => ({
  instance_id: id,
  repo: 'demo/calc',
  base_commit: repo.commits[0],
  patch: setDouble('x + x'),
  test_patch: testPatch(tests),
  problem_statement: 'double() adds one too many.',
  FAIL_TO_PASS: [DOUBLE],
  PASS_TO_PASS: passToPass,
  source: 'repo.bundle',
  test_cmd: 'python3 -m pytest -rA -p no:cacheprovider',
  log_parser: 'parse_log_pytest',
  ...(sim ? { sim } : {}),
});
await mkdir(path.join(dir, 'tasks', 'demo__validate-declared'), { recursive: true });
const candidates = {
  gold: { patch: 'gold', weight: 1 },
  w_declared_right: { patch: 'triple.diff', weight: 1, fails: [DOUBLE] },
  w_declared_wrong: { patch: 'zero_is_one.diff', weight: 1, fails: [DOUBLE] },
  w_breaks_type: { patch: 'float.diff', weight: 1, fails: [TYPE] },
  no_op: { patch: null, weight: 1, fails: [] },
};
await writeFile(
  path.join(dir, 'tasks', 'demo__validate-declared', 'spec.yaml'),
  YAML.stringify({ instance_id: 'demo__validate-declared', explore: { distribution: 'fixed', value: 1 }, candidates }),
);
await writeFile(path.join(dir, 'tasks', 'demo__validate-declared', 'triple.diff'), setDouble('x * 3'));
await writeFile(path.join(dir, 'tasks', 'demo__validate-declared', 'zero_is_one.diff'), setDouble('2 * x if x else 1'));
await writeFile(path.join(dir, 'tasks', 'demo__validate-declared', 'float.diff'), setDouble('float(x + x)'));
const taskFile = path.join(dir, 'tasks.jsonl');
await writeFile(
  taskFile,
  [
    record('demo__validate-declared', calcTests, [TYPE], 'tasks/demo__validate-declared/spec.yaml'),
    record('demo__validate-flaky', [...calcTests, ...coinTests], [TYPE, ...coins]),
  ]
    .map((r) => JSON.stringify(r))
    .join('\n'),
);
const { instances: madeUp } = await loadInstances(taskFile, { strict: true });
const [declared, flaky] = madeUp as [Instance, Instance];

afterAll(async () => {
  expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } })).toEqual([]);
  for (const instance of madeUp)
    await docker.getImage((await ensureInstanceImage(docker, instance)).tag).remove({ force: true });
});

describe('validate', () => {
  it('passes the first bundled python and javascript tasks, every candidate of their sim specs checked', async () => {
    const { instances } = await loadInstances(path.join(repoRoot, 'instances', 'pocket'), { strict: true });
    const picked = ['python', 'javascript'].map(
      (language) => instances.find((i) => i.language === language && i.sim) as Instance,
    );
    const report = await validateInstances(grading, picked, { concurrency: 2, runId });
    const bad = report.checks
      .filter((c) => !c.ok)
      .map(
        (c) =>
          `${c.instance_id} ${c.check}: ${c.problem ?? ''} ${c.unexpectedFails.join()} ${c.unexpectedPasses.join()}`,
      );
    expect(bad).toEqual([]);
    for (const instance of picked) {
      const spec = await loadSimSpec(instance);
      const wrong = spec.candidates.filter((c) => c.patch !== null && c.patch !== instance.patch).map((c) => c.name);
      const checks = report.checks.filter((c) => c.instance_id === instance.instance_id).map((c) => c.check);
      expect(checks.slice(0, 2)).toEqual(['empty', 'gold']);
      expect(checks).toEqual(expect.arrayContaining(wrong));
    }
    process.stdout.write(
      `validate: ${report.checks.length} checks, ${report.gradings} gradings on ${report.tasks} bundled tasks in ${(report.wallMs / 1000).toFixed(1)} s\n`,
    );
  });

  it('names wrong declarations and flaky tests, grading each distinct patch once per repeat', async () => {
    const report = await validateInstances(grading, [declared, flaky], { repeat: 2, concurrency: 2, runId });
    const byCheck = new Map(report.checks.map((c) => [`${c.instance_id} ${c.check}`, c]));
    expect([...byCheck.keys()].sort()).toEqual(
      [
        'declared empty',
        'declared gold',
        'declared w_declared_right',
        'declared w_declared_wrong',
        'declared w_breaks_type',
        'declared no_op',
        'flaky empty',
        'flaky gold',
      ]
        .map((k) => `demo__validate-${k}`)
        .sort(),
    );
    // empty, gold and three wrong patches for one task, empty and gold for the other; twice each. no_op reuses empty.
    expect(report.gradings).toBe(14);
    const check = (k: string) => byCheck.get(`demo__validate-${k}`);
    for (const k of ['declared empty', 'declared gold', 'declared w_declared_right', 'declared w_breaks_type'])
      expect(check(k)).toMatchObject({ ok: true, flaky: [] });
    expect(check('declared w_declared_wrong')).toMatchObject({
      ok: false,
      unexpectedPasses: [DOUBLE],
      unexpectedFails: [],
    });
    expect(check('declared no_op')).toMatchObject({ ok: false, unexpectedFails: [DOUBLE], unexpectedPasses: [] });

    // Twenty fair coins, graded twice: some outcome differs unless all twenty land the same (2^-20).
    expect(report.flakyTests.length).toBeGreaterThan(0);
    for (const { instance_id, test } of report.flakyTests) {
      expect(instance_id).toBe('demo__validate-flaky');
      expect(coins).toContain(test);
    }
    for (const c of [check('flaky empty'), check('flaky gold')]) {
      if (!c) throw new Error('missing check');
      const differing = coins.filter((t) => c.runs[0]?.fails.includes(t) !== c.runs[1]?.fails.includes(t));
      expect(c.flaky).toEqual(differing);
      expect(c.unexpectedFails).not.toContain(TYPE);
    }
  });

  it('prints the table, the wall time, and exits non-zero on a mismatch', async () => {
    const r = await execa(
      'node',
      [hotmess, 'validate', '--instances', taskFile, '--instance-ids', declared.instance_id],
      { reject: false },
    );
    expect(r.exitCode).toBe(1);
    const row = (check: string) =>
      r.stdout.split('\n').find((l) => l.startsWith(`${declared.instance_id} `) && l.split(/\s+/)[1] === check) ?? '';
    expect(row('empty')).toMatch(/1 fail\s+1 fail\s+ok$/);
    expect(row('gold')).toMatch(/0 fail\s+0 fail\s+ok$/);
    expect(row('w_breaks_type')).toMatch(/1 fail\s+1 fail\s+ok$/);
    expect(row('w_declared_wrong')).toMatch(
      /1 fail\s+0 fail\s+MISMATCH unexpected passes: tests\/test_calc\.py::test_double$/,
    );
    expect(row('no_op')).toMatch(/0 fail\s+1 fail\s+MISMATCH unexpected fails: tests\/test_calc\.py::test_double$/);
    expect(r.stdout).toMatch(/^4\/6 checks ok on 1 task\(s\), 5 gradings; wall time \d+\.\d s$/m);
    expect(r.stderr).toMatch(/^hotmess: 2 of 6 checks do not match what the tasks declare\.$/m);
  });

  it('reaps the containers of a killed run before it starts', async () => {
    const { tag } = await ensureBaseImage(docker);
    const leftover = await docker.createContainer({
      Image: tag,
      Cmd: ['true'],
      Labels: {
        [LABEL_RUN]: `${runId}-killed`,
        [LABEL_PID]: String(2 ** 22 + 4321),
        [LABEL_HOST]: os.hostname(),
        [LABEL_OWNER]: await fakeLease({ endedAt: new Date().toISOString() }),
      },
    });
    // A task without an image fails its first check at once: the command runs, and grades nothing.
    const file = path.join(dir, 'no-image.jsonl');
    await writeFile(
      file,
      JSON.stringify({
        ...record('demo__validate-no-image', calcTests, []),
        source: undefined,
        // Pulled on demand like any named image: from a registry that refuses, so it fails offline or not.
        image: '127.0.0.1:9/hotmess-test/none:missing',
      }),
    );
    try {
      const r = await execa('node', [hotmess, 'validate', '--instances', file], { reject: false });
      expect(r.exitCode).toBe(4);
      expect(r.stdout).toMatch(/demo__validate-no-image\s+image\s+.*BUILD FAILED .*127\.0\.0\.1:9 cannot be reached/);
      expect(r.stderr).toMatch(/^hotmess: The image of 1 task\(s\) could not be built, so they were not checked/m);
      await expect(leftover.inspect()).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      await leftover.remove({ force: true }).catch(() => undefined);
    }
  });

  it('refuses a repeat count that is not positive, without a stack trace', async () => {
    const r = await execa('node', [hotmess, 'validate', '--instances', taskFile, '--repeat', '0'], { reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('hotmess: --repeat must be a whole number of at least 1.');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
