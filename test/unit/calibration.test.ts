import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionCapacity, defaultLimits } from '../../src/agent/limits.ts';
import { loadInstances } from '../../src/instances/load.ts';
import { repoRoot } from '../../src/paths.ts';
import { expectSpec } from '../../src/sim/expected.ts';
import { loadSimSpec } from '../../src/sim/spec-load.ts';
import { computeStats } from '../../src/stats/compute.ts';
import {
  calibrationGroups,
  describeGroups,
  meanOfRatios,
  predictedRun,
  procedure,
  samplingIntervals,
  taskRows,
  type CalibrationSetup,
} from '../helpers/calibration.ts';

/**
 * Calibration of the statistics (issue 5), without Docker: R = 30 unrolls of every bundled task as the simulated
 * agent's policy produces them (the records a sim run writes: test/docker/calibration.test.ts checks that the
 * real pipeline reproduces them exactly). The true per-test pass probabilities are known from the specs, so
 * every action bucket's measured incoherence must lie inside the 95% interval around its expected value; the
 * plug-in variance has expectation (R−1)/R of the true one, and the expectation is scaled the same way.
 */
const runSeed = 2026;
const { instances } = await loadInstances(path.join(repoRoot, 'instances', 'pocket'), { strict: true });
const specs = new Map(await Promise.all(instances.map(async (i) => [i.instance_id, await loadSimSpec(i)] as const)));
const setup: CalibrationSetup = { instances, specs, unrolls: 30, capacity: actionCapacity(defaultLimits), buckets: 5 };
const expectations = new Map([...specs].map(([id, spec]) => [id, expectSpec(spec, { actionLimit: setup.capacity })]));

describe('calibration of the statistics against the simulated agent’s exact expectations', () => {
  const records = predictedRun(setup, runSeed);
  // The task set is fixed and the randomness is in the unrolls, so hotmess's intervals resample unrolls too.
  const stats = computeStats(records, {
    buckets: setup.buckets,
    bootstrap: { resamples: 2000, seed: 7, overUnrolls: true },
  });
  const intervals = samplingIntervals(setup, 400);
  const groups = calibrationGroups(setup, records, stats, expectations, intervals);

  it('uses every bundled task with R = 30 and spreads them over five action buckets', () => {
    expect(stats.counts.tasks).toBe(instances.length);
    expect(stats.counts.unrollsPerTask).toEqual({ min: setup.unrolls, max: setup.unrolls });
    expect(stats.buckets.actions.buckets).toHaveLength(setup.buckets);
  });

  it('measures every bucket’s incoherence inside the 95% interval around its expected value', () => {
    process.stdout.write(`calibration (R=${setup.unrolls}, ${instances.length} tasks):\n  ${describeGroups(groups)}\n`);
    for (const g of groups) {
      // src/stats and the independent recomputation in the helper agree on the measured figure.
      expect(g.measured?.value, g.name).toBeCloseTo(g.recomputed as number, 12);
      expect(g.measured?.value, g.name).toBeGreaterThanOrEqual(g.interval.lo);
      expect(g.measured?.value, g.name).toBeLessThanOrEqual(g.interval.hi);
    }
  });

  it('reports confidence intervals that contain the exact expected values', () => {
    for (const g of groups) {
      expect(g.exact, g.name).toBeGreaterThanOrEqual(g.measured?.lo as number);
      expect(g.exact, g.name).toBeLessThanOrEqual(g.measured?.hi as number);
    }
  });

  it('rejects a wrong estimator: the mean of per-task ratios falls outside the interval', () => {
    const wrong = procedure(taskRows(records), setup.buckets, meanOfRatios);
    const lines = groups.map(
      (g, i) =>
        `${g.name}: mean of ratios ${wrong[i]?.toFixed(3)} vs [${g.interval.lo.toFixed(3)}, ${g.interval.hi.toFixed(3)}]`,
    );
    process.stdout.write(`wrong estimator:\n  ${lines.join('\n  ')}\n`);
    const overall = groups.length - 1;
    const outside = (i: number) =>
      (wrong[i] as number) < (groups[i]?.interval.lo as number) ||
      (wrong[i] as number) > (groups[i]?.interval.hi as number);
    expect(outside(overall)).toBe(true);
  });
});
