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
import { expectSpec, type SpecExpectation } from '../../src/sim/expected.ts';
import { loadSimSpec, type LoadedSimSpec } from '../../src/sim/spec-load.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { readUnrolls } from '../../src/store/run-dir.ts';
import { calibrationGroups, describeGroups, predictedRecord, samplingIntervals, type CalibrationSetup } from '../helpers/calibration.ts';

/**
 * Calibration end to end (issue 5): a real sim run — the loopback model server over HTTP through the real
 * Anthropic SDK, the agent loop in Docker sandboxes, Docker grading, unrolls.jsonl — over every bundled task
 * with R = 30. Every record must be exactly the one the simulated agent's spec predicts, and every action
 * bucket's measured incoherence must lie inside the 95% interval around its expected value. The run grades
 * each distinct patch once (--grade-cache): `hotmess validate` (test/docker/pocket.test.ts) shows the bundled
 * tests deterministic, and 660 unrolls write only a few distinct patches per task.
 */
const runSeed = 2026;
const pocket = path.join(repoRoot, 'instances', 'pocket');
const { docker } = await connectEngine();
const { instances } = await loadInstances(pocket, { strict: true });
const specs = new Map(await Promise.all(instances.map(async (i) => [i.instance_id, await loadSimSpec(i)] as const)));
const setup: CalibrationSetup = { instances, specs, unrolls: 30, capacity: actionCapacity(defaultLimits), buckets: 5 };
const root = await mkdtemp(path.join(tmpdir(), 'hotmess-calibration-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('a sim run of R = 30 over the bundled tasks', () => {
  it('writes exactly the records the specs predict, and calibrates every action bucket', async () => {
    const started = Date.now();
    const { runDir, state } = await runSweep({
      docker,
      instances,
      config: {
        instancesSource: pocket,
        instanceIds: instances.map((i) => i.instance_id),
        model: 'sim',
        modelOptions: {},
        unrolls: setup.unrolls,
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
    process.stdout.write(`calibration run: ${state.done} unrolls in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    expect(state).toMatchObject({ done: instances.length * setup.unrolls, infraErrors: 0 });

    const { records, problems } = await readUnrolls(runDir.dir);
    expect(problems).toEqual([]);
    expect(records).toHaveLength(instances.length * setup.unrolls);
    for (const real of records) {
      const instance = instances.find((i) => i.instance_id === real.instance_id) as Instance;
      const want = predictedRecord(instance, specs.get(real.instance_id) as LoadedSimSpec, real.unroll, runSeed, setup.capacity);
      const where = `${real.instance_id}/${real.unroll}`;
      expect({ seed: real.seed, stop: real.stop_reason, actions: real.actions, resolution: real.resolution }, where).toEqual({
        seed: want.seed,
        stop: want.stop_reason,
        actions: want.actions,
        resolution: want.resolution,
      });
      const failing = (r: typeof real) => r.tests.filter((t) => !t.pass).map((t) => t.id).sort();
      expect(failing(real), where).toEqual(failing(want));
    }

    const expected = JSON.parse(await readFile(path.join(runDir.dir, 'expected.json'), 'utf8')) as { tasks: SpecExpectation[] };
    const expectations = new Map(expected.tasks.map((t) => [t.instanceId, t]));
    for (const [id, spec] of specs) expect(expectations.get(id), id).toEqual(expectSpec(spec, { actionLimit: setup.capacity }));
    const stats = computeStats(records, { buckets: setup.buckets, bootstrap: { resamples: 1000, seed: 7, overUnrolls: true } });
    const groups = calibrationGroups(setup, records, stats, expectations, samplingIntervals(setup, 400));
    process.stdout.write(`calibration of the real run (R=${setup.unrolls}, ${instances.length} tasks):\n  ${describeGroups(groups)}\n`);
    for (const g of groups) {
      expect(g.measured?.value, g.name).toBeCloseTo(g.recomputed as number, 12);
      expect(g.measured?.value, g.name).toBeGreaterThanOrEqual(g.interval.lo);
      expect(g.measured?.value, g.name).toBeLessThanOrEqual(g.interval.hi);
    }
  }, 1_800_000);
});
