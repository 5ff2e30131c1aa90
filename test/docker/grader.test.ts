import Docker from 'dockerode';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/docker/engine.ts';
import { applyPatch } from '../../src/grading/apply-patch.ts';
import { gradePatch, type GradeOutcome } from '../../src/grading/docker-grader.ts';
import { GradingInfraError } from '../../src/grading/grading-error.ts';
import { ensureInstanceImage } from '../../src/images/instance-image.ts';
import { loadInstances } from '../../src/instances/load.ts';
import { instanceSchema, type Instance } from '../../src/instances/schema.ts';
import { repoRoot } from '../../src/paths.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { LABEL_RUN } from '../../src/sandbox/labels.ts';
import { dockerGradeFn } from '../../src/run/grade-fn.ts';
import { loadSimSpec } from '../../src/sim/spec-load.ts';
import type { TestOutcome } from '../../src/store/unroll-record.ts';
import { makeTinyRepo } from '../helpers/tiny-repo.ts';

const { docker } = await connectEngine();
const grading = { docker, provider: new DockerSandboxProvider(docker) };
const run = `test-grader-${process.pid}`;
const labels = { run };
const { instances } = await loadInstances(path.join(repoRoot, 'instances', 'pocket'), { strict: true });
const python = instances.find((i) => i.language === 'python') as Instance;
const javascript = instances.find((i) => i.language === 'javascript') as Instance;
const failing = (tests: { id: string; pass: boolean }[]) =>
  tests
    .filter((t) => !t.pass)
    .map((t) => t.id)
    .sort();
/** An outcome without per-test results, as [id, status, pass]; and what it must be for a task's lists. */
const withoutResults = (tests: TestOutcome[]) => tests.map((t) => [t.id, t.status, t.pass]);
const listed = (task: Instance, rule: 'no change' | 'all fail') => [
  ...task.FAIL_TO_PASS.map((id) => [id, 'MISSING', false]),
  ...task.PASS_TO_PASS.map((id) => [id, 'MISSING', rule === 'no change']),
];
const outcome = (g: GradeOutcome) => ({
  gradingStatus: g.gradingStatus,
  resolution: g.resolution,
  tests: g.tests,
  applyMethod: g.applyMethod,
});

/** Nine constants; the second commit changes G, so patches written against the first have stale context. */
const v1 = 'A = 1\nB = 2\nC = 3\nD = 4\nE = 5\nF = 6\nG = 7\nH = 8\nX = 1\n';
const v2 = v1.replace('G = 7', 'G = 70');
const repo = await makeTinyRepo([
  { message: 'init', files: { 'lib.py': v1, 'tests/__init__.py': '' } },
  { message: 'drift', files: { 'lib.py': v2 } },
]);
const blob = (text: string) =>
  createHash('sha1')
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest('hex');
/** `X = 1` → `X = 2` against the base commit. */
const setX =
  'diff --git a/lib.py b/lib.py\n--- a/lib.py\n+++ b/lib.py\n@@ -6,4 +6,4 @@\n F = 6\n G = 70\n H = 8\n-X = 1\n+X = 2\n';
/** A patch made against the first commit, with blob ids, as `git diff` writes it: `from` and `to` are lines of v1. */
function staleDiff(from: string, to: string): string {
  const after = v1.replace(from, to);
  const hunk = v1
    .split('\n')
    .slice(5, 9)
    .map((l) => (l === from ? `-${from}\n+${to}` : ` ${l}`));
  return `diff --git a/lib.py b/lib.py\nindex ${blob(v1).slice(0, 7)}..${blob(after).slice(0, 7)} 100644\n--- a/lib.py\n+++ b/lib.py\n@@ -6,4 +6,4 @@\n${hunk.join('\n')}\n`;
}

const customImages = new Set<string>();

/** A made-up task on the tiny repository whose test (created by the test patch) and test command we control. */
async function customTask(
  name: string,
  testFile: string,
  testCmd = 'python3 -m pytest -rA -p no:cacheprovider',
  passToPass: string[] = [],
): Promise<Instance> {
  const lines = testFile.split('\n');
  const testPatch = [
    'diff --git a/tests/test_it.py b/tests/test_it.py',
    'new file mode 100644',
    '--- /dev/null',
    '+++ b/tests/test_it.py',
    `@@ -0,0 +1,${lines.length} @@`,
    ...lines.map((l) => `+${l}`),
    '',
  ].join('\n');
  const instance: Instance = {
    ...instanceSchema.parse({
      instance_id: `demo__grader-${name}`,
      repo: 'demo/grader',
      base_commit: repo.commits[1],
      patch: setX,
      test_patch: testPatch,
      problem_statement: 'X should be 2.',
      FAIL_TO_PASS: ['tests/test_it.py::test_one'],
      PASS_TO_PASS: passToPass,
      source: repo.bundle,
      test_cmd: testCmd,
      log_parser: 'parse_log_pytest',
    }),
    baseDir: path.dirname(repo.bundle),
  };
  customImages.add((await ensureInstanceImage(docker, instance)).tag);
  return instance;
}

async function leftovers(): Promise<number> {
  return (await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${run}`] } })).length;
}

afterAll(async () => {
  expect(await leftovers()).toBe(0);
  for (const tag of customImages)
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
});

describe('grading bundled tasks in Docker', () => {
  it.each([
    ['python', python],
    ['javascript', javascript],
  ])('grades the gold patch FULL and the empty patch as F2P failing, P2P passing (%s)', async (_, instance) => {
    const gold = await gradePatch(grading, instance, instance.patch, { labels });
    expect(gold).toMatchObject({
      gradingStatus: 'graded',
      resolution: 'FULL',
      applyMethod: 'git apply',
      logTruncated: false,
    });
    expect(gold.tests).toHaveLength(instance.FAIL_TO_PASS.length + instance.PASS_TO_PASS.length);
    expect(gold.durations.testsMs).toBeGreaterThan(0);
    expect(gold.durations.totalMs).toBeGreaterThanOrEqual(
      gold.durations.imageMs + gold.durations.applyMs + gold.durations.testsMs,
    );
    const empty = await gradePatch(grading, instance, '', { labels, runEmptyPatch: true });
    expect(empty).toMatchObject({ gradingStatus: 'graded', resolution: 'NO', applyMethod: null });
    expect(failing(empty.tests)).toEqual([...instance.FAIL_TO_PASS].sort());
    // Without runEmptyPatch the empty patch is "no change" by rule, and no container is started.
    const notRun = await gradePatch(grading, instance, '  \n', { labels });
    expect(notRun).toMatchObject({ gradingStatus: 'no_patch', resolution: 'NO', log: '' });
    const byId = (tests: { id: string; category: string; pass: boolean }[]) =>
      tests.map((t) => [t.id, t.category, t.pass].join(' ')).sort();
    expect(byId(notRun.tests)).toEqual(byId(empty.tests));
  });

  it('fails exactly the tests a wrong candidate declares, and grades it the same way twice', async () => {
    const spec = await loadSimSpec(python);
    const wrong = spec.candidates.find((c) => c.patch !== null && c.fails.length > 0);
    if (!wrong?.patch) throw new Error(`${python.instance_id} has no wrong candidate with a patch`);
    const first = await gradePatch(grading, python, wrong.patch, { labels });
    expect(first.gradingStatus).toBe('graded');
    expect(failing(first.tests)).toEqual([...wrong.fails].sort());
    const second = await gradePatch(grading, python, wrong.patch, { labels });
    expect(outcome(second)).toEqual(outcome(first));
  });

  it('reports a patch that does not apply as patch_failed, not as failed tests', async () => {
    const bogus =
      'diff --git a/nope.py b/nope.py\n--- a/nope.py\n+++ b/nope.py\n@@ -1,1 +1,1 @@\n-this line is not there\n+nor this\n';
    const g = await gradePatch(grading, python, bogus, { labels });
    expect(g).toMatchObject({ gradingStatus: 'patch_failed', resolution: 'NO', applyMethod: null });
    // The record still names every listed test: a patch that did not apply leaves the repository as it was.
    expect(withoutResults(g.tests)).toEqual(listed(python, 'no change'));
    expect(g.log).toContain('$ git apply -v /tmp/hotmess-model.patch');
    expect(g.log).toContain('$ git apply -v --3way');
    expect(g.log).toContain('$ patch --batch -p1 --fuzz=3');
    expect(g.durations.testsMs).toBe(0);
  });

  it('falls back to patch --fuzz when the context no longer matches and there are no blob ids', async () => {
    let edited = false;
    const fuzzy = python.patch
      .split('\n')
      .filter((l) => !l.startsWith('index '))
      .map((l) => {
        if (!edited && l.startsWith(' ') && l.trim().length > 3) {
          edited = true;
          return `${l} # drifted`;
        }
        return l;
      })
      .join('\n');
    expect(edited).toBe(true);
    const g = await gradePatch(grading, python, fuzzy, { labels });
    expect(g).toMatchObject({ applyMethod: 'patch --fuzz=3', resolution: 'FULL' });
  });

  it('names an engine that cannot be reached as an infrastructure error', async () => {
    const dead = new Docker({ socketPath: '/nonexistent/hotmess-test/docker.sock' });
    const err = await gradePatch({ docker: dead, provider: new DockerSandboxProvider(dead) }, python, python.patch, {
      labels,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GradingInfraError);
    expect((err as Error).message).toMatch(
      new RegExp(`^Grading ${python.instance_id} failed for a reason outside the patch: .*ENOENT`),
    );
  });
});

describe('grading made-up tasks in Docker', () => {
  const checkX = 'from lib import X\n\ndef test_one():\n    assert X == 2';

  it('merges a patch with stale context and blob ids with git apply --3way', async () => {
    const task = await customTask('check', checkX);
    const g = await gradePatch(grading, task, staleDiff('X = 1', 'X = 2'), { labels });
    expect(g).toMatchObject({ applyMethod: 'git apply --3way', gradingStatus: 'graded', resolution: 'FULL' });
    expect(g.log).toMatch(/\$ git apply -v \/tmp\/hotmess-model.patch\n[\s\S]*\(exit 1\)\n\$ git apply -v --3way/);
  });

  it('undoes a conflicted --3way attempt on the patch files only, keeping uncommitted and untracked files', async () => {
    const task = await customTask('check', checkX);
    const image = await ensureInstanceImage(docker, task);
    const sandbox = await new DockerSandboxProvider(docker).start(
      image.tag,
      { user: image.user, workdir: image.workdir, execMode: 'exec' },
      labels,
    );
    try {
      // Edits an image's set-up may leave behind: an uncommitted change to a tracked file, an untracked product.
      await sandbox.exec("echo '# set-up edit' >> tests/__init__.py && echo built > product.so");
      const conflicting = staleDiff('G = 7', 'G = 71');
      await sandbox.writeFile('/tmp/conflict.patch', conflicting);
      const applied = await applyPatch(sandbox, '/tmp/conflict.patch', conflicting);
      expect(applied.method).toBeNull();
      expect(applied.log).toMatch(/with conflicts/);
      const state = await sandbox.exec(
        'git status --porcelain --untracked-files=all; echo ---; git ls-files -u; echo ---; cat lib.py tests/__init__.py product.so',
      );
      expect(state.stdout).toBe(
        ` M tests/__init__.py\n?? lib.py.orig\n?? lib.py.rej\n?? product.so\n---\n---\n${v2}# set-up edit\nbuilt\n`,
      );
    } finally {
      await sandbox.close();
    }
  });

  it('runs the tests in a pinned environment without network', async () => {
    const task = await customTask(
      'env',
      [
        'import os, socket, sys',
        'import pytest',
        'from lib import X',
        '',
        'def test_one():',
        '    assert X == 2',
        "    assert (os.environ['TZ'], os.environ['LANG'], os.environ['PYTHONHASHSEED']) == ('UTC', 'C.UTF-8', '0')",
        "    assert 'LC_ALL' not in os.environ and sys.stdout.encoding.lower() == 'utf-8'",
        '    with pytest.raises(OSError):',
        "        socket.create_connection(('1.1.1.1', 53), timeout=2)",
      ].join('\n'),
    );
    const g = await gradePatch(grading, task, task.patch, { labels });
    expect(g, g.log).toMatchObject({ gradingStatus: 'graded', resolution: 'FULL' });
  });

  it('kills a test command that hangs, says so, and keeps what it printed', async () => {
    const task = await customTask(
      'hang',
      "import time\n\ndef test_one():\n    print('about to hang', flush=True)\n    time.sleep(600)",
      'python3 -m pytest -rA -s -p no:cacheprovider',
    );
    const started = Date.now();
    const g = await gradePatch(grading, task, task.patch, { labels, testTimeoutMs: 3000 });
    expect(g).toMatchObject({ gradingStatus: 'test_timeout', resolution: 'NO' });
    expect(withoutResults(g.tests)).toEqual(listed(task, 'all fail'));
    expect(g.log).toContain('about to hang');
    expect(g.log).toMatch(/Timeout error: 3 seconds exceeded/);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('calls it an infrastructure error when the container dies under the tests', async () => {
    const task = await customTask('hang', 'import time\n\ndef test_one():\n    time.sleep(600)');
    const graded = gradePatch(grading, task, task.patch, { labels }).catch((e: unknown) => e);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [container] = await docker.listContainers({ filters: { label: [`${LABEL_RUN}=${run}`] } });
      const top = container
        ? ((await docker.getContainer(container.Id).top()) as { Processes?: string[][] })
        : undefined;
      if (container && top?.Processes?.some((p) => p.join(' ').includes('pytest'))) {
        await docker.getContainer(container.Id).remove({ force: true });
        break;
      }
      if (Date.now() > deadline) throw new Error('the tests never started');
      await new Promise((r) => setTimeout(r, 200));
    }
    const err = await graded;
    expect(err).toBeInstanceOf(GradingInfraError);
    expect((err as Error).message).toMatch(/container or the engine failed/);
  });

  it('caps a test log of 300 MB inside the container, keeps memory flat, and still reads the results at its end', async () => {
    const printed = 300_000_000;
    const task = await customTask(
      'flood',
      `import sys\n\ndef test_one():\n    for _ in range(${printed / 1_000_000}):\n        sys.stdout.write('x' * 1_000_000)\n    from lib import X\n    assert X == 2`,
      'python3 -m pytest -rA -s -p no:cacheprovider',
    );
    const before = process.memoryUsage().rss;
    const g = await gradePatch(grading, task, task.patch, { labels, maxLogBytes: 4_000_000 });
    const grown = process.memoryUsage().rss - before;
    expect(g).toMatchObject({ gradingStatus: 'graded', resolution: 'FULL', logTruncated: true });
    expect(g.logBytes).toBeGreaterThan(printed);
    expect(g.log.length).toBeLessThan(4_100_000);
    expect(g.log).toMatch(/\[hotmess: \d+ bytes of test output cut here; the log was \d+ bytes\]/);
    expect(grown).toBeLessThan(printed / 10);
    process.stdout.write(
      `grader: ${g.logBytes} bytes printed, ${g.log.length} kept, RSS +${(grown / 1e6).toFixed(1)} MB, tests ${(g.durations.testsMs / 1000).toFixed(1)} s\n`,
    );
  });

  it('calls a truncated log unparsed when the results of listed tests fell in its cut middle, and the sweep grade says it was cut', async () => {
    // Two pytest runs between floods of 40 MB: the first run's results land in the middle the 32 MiB cap cuts out.
    const flood = 'yes filler-line | head -c 40000000';
    const early = ['tests/test_it.py::test_early_a', 'tests/test_it.py::test_early_b'];
    const task = await customTask(
      'midcut',
      `${checkX}\n\ndef test_early_a():\n    pass\n\ndef test_early_b():\n    pass`,
      `${flood}; python3 -m pytest -rA -p no:cacheprovider -k test_early tests/test_it.py; ${flood}; python3 -m pytest -rA -p no:cacheprovider -k test_one`,
      early,
    );
    const graded = await dockerGradeFn(grading, run, 120_000)(task, task.patch, {
      instance_id: task.instance_id,
      unroll: 0,
      seed: 0,
    });
    expect(graded).toMatchObject({ gradingStatus: 'unparsed', resolution: 'NO', logTruncated: true });
    expect(withoutResults(graded.tests)).toEqual(listed(task, 'all fail'));
    expect(graded.log).toMatch(/\[hotmess: \d+ bytes of test output cut here/);
    expect(graded.log).toContain('PASSED tests/test_it.py::test_one');
    expect(graded.log).not.toContain('PASSED tests/test_it.py::test_early_a');
    const direct = await gradePatch(grading, task, task.patch, { labels });
    expect(direct.detail).toBe(
      'the log was cut to its size cap and 2 of 3 listed tests have no result in what was kept (first: tests/test_it.py::test_early_a)',
    );
    // With a cap the whole log fits under, the same run grades FULL.
    const whole = await gradePatch(grading, task, task.patch, { labels, maxLogBytes: 128 * 1024 * 1024 });
    expect(whole).toMatchObject({ gradingStatus: 'graded', resolution: 'FULL', logTruncated: false });
  });

  it('calls a log without recognisable results unparsed, never failed', async () => {
    const task = await customTask('silent', checkX, 'echo "no test runner here";');
    const g = await gradePatch(grading, task, task.patch, { labels });
    expect(g).toMatchObject({ gradingStatus: 'unparsed', logTruncated: false });
    expect(withoutResults(g.tests)).toEqual(listed(task, 'all fail'));
    expect(g.log).toContain('no test runner here');
  });
});
