import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionCapacity, defaultLimits } from '../../src/agent/limits.ts';
import { loadInstances } from '../../src/instances/load.ts';
import { repoRoot } from '../../src/paths.ts';
import { expectSpec } from '../../src/sim/expected.ts';
import { shiftDrift, type SimShift } from '../../src/sim/shift.ts';
import { loadSimSpec, type LoadedSimSpec } from '../../src/sim/spec-load.ts';
import { equalCountBuckets } from '../../src/stats/buckets.ts';
import type { UnrollRecord } from '../../src/store/unroll-record.ts';
import { analyseCell, type CellFacts } from '../../src/sweeps/analyse.ts';
import { defaultRegression, type RegressionRules } from '../../src/sweeps/schema.ts';
import { predictedRecord } from '../helpers/calibration.ts';

/**
 * The verdict against the simulated agent without Docker: a night's records are the ones the sim pipeline writes
 * for its seeds (predictedRecord, which the Docker calibration test checks a real run reproduces exactly). A small
 * sweep: the 22 pocket tasks, R = 8, 3 action-count buckets.
 */
const { instances } = await loadInstances(path.join(repoRoot, 'instances', 'pocket'), { strict: true });
const specs = new Map<string, LoadedSimSpec>();
for (const instance of instances) specs.set(instance.instance_id, await loadSimSpec(instance));
const capacity = actionCapacity(defaultLimits);
const unrolls = 8;
const buckets = 3;

function night(seed: number, shift?: SimShift, count = unrolls): UnrollRecord[] {
  return instances.flatMap((instance) =>
    Array.from({ length: count }, (_, r) =>
      predictedRecord(instance, shiftDrift(specs.get(instance.instance_id) as LoadedSimSpec, shift), r, seed, capacity),
    ),
  );
}

const facts = (sweepId: string): CellFacts => ({
  sweep: 'sim-nightly',
  sweepId,
  date: '2026-12-03T00:00:00.000Z',
  finishedAt: '2026-12-03T01:00:00.000Z',
  cell: { name: 'sim', settings: { model: 'sim' } },
  model: 'sim',
  runDir: `${sweepId}/sim`,
  tasksRevision: null,
  taskSetHash: 'x',
  instances: 'instances/pocket',
  unrolls,
  seed: 0,
});

function verdictOf(before: UnrollRecord[], after: UnrollRecord[], rules: RegressionRules = defaultRegression) {
  const options = { buckets, resamples: 400, rules };
  const first = analyseCell(facts('night-1'), before, null, options);
  return analyseCell(facts('night-2'), after, { line: first.line, records: before }, options);
}

describe('the nightly verdict on the simulated agent', () => {
  it('does not flag the same model on other seeds more often than the nominal 5%', () => {
    const nights = 200;
    let alarms = 0;
    let intervalOnlyAlarms = 0;
    const intervalOnly: RegressionRules = { ...defaultRegression, resolve_rate: { drop: 0 }, incoherence: { rise: 0 } };
    for (let s = 0; s < nights; s++) {
      const before = night(1000 + 2 * s);
      const after = night(1001 + 2 * s);
      if (verdictOf(before, after).verdict.status === 'regression') alarms++;
      if (verdictOf(before, after, intervalOnly).verdict.status === 'regression') intervalOnlyAlarms++;
    }
    console.info(
      `false alarms over ${nights} no-change night pairs: ${alarms} (${((100 * alarms) / nights).toFixed(1)}%) with the default thresholds; ` +
        `${intervalOnlyAlarms} (${((100 * intervalOnlyAlarms) / nights).toFixed(1)}%) on the intervals alone (thresholds 0)`,
    );
    expect(alarms / nights).toBeLessThanOrEqual(0.05);
  }, 120_000);

  it('flags a model shifted to the wrong patches past 8 actions (R = 16), with the right sign, in a bucket the shift hits', () => {
    const shift: SimShift = { drift: 1, from: 8 };
    // Exact expectations: which tasks lose the most resolve rate, by expected action count.
    const expectations = instances.map((i) => {
      const spec = specs.get(i.instance_id) as LoadedSimSpec;
      const before = expectSpec(spec, { actionLimit: capacity });
      const after = expectSpec(shiftDrift(spec, shift), { actionLimit: capacity });
      return {
        id: i.instance_id,
        actions: before.expectedExecutedActions,
        drop: after.resolveProbability - before.resolveProbability,
      };
    });
    const expectedBuckets = equalCountBuckets(
      expectations.map((e) => e.actions),
      expectations.map((e) => e.id),
      buckets,
    ).map(
      (members) =>
        Array.from(members, (i) => (expectations[i] as (typeof expectations)[number]).drop).reduce((a, b) => a + b, 0) /
        members.length,
    );

    const trials = 10;
    let flagged = 0;
    const located: number[] = [];
    for (let s = 0; s < trials; s++) {
      const { verdict } = verdictOf(night(2000 + 2 * s, undefined, 16), night(2001 + 2 * s, shift, 16));
      if (verdict.status !== 'regression') continue;
      flagged++;
      for (const breach of verdict.breaches) {
        expect(breach.figure === 'resolve_rate' ? breach.diff < 0 : breach.diff > 0).toBe(true);
        expect(breach.scope).toBe('overall');
      }
      const resolve = verdict.breaches.find((b) => b.figure === 'resolve_rate');
      expect(resolve?.diff).toBeLessThan(0);
      located.push(resolve?.worstBucket?.bucket ?? 0);
    }
    console.info(
      `shift simDrift=${shift.drift} from ${shift.from} actions: flagged in ${flagged}/${trials} night pairs, located in buckets ${located.join(', ')}; expected resolve-rate change by bucket: ${expectedBuckets.map((d) => d.toFixed(3)).join(', ')}`,
    );
    expect(flagged).toBeGreaterThanOrEqual(8);
    // The shift acts only past 10 actions: the short tasks' bucket barely moves, and the regression is never put there.
    const hit = expectedBuckets.map((d, b) => (d < -0.1 ? b + 1 : 0)).filter((b) => b > 0);
    expect(hit).toEqual([2, 3]);
    for (const bucket of located) expect(hit).toContain(bucket);
  }, 120_000);
});
