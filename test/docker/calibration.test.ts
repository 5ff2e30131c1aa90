import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { actionCapacity, defaultLimits } from '../../src/agent/limits.ts';
import { connectEngine } from '../../src/docker/engine.ts';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { repoRoot } from '../../src/paths.ts';
import { runSweep } from '../../src/run/sweep.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { expectSpec, type SpecExpectation } from '../../src/sim/expected.ts';
import { loadSimSpec, type LoadedSimSpec } from '../../src/sim/spec-load.ts';
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

/**
 * Calibration end to end (issue 5) on the run of R = 30 unrolls of every bundled task with run seed 2026: the
 * loopback model server over HTTP through the real Anthropic SDK, the agent loop in Docker sandboxes, Docker
 * grading, unrolls.jsonl. Every record the pipeline writes must be exactly the one the simulated agent's spec
 * predicts, and every action bucket's measured incoherence must lie inside the 95% interval around its expected
 * value. An unroll's record depends only on the run seed, its task and its index, so running the first
 * HOTMESS_CALIBRATION_UNROLLS of each task's 30 (default 2, which keeps CI short; `npm run calibrate` runs all 30,
 * about 8 minutes on 2 cores) checks the pipeline on those, and the statistics use their real records with the
 * verified predictions for the rest. Each distinct patch is graded once (--grade-cache): `hotmess validate`
 * (test/docker/pocket.test.ts) shows the bundled tests deterministic.
 */
const runSeed = 2026;
const fullR = 30;
const realR = Math.min(fullR, Math.max(1, Number(process.env.HOTMESS_CALIBRATION_UNROLLS ?? 2)));
const pocket = path.join(repoRoot, 'instances', 'pocket');
const { docker } = await connectEngine();
const { instances } = await loadInstances(pocket, { strict: true });
const specs = new Map(await Promise.all(instances.map(async (i) => [i.instance_id, await loadSimSpec(i)] as const)));
const setup: CalibrationSetup = {
  instances,
  specs,
  unrolls: fullR,
  capacity: actionCapacity(defaultLimits),
  buckets: 5,
};
const root = await mkdtemp(path.join(tmpdir(), 'hotmess-calibration-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const predicted = (id: string, unroll: number): UnrollRecord =>
  predictedRecord(
    instances.find((i) => i.instance_id === id) as Instance,
    specs.get(id) as LoadedSimSpec,
    unroll,
    runSeed,
    setup.capacity,
  );

describe(`the sim run of R = ${fullR} over the bundled tasks (${realR} unrolls of each run for real)`, () => {
  let real: UnrollRecord[] = [];
  let expectations = new Map<string, SpecExpectation>();

  it('writes exactly the records the specs predict', async () => {
    const started = Date.now();
    const { runDir, state } = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances,
      config: {
        instancesSource: pocket,
        instanceIds: instances.map((i) => i.instance_id),
        model: 'sim',
        modelOptions: {},
        unrolls: realR,
        seed: runSeed,
        limits: defaultLimits,
        testTimeoutMs: 300_000,
        infraRetries: 1,
        execMode: 'persistent',
        gradeCache: true,
      },
      concurrency: 4,
      run: { kind: 'new', root, runId: 'calibration' },
    });
    process.stdout.write(`calibration: ${state.done} unrolls run in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    expect(state).toMatchObject({ done: instances.length * realR, infraErrors: 0 });
    const read = await readUnrolls(runDir.dir);
    expect(read.problems).toEqual([]);
    real = read.records;
    expect(real).toHaveLength(instances.length * realR);
    const failing = (r: UnrollRecord) =>
      r.tests
        .filter((t) => !t.pass)
        .map((t) => t.id)
        .sort();
    for (const got of real) {
      const want = predicted(got.instance_id, got.unroll);
      const where = `${got.instance_id}/${got.unroll}`;
      expect(
        {
          seed: got.seed,
          stop: got.stop_reason,
          actions: got.actions,
          resolution: got.resolution,
          failing: failing(got),
        },
        where,
      ).toEqual({
        seed: want.seed,
        stop: want.stop_reason,
        actions: want.actions,
        resolution: want.resolution,
        failing: failing(want),
      });
    }
    const file = JSON.parse(await readFile(path.join(runDir.dir, 'expected.json'), 'utf8')) as {
      tasks: SpecExpectation[];
    };
    expectations = new Map(file.tasks.map((t) => [t.instanceId, t]));
    for (const [id, spec] of specs)
      expect(expectations.get(id), id).toEqual(expectSpec(spec, { actionLimit: setup.capacity }));
  }, 1_800_000);

  it('measures every action bucket’s incoherence inside the 95% interval around its expected value', () => {
    expect(real.length).toBeGreaterThan(0);
    const rest = instances.flatMap((i) =>
      Array.from({ length: fullR - realR }, (_, k) => predicted(i.instance_id, realR + k)),
    );
    const records = [...real, ...rest];
    const stats = computeStats(records, {
      buckets: setup.buckets,
      bootstrap: { resamples: 1000, seed: 7, overUnrolls: true },
    });
    const groups = calibrationGroups(setup, records, stats, expectations, samplingIntervals(setup, 400));
    process.stdout.write(
      `calibration (R=${fullR}, ${instances.length} tasks, ${realR} unrolls of each run for real):\n  ${describeGroups(groups)}\n`,
    );
    for (const g of groups) {
      expect(g.measured?.value, g.name).toBeCloseTo(g.recomputed as number, 12);
      expect(g.measured?.value, g.name).toBeGreaterThanOrEqual(g.interval.lo);
      expect(g.measured?.value, g.name).toBeLessThanOrEqual(g.interval.hi);
    }
  });
});
