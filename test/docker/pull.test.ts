import { execa } from 'execa';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentLimitsSchema } from '../../src/agent/limits.ts';
import { connectEngine } from '../../src/docker/engine.ts';
import { officialImageName } from '../../src/images/names.ts';
import { buildImage } from '../../src/images/build.ts';
import { imageExists } from '../../src/images/inspect.ts';
import { ensureInstanceImage } from '../../src/images/instance-image.ts';
import { planImages } from '../../src/images/plan.ts';
import { pullImage } from '../../src/images/pull.ts';
import { PullError } from '../../src/images/pull-errors.ts';
import { PulledImages } from '../../src/images/pulled-state.ts';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { repoRoot } from '../../src/paths.ts';
import type { ImageEvent } from '../../src/run/image-supply.ts';
import { runSweep, type SweepConfig } from '../../src/run/sweep.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { LABEL_RUN } from '../../src/sandbox/labels.ts';
import { readUnrolls } from '../../src/store/run-dir.ts';
import { startRegistry, type LoopbackRegistry } from '../helpers/registry.ts';

const { docker } = await connectEngine();
const pocket = path.join(repoRoot, 'instances', 'pocket');
const template = (await loadInstances(pocket, { strict: true })).instances.find(
  (i) => i.instance_id === 'pocket__semver-1',
) as Instance;
const cli = path.join(repoRoot, 'bin/hotmess.js');

// Per process, so that a concurrent run of this file elsewhere never meets these names.
const ids = [1, 2, 3].map((k) => `demo__pull${process.pid}-${k}`);
const missingId = `demo__pull${process.pid}-missing`;
const state = await mkdtemp(path.join(tmpdir(), 'hotmess-pull-state-'));
process.env.HOTMESS_STATE = state;
const work = await mkdtemp(path.join(tmpdir(), 'hotmess-pull-'));
const instancesFile = path.join(work, 'instances.jsonl');
let registry: LoopbackRegistry;
let instances: Instance[] = [];
const made = new Set<string>();

const config = (instanceIds: string[], images: SweepConfig['images'], unrolls = 2): SweepConfig => ({
  instancesSource: instancesFile,
  instanceIds,
  model: 'sim',
  modelOptions: {},
  unrolls,
  seed: 3,
  limits: agentLimitsSchema.parse({}),
  testTimeoutMs: 300_000,
  infraRetries: 0,
  execMode: 'persistent',
  images,
});

async function events(runDir: string): Promise<ImageEvent[]> {
  const text = await readFile(path.join(runDir, 'images.jsonl'), 'utf8').catch(() => '');
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as ImageEvent);
}

async function removeLocal(tag: string): Promise<void> {
  if (await imageExists(docker, tag)) await docker.getImage(tag).remove({ force: true });
}

beforeAll(async () => {
  registry = await startRegistry();
  // SWE-bench-shaped images of a pocket task (root, the repository in /testbed, a conda `testbed` to activate),
  // one per task id, pushed under the official names' layout and then removed here.
  const built = await ensureInstanceImage(docker, template);
  for (const [k, id] of ids.entries()) {
    const local = `hotmess-test/pull-src:${process.pid}-${k}`;
    made.add(local);
    await buildImage(docker, {
      tag: local,
      // COPY only (no RUN): nothing here needs a container to be started, or a network.
      dockerfile: [
        `FROM ${built.tag}`,
        'USER root',
        'COPY activate /opt/miniconda3/bin/activate',
        // A layer of its own, so that each task's image is a different image.
        'COPY task /etc/hotmess-test-task',
        'WORKDIR /testbed',
      ].join('\n'),
      context: [
        { name: 'activate', content: 'conda() { :; }\n' },
        { name: 'task', content: `${id}\n` },
      ],
    });
    const pushed = `${registry.address}/${officialImageName(id)}`;
    made.add(pushed);
    made.add(officialImageName(id));
    await execa('docker', ['tag', local, pushed]);
    await execa('docker', ['push', pushed]);
    await removeLocal(pushed);
    await removeLocal(local);
  }
  // The records as SWE-bench publishes them: no source, no image; a copy of the pocket task's sim spec.
  const records = [];
  for (const id of [...ids, missingId]) {
    const dir = path.join(work, 'tasks', id);
    await cp(path.join(pocket, 'tasks', template.instance_id), dir, { recursive: true });
    const spec = await readFile(path.join(dir, 'spec.yaml'), 'utf8');
    await writeFile(path.join(dir, 'spec.yaml'), spec.replace(/^instance_id: .*$/m, `instance_id: ${id}`));
    const { baseDir: _baseDir, source: _source, ...record } = template;
    records.push({ ...record, instance_id: id, sim: `tasks/${id}/spec.yaml` });
  }
  await writeFile(instancesFile, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  instances = (await loadInstances(instancesFile, { strict: true })).instances;
}, 900_000);

afterAll(async () => {
  await registry?.close();
  for (const tag of made) await removeLocal(tag);
  for (const k of [0, 1, 2]) await removeLocal(`hotmess-test/pull-src:${process.pid}-${k}`);
  const left = await docker.listContainers({ all: true, filters: { label: [LABEL_RUN] } });
  expect(left.filter((c) => (c.Labels[LABEL_RUN] ?? '').startsWith('pull-'))).toEqual([]);
  await rm(state, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('official images pulled on demand from a registry', () => {
  it('plans the pull with the size the registry gives, before anything is pulled', async () => {
    const plan = await planImages(docker, instances.slice(0, 1).concat(instances[3] as Instance), {
      registry: registry.address,
    });
    expect(plan[0]).toMatchObject({
      source: 'pull',
      origin: 'official',
      image: officialImageName(ids[0] as string),
      pull: `${registry.address}/${officialImageName(ids[0] as string)}`,
      registry: registry.address,
      present: false,
    });
    expect(plan[0]?.downloadBytes).toBeGreaterThan(10_000_000);
    expect(plan[1]).toMatchObject({ source: 'pull', downloadBytes: null, note: expect.stringMatching(/404/) });
  });

  it('hotmess run pulls the missing image, grades every unroll, and records the pull', async () => {
    const root = await mkdtemp(path.join(work, 'runs-'));
    const result = await execa(
      'node',
      [
        cli,
        'run',
        '--instances',
        instancesFile,
        '--instance-ids',
        ids[0] as string,
        '--registry',
        registry.address,
        '-R',
        '2',
        '--out',
        root,
        '--run-id',
        'pull-cli',
      ],
      { reject: false, env: { HOTMESS_STATE: state } },
    );
    // The transcript, for the record of what a user sees.
    console.log(`$ hotmess run … --registry ${registry.address} -R 2\n${result.stderr}\n${result.stdout}`);
    expect(result.stderr).toContain(`pulled ${registry.address}/${officialImageName(ids[0] as string)}`);
    expect(result.exitCode).toBe(0);
    const runDir = path.join(root, 'pull-cli');
    const { records } = await readUnrolls(runDir);
    expect(records).toHaveLength(2);
    expect(records.every((rec) => rec.infra_error === null && rec.tests.length > 0)).toBe(true);
    const [pulled] = await events(runDir);
    expect(pulled).toMatchObject({
      event: 'pulled',
      image: officialImageName(ids[0] as string),
      registry: registry.address,
      instance_ids: [ids[0]],
    });
    expect(pulled?.event === 'pulled' && pulled.bytes > 10_000_000).toBe(true);
    // Tagged under the official name, and recorded as hotmess's own pull.
    expect(await imageExists(docker, officialImageName(ids[0] as string))).toBe(true);
    const owner = await new PulledImages(state).ownerOf(docker, officialImageName(ids[0] as string));
    expect(owner?.registry).toBe(registry.address);
  });

  it('names a missing tag and a pull timeout, and the other tasks go on', async () => {
    const root = await mkdtemp(path.join(work, 'runs-'));
    const {
      state: progress,
      skipped,
      runDir,
    } = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances,
      config: config([missingId, ids[0] as string], { registry: registry.address, pullRetries: 0 }),
      concurrency: 2,
      run: { kind: 'new', root, runId: 'pull-missing' },
    });
    expect(skipped).toEqual([
      { instance_id: missingId, reason: expect.stringMatching(/has no image .*manifest unknown.*--image-template/) },
    ]);
    expect(progress).toMatchObject({ done: 2, total: 2, infraErrors: 0 });
    const { records } = await readUnrolls(runDir.dir);
    expect(records.map((r) => r.instance_id)).toEqual([ids[0], ids[0]]);
    expect(await events(runDir.dir)).toEqual([
      expect.objectContaining({ event: 'failed', instance_id: missingId, code: 'pull_not_found' }),
    ]);

    const slow = pullImage(docker, `${registry.address}/${officialImageName(ids[1] as string)}`, {
      timeoutSeconds: 0.001,
      pulled: new PulledImages(state),
    });
    await expect(slow).rejects.toMatchObject({ code: 'pull_timeout' });
    await expect(slow).rejects.toThrow(/took longer than 0\.001 s: .*hotmess images pull/);
  });

  it('names a registry that cannot be reached: the task is not run, and never counted as the agent failing', async () => {
    await registry.stop();
    try {
      const root = await mkdtemp(path.join(work, 'runs-'));
      const result = await execa(
        'node',
        [
          cli,
          'run',
          '--instances',
          instancesFile,
          '--instance-ids',
          ids[1] as string,
          '--registry',
          registry.address,
          '--pull-retries',
          '1',
          '--out',
          root,
          '--run-id',
          'pull-offline',
        ],
        { reject: false, env: { HOTMESS_STATE: state } },
      );
      console.log(
        `$ hotmess run … --registry ${registry.address} (stopped) → exit ${result.exitCode}\n${result.stderr}`,
      );
      expect(result.exitCode).toBe(4);
      expect(result.stderr).toMatch(
        new RegExp(`Registry ${registry.address.replace(/\./g, '\\.')} cannot be reached to pull .*connection refused`),
      );
      expect(result.stderr).toMatch(/retrying the pull of .* in 1 s/);
      expect(result.stderr).toContain('No task could run');
      const { records } = await readUnrolls(path.join(root, 'pull-offline'));
      expect(records).toEqual([]);
      const err = await pullImage(docker, `${registry.address}/${officialImageName(ids[1] as string)}`, {
        retries: 0,
        pulled: new PulledImages(state),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PullError);
      expect(err).toMatchObject({ code: 'pull_unreachable', registry: registry.address, exitCode: 4 });
    } finally {
      await registry.start();
    }
  });

  it("keeps under a tiny --max-image-disk by removing each finished task's image before the next pull", async () => {
    for (const id of ids) await removeLocal(officialImageName(id));
    for (const id of ids) await removeLocal(`${registry.address}/${officialImageName(id)}`);
    const root = await mkdtemp(path.join(work, 'runs-'));
    const { state: progress, runDir } = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances,
      config: config(ids, { registry: registry.address, maxImageDiskGb: 0.001 }, 2),
      concurrency: 2,
      run: { kind: 'new', root, runId: 'pull-budget' },
    });
    expect(progress).toMatchObject({ done: 6, total: 6, infraErrors: 0 });
    const { records } = await readUnrolls(runDir.dir);
    expect(records.filter((r) => r.infra_error === null && r.tests.length > 0)).toHaveLength(6);
    const log = await events(runDir.dir);
    // Pull, run, remove, one task after the other: never two of them on disk at once.
    expect(log.map((e) => `${e.event} ${'instance_ids' in e ? e.instance_ids.join() : ''}`)).toEqual(
      ids.flatMap((id) => [`pulled ${id}`, `removed ${id}`]),
    );
    for (const e of log) expect('bytes' in e && e.bytes > 10_000_000).toBe(true);
    // The scheduler ran each task's unrolls together, while its image was there.
    expect(records.map((r) => r.instance_id)).toEqual(ids.flatMap((id) => [id, id]));
    for (const id of ids) expect(await imageExists(docker, officialImageName(id))).toBe(false);
    expect(await readdir(state)).toContain('pulls');
    expect(await new PulledImages(state).list()).toEqual([]);
  });
});
