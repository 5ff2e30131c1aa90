import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectEngine } from '../../src/docker/engine.ts';
import { gradePatch } from '../../src/grading/docker-grader.ts';
import { officialImageName } from '../../src/images/names.ts';
import { buildImage } from '../../src/images/build.ts';
import { ensureInstanceImage } from '../../src/images/instance-image.ts';
import { instanceSchema, type Instance } from '../../src/instances/schema.ts';
import { LABEL_RUN } from '../../src/sandbox/labels.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { makeTinyRepo } from '../helpers/tiny-repo.ts';

const { docker } = await connectEngine();
const grading = { docker, provider: new DockerSandboxProvider(docker) };
const labels = { run: `test-official-${process.pid}` };
const base = inject('baseImage');
const instanceId = 'demo__official-1';
const tag = officialImageName(instanceId);

const repo = await makeTinyRepo([
  {
    message: 'calc',
    files: {
      'conftest.py': '',
      'calc.py': 'def double(x):\n    return x + x + 1\n',
      'tests/test_calc.py': 'from calc import double\n\ndef test_zero():\n    assert double(0) == 1\n',
    },
  },
]);

/** A record as the SWE-bench datasets carry it: no source, only the official image's name and test lists. */
const instance: Instance = {
  ...instanceSchema.parse({
    instance_id: instanceId,
    repo: 'demo/official',
    base_commit: repo.commits[0],
    version: '1.0',
    problem_statement: 'double() adds one too many.',
    patch:
      'diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def double(x):\n-    return x + x + 1\n+    return x + x\n',
    // Changes the existing test file (reset before and after) and creates one (removed after).
    test_patch: [
      'diff --git a/tests/test_calc.py b/tests/test_calc.py\n--- a/tests/test_calc.py\n+++ b/tests/test_calc.py\n@@ -1,4 +1,7 @@\n from calc import double\n \n def test_zero():\n-    assert double(0) == 1\n+    assert double(0) == 0\n+\n+def test_two():\n+    assert double(2) == 4\n',
      'diff --git a/tests/test_env.py b/tests/test_env.py\nnew file mode 100644\n--- /dev/null\n+++ b/tests/test_env.py\n@@ -0,0 +1,4 @@\n+import os\n+\n+def test_runs_as_root():\n+    assert os.geteuid() == 0\n',
    ].join(''),
    FAIL_TO_PASS: JSON.stringify(['tests/test_calc.py::test_zero', 'tests/test_calc.py::test_two']),
    PASS_TO_PASS: JSON.stringify(['tests/test_env.py::test_runs_as_root']),
    test_cmd: 'pytest -rA',
    log_parser: 'parse_log_pytest',
  }),
  baseDir: '/nonexistent',
};

beforeAll(async () => {
  // Shaped like an official image: root, the repository at /testbed, a conda `testbed` environment to activate.
  await buildImage(docker, {
    tag,
    dockerfile: [
      `FROM ${base}`,
      'USER root',
      'COPY repo.bundle /tmp/repo.bundle',
      'RUN cd / && rm -rf /testbed && git clone -q /tmp/repo.bundle /testbed && rm /tmp/repo.bundle && cd /testbed && git remote remove origin',
      'RUN mkdir -p /opt/miniconda3/bin && printf "conda() { echo \\"conda \\$*\\"; }\\n" > /opt/miniconda3/bin/activate',
      'WORKDIR /testbed',
    ].join('\n'),
    context: [{ name: 'repo.bundle', hostPath: repo.bundle }],
  });
});

afterAll(async () => {
  await docker
    .getImage(tag)
    .remove({ force: true })
    .catch(() => undefined);
  expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${labels.run}`] } })).toEqual([]);
});

describe('official SWE-bench images', () => {
  it('are used when present under the official name, as root in /testbed', async () => {
    expect(tag).toBe('swebench/sweb.eval.x86_64.demo_1776_official-1:latest');
    const expected = { tag, user: 'root', workdir: '/testbed', origin: 'official' };
    expect(await ensureInstanceImage(docker, instance)).toEqual(expected);
    // Naming the image in the record changes nothing.
    expect(await ensureInstanceImage(docker, { ...instance, image: tag })).toEqual(expected);
  });

  it('run the official eval script: activate, reset the test files, apply the test patch, run the tests', async () => {
    const gold = await gradePatch(grading, instance, instance.patch);
    expect(gold).toMatchObject({ gradingStatus: 'graded', resolution: 'FULL' });
    expect(gold.log).toContain('+ conda activate testbed');
    expect(gold.log).toMatch(/git checkout [0-9a-f]{40} -- tests\/test_calc\.py/);
    expect(gold.log).toContain('git apply -v -');
    expect(gold.log).toContain(">>>>> Start Test Output'");
    expect(gold.log).toMatch(/>>>>> Test Exit Code: 0/);
    const empty = await gradePatch(grading, instance, '', { runEmptyPatch: true });
    expect(empty.resolution).toBe('NO');
    expect(empty.tests.filter((t) => !t.pass).map((t) => t.id)).toEqual([
      'tests/test_calc.py::test_zero',
      'tests/test_calc.py::test_two',
    ]);
  });

  it('are pulled when neither the image nor a source is here, with a named error when that fails (no network here)', async () => {
    const missing = { ...instance, instance_id: 'demo__nowhere-9', image: undefined };
    await expect(ensureInstanceImage(docker, missing, undefined, { source: { pullRetries: 0 } })).rejects.toThrow(
      /^Registry Docker Hub \(docker\.io\) cannot be reached to pull swebench\/sweb\.eval\.x86_64\.demo_1776_nowhere-9:latest /,
    );
  });
});
