import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionCapacity, defaultLimits } from '../../src/agent/limits.ts';
import { connectEngine } from '../../src/docker/engine.ts';
import { imageExists } from '../../src/images/inspect.ts';
import { officialImageName } from '../../src/images/names.ts';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { repoRoot } from '../../src/paths.ts';
import { planRun } from '../../src/run/dry-run.ts';
import { runSweep } from '../../src/run/sweep.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { LABEL_RUN } from '../../src/sandbox/labels.ts';
import { defaultSimSpec, type SimDefault } from '../../src/sim/default-spec.ts';
import { expectSpec, type SpecExpectation } from '../../src/sim/expected.ts';
import type { LoadedSimSpec } from '../../src/sim/spec-load.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { readUnrolls } from '../../src/store/run-dir.ts';
import type { UnrollRecord } from '../../src/store/unroll-record.ts';
import {
  calibrationGroups,
  describeGroups,
  predictedRecord,
  samplingIntervals,
  type CalibrationSetup,
} from '../helpers/calibration.ts';
import { startRegistry, type LoopbackRegistry } from '../helpers/registry.ts';

/**
 * Issue 9, parts 5 and 6 on real parts: the simulated agent on tasks that have no `sim` spec (the default spec over
 * their gold patch, in a --sim-default mix) through the loopback server, Docker sandboxes and grading; the run's
 * cost limit through the CLI; and `run --dry-run` asking a loopback registry for image sizes.
 */
const { docker } = await connectEngine();
const pocket = path.join(repoRoot, 'instances', 'pocket');
const cli = path.join(repoRoot, 'bin/hotmess.js');
const chosen = ['pocket__semver-1', 'pocket__durations-1', 'pocket__csvkit-js-1'];
/** The bundled tasks as SWE-bench publishes tasks: no `sim` spec (and, in the file, an absolute source). */
const instances: Instance[] = (await loadInstances(pocket, { strict: true })).instances
  .filter((i) => chosen.includes(i.instance_id))
  .map(({ sim: _sim, ...rest }) => rest as Instance);
const work = await mkdtemp(path.join(tmpdir(), 'hotmess-sim-default-'));
const instancesFile = path.join(work, 'instances.jsonl');
await writeFile(
  instancesFile,
  instances
    .map(({ baseDir, ...record }) =>
      JSON.stringify({ ...record, source: path.resolve(baseDir, record.source as string) }),
    )
    .join('\n') + '\n',
);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('--model sim on tasks without a sim spec (--sim-default)', () => {
  const mix: SimDefault = { gold: 0.5, empty: 0.5 };
  const runSeed = 90;
  const unrolls = 4;
  const specs = new Map(instances.map((i) => [i.instance_id, defaultSimSpec(i, mix)] as const));
  const setup: CalibrationSetup = {
    instances,
    specs,
    unrolls,
    capacity: actionCapacity(defaultLimits),
    buckets: 2,
  };

  it(`writes the records the default spec predicts, and figures inside the intervals around the exact ones`, async () => {
    expect(instances.every((i) => i.sim === undefined)).toBe(true);
    const started = Date.now();
    const { runDir, state } = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances,
      config: {
        instancesSource: instancesFile,
        instanceIds: instances.map((i) => i.instance_id),
        model: 'sim',
        modelOptions: { simDefault: mix },
        unrolls,
        seed: runSeed,
        limits: defaultLimits,
        testTimeoutMs: 300_000,
        infraRetries: 1,
        execMode: 'persistent',
        gradeCache: true,
      },
      concurrency: 2,
      run: { kind: 'new', root: work, runId: 'sim-default' },
    });
    expect(state).toMatchObject({ done: instances.length * unrolls, infraErrors: 0 });
    const { records, problems } = await readUnrolls(runDir.dir);
    expect(problems).toEqual([]);
    const failing = (r: UnrollRecord) =>
      r.tests
        .filter((t) => !t.pass)
        .map((t) => t.id)
        .sort();
    for (const got of records) {
      const instance = instances.find((i) => i.instance_id === got.instance_id) as Instance;
      const want = predictedRecord(
        instance,
        specs.get(got.instance_id) as LoadedSimSpec,
        got.unroll,
        runSeed,
        setup.capacity,
      );
      expect(
        { stop: got.stop_reason, actions: got.actions, resolution: got.resolution, failing: failing(got) },
        `${got.instance_id}/${got.unroll}`,
      ).toEqual({
        stop: want.stop_reason,
        actions: want.actions,
        resolution: want.resolution,
        failing: failing(want),
      });
    }
    // Both candidates were drawn: the run exercised the gold patch and the empty one.
    expect(new Set(records.map((r) => r.resolution))).toEqual(new Set(['FULL', 'NO']));

    const file = JSON.parse(await readFile(path.join(runDir.dir, 'expected.json'), 'utf8')) as {
      tasks: SpecExpectation[];
    };
    const expectations = new Map(file.tasks.map((t) => [t.instanceId, t]));
    for (const [id, spec] of specs)
      expect(expectations.get(id), id).toEqual(expectSpec(spec, { actionLimit: setup.capacity }));

    const stats = computeStats(records, { buckets: setup.buckets, bootstrap: { resamples: 500, seed: 3 } });
    const groups = calibrationGroups(setup, records, stats, expectations, samplingIntervals(setup, 1000));
    process.stdout.write(
      `sim-default (${mix.gold}/${mix.empty}, R=${unrolls}, ${instances.length} tasks, ${((Date.now() - started) / 1000).toFixed(0)} s):\n  ${describeGroups(groups)}\n`,
    );
    for (const g of groups) {
      expect(g.measured?.value, g.name).toBeCloseTo(g.recomputed as number, 12);
      expect(g.measured?.value as number, g.name).toBeGreaterThanOrEqual(g.interval.lo - 1e-12);
      expect(g.measured?.value as number, g.name).toBeLessThanOrEqual(g.interval.hi + 1e-12);
    }
  }, 600_000);
});

describe('--max-run-cost', () => {
  it('stops the run with exit 7 and one sentence, keeping finished unrolls, and a resume finishes the rest', async () => {
    const prices = path.join(work, 'prices.json');
    // The simulated agent at a price: about a dollar per turn, so that the first turn spends the run's limit.
    await writeFile(prices, JSON.stringify({ 'sim:hotmess-sim': { input: 1000, output: 1000 } }));
    const common = ['--out', work, '--concurrency', '1'];
    const first = await execa(
      'node',
      [
        cli,
        'run',
        '--instances',
        instancesFile,
        '--instance-ids',
        'pocket__semver-1',
        '--unrolls',
        '2',
        '--grade-cache',
        '--prices',
        prices,
        '--max-run-cost',
        '0.01',
        '--run-id',
        'costly',
        ...common,
      ],
      { reject: false },
    );
    const dir = path.join(work, 'costly');
    expect(first.exitCode, first.stderr).toBe(7);
    const last = first.stderr.trim().split('\n').at(-1);
    expect(last).toMatch(
      new RegExp(
        `^hotmess: The run's cost limit of \\$0.01 was reached \\(\\$\\d+\\.\\d\\d spent\\); the 1 finished unrolls are kept in ${dir}: to go on, resume with hotmess run --resume ${dir} --max-run-cost <a higher limit>\\.$`,
      ),
    );
    const kept = (await readUnrolls(dir)).records;
    expect(kept.map((r) => [r.unroll, r.infra_error])).toEqual([[0, null]]);
    expect(kept[0]?.cost_usd).toBeGreaterThan(0.01);

    // The limit counts what the run spent before: resumed under the same limit, nothing starts.
    const again = await execa('node', [cli, 'run', '--resume', dir, '--max-run-cost', '0.01'], { reject: false });
    expect(again.exitCode).toBe(7);
    expect((await readUnrolls(dir)).records).toHaveLength(1);

    const rest = await execa('node', [cli, 'run', '--resume', dir, '--max-run-cost', '1000'], { reject: false });
    expect(rest.exitCode, rest.stderr).toBe(0);
    const all = (await readUnrolls(dir)).records;
    expect(all.map((r) => r.unroll).sort()).toEqual([0, 1]);
    expect(all.every((r) => r.infra_error === null && r.cost_usd > 0)).toBe(true);
  }, 600_000);
});

describe('run --dry-run against a loopback registry', () => {
  let registry: LoopbackRegistry;
  const id = `demo__dryrun${process.pid}-1`;
  const absent = `demo__dryrun${process.pid}-2`;
  const local = `hotmess-test/dry-run:${process.pid}`;
  const pushed = () => `${registry.address}/${officialImageName(id)}`;
  const recordsFile = path.join(work, 'official.jsonl');

  beforeAll(async () => {
    registry = await startRegistry();
    // A tiny image under an official name: the plan asks for its size and never pulls it.
    const root = path.join(work, 'rootfs');
    await execa('mkdir', ['-p', root]);
    await writeFile(path.join(root, 'task'), `${id}\n`);
    await execa('sh', ['-c', `tar -C ${root} -c . | docker import - ${local}`]);
    await execa('docker', ['tag', local, pushed()]);
    await execa('docker', ['push', pushed()]);
    for (const tag of [pushed(), local]) await docker.getImage(tag).remove({ force: true });
    const template = instances[0] as Instance;
    const { baseDir: _b, source: _s, ...record } = template;
    await writeFile(
      recordsFile,
      [id, absent].map((instanceId) => JSON.stringify({ ...record, instance_id: instanceId })).join('\n') + '\n',
    );
  }, 300_000);

  afterAll(async () => {
    await registry?.close();
    for (const tag of [pushed(), local, officialImageName(id)])
      if (await imageExists(docker, tag)) await docker.getImage(tag).remove({ force: true });
  });

  it('prints the tasks, unrolls, images with the registry’s sizes and the cost bound, and starts nothing', async () => {
    const manifest = (await (
      await fetch(
        `http://${registry.address}/v2/swebench/sweb.eval.x86_64.${id.replace('__', '_1776_')}/manifests/latest`,
        {
          headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
        },
      )
    ).json()) as { config: { size: number }; layers: { size: number }[] };
    const size = manifest.config.size + manifest.layers.reduce((s, l) => s + l.size, 0);

    const { instances: official } = await loadInstances(recordsFile, { strict: true });
    const plan = await planRun({
      docker,
      instances: official,
      config: {
        instancesSource: recordsFile,
        instanceIds: official.map((i) => i.instance_id),
        model: 'anthropic:claude-sonnet-4-6',
        modelOptions: {},
        unrolls: 5,
        seed: 0,
        limits: { ...defaultLimits, maxCostUsd: 2 },
        testTimeoutMs: 1000,
        infraRetries: 0,
        execMode: 'persistent',
        images: { registry: registry.address },
      },
      concurrency: 3,
    });
    expect(plan).toMatchObject({ tasks: 2, unrolls: 10, price: { input: 3, output: 15 } });
    expect(plan.images.map((e) => [e.instance_id, e.source, e.downloadBytes])).toEqual([
      [id, 'pull', size],
      [absent, 'pull', null],
    ]);
    expect(plan.images[1]?.note).toMatch(/404/);
    expect(plan.cost?.runUsd).toBeCloseTo(10 * (2 + plan.cost!.turnUsd), 9);

    const out = path.join(work, 'dry-logs');
    const r = await execa(
      'node',
      [
        cli,
        'run',
        '--dry-run',
        '--instances',
        recordsFile,
        '--registry',
        registry.address,
        '--max-cost',
        '2',
        '--out',
        out,
      ],
      { reject: false, env: { ANTHROPIC_API_KEY: '' } },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^tasks {5}2$/m);
    expect(r.stdout).toMatch(/^unrolls {3}10 per task, 20 in all, 2 at a time$/m);
    expect(r.stdout).toMatch(/^images {4}2 to pull \(.* to download for 1 of them, the others' sizes unknown\)/m);
    expect(r.stdout).toMatch(/^cost {6}\$0\.00 at most/m);
    expect(r.stdout).toContain(id);
    process.stdout.write(`dry run:\n${r.stdout}`);
    // Nothing was written, pulled or started.
    expect(await readFile(out).catch((e: NodeJS.ErrnoException) => e.code)).toBe('ENOENT');
    expect(await imageExists(docker, officialImageName(id))).toBe(false);
    const containers = await docker.listContainers({ all: true, filters: { label: [LABEL_RUN] } });
    expect(containers.filter((c) => (c.Image ?? '').includes('dryrun'))).toEqual([]);
  }, 300_000);
});
