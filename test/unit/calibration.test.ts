import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionCapacity, defaultLimits } from '../../src/agent/limits.ts';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { repoRoot } from '../../src/paths.ts';
import { unrollSeed } from '../../src/run/seeds.ts';
import { expectSpec, type SpecExpectation } from '../../src/sim/expected.ts';
import { planUnroll, plannedActions } from '../../src/sim/policy.ts';
import { loadSimSpec, type LoadedSimSpec } from '../../src/sim/spec-load.ts';
import { equalCountBuckets } from '../../src/stats/buckets.ts';
import { computeStats } from '../../src/stats/compute.ts';
import type { UnrollRecord } from '../../src/store/schema.ts';

/**
 * Calibration (issue 5): R = 30 unrolls of every bundled task drawn by the simulated agent's own policy (the plan
 * the sim server follows: same seeds, same exploration length, same candidate), each graded with its candidate's
 * declared outcomes — which `hotmess validate` checks against the real tests in Docker. The true per-test pass
 * probabilities are known exactly from the specs, so every bucket's measured incoherence must have the expected
 * value inside its 95% bootstrap interval. The plug-in variance has expectation (R−1)/R of the true one, so the
 * expectation is scaled the same way: like is compared with like.
 */
const R = 30;
const runSeed = 2026;
const limits = defaultLimits;
const capacity = actionCapacity(limits);

const { instances } = await loadInstances(path.join(repoRoot, 'instances', 'pocket'), { strict: true });

async function simulateRun(): Promise<{ records: UnrollRecord[]; expectations: Map<string, SpecExpectation> }> {
  const records: UnrollRecord[] = [];
  const expectations = new Map<string, SpecExpectation>();
  for (const instance of instances) {
    const spec = await loadSimSpec(instance);
    expectations.set(instance.instance_id, expectSpec(spec, { actionLimit: capacity }));
    for (let r = 0; r < R; r++) records.push(record(instance, spec, r));
  }
  return { records, expectations };
}

function record(instance: Instance, spec: LoadedSimSpec, unroll: number, seedOfRun = runSeed): UnrollRecord {
  const seed = unrollSeed(seedOfRun, instance.instance_id, unroll);
  const plan = planUnroll(spec, seed);
  const planned = plannedActions(plan);
  const limited = planned > capacity;
  // A limit-stopped unroll is graded on its (empty) tree; the default limit rule counts it as no change anyway.
  const noChange = limited || plan.candidate.patch === null;
  const fails = new Set(noChange ? instance.FAIL_TO_PASS : plan.candidate.fails);
  const tests = [
    ...instance.FAIL_TO_PASS.map((id) => ({ id, category: 'FAIL_TO_PASS' as const })),
    ...instance.PASS_TO_PASS.map((id) => ({ id, category: 'PASS_TO_PASS' as const })),
  ].map((t) => ({ ...t, status: fails.has(t.id) ? ('FAILED' as const) : ('PASSED' as const), pass: !fails.has(t.id) }));
  const allPass = tests.every((t) => t.pass);
  return {
    run_id: 'calibration',
    instance_id: instance.instance_id,
    unroll,
    seed,
    model: 'sim',
    stop_reason: limited ? 'action_limit' : 'submitted',
    grading_status: noChange ? 'no_patch' : 'graded',
    tests,
    resolution: allPass ? 'FULL' : 'NO',
    infra_error: null,
    actions: Math.min(planned, capacity),
    turns: Math.min(planned, capacity),
    messages: 2 + 2 * Math.min(planned, capacity),
    input_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: 0,
    wall_ms: 0,
    attempts: 1,
    patch_bytes: 0,
    started_at: '',
    finished_at: '',
  };
}

/** Σ_i E[V_i] / Σ_i E[E_i] over a set of tasks, with the plug-in variance's (R−1)/R. */
function expectedIncoherence(tasks: readonly SpecExpectation[]): number {
  const v = tasks.reduce((s, t) => s + ((R - 1) / R) * t.variance, 0);
  const e = tasks.reduce((s, t) => s + t.error, 0);
  return v / e;
}

/** Plug-in error and variance of one task's unrolls (rows of 0/1 test outcomes), as means over its tests. */
function decompose(rows: readonly boolean[][]): { e: number; v: number } {
  const width = rows[0]?.length ?? 0;
  let e = 0;
  let v = 0;
  for (let j = 0; j < width; j++) {
    const p = rows.reduce((s, row) => s + (row[j] ? 1 : 0), 0) / rows.length;
    e += 1 - p;
    v += p * (1 - p);
  }
  return { e: e / width, v: v / width };
}

/** Σ V_i / Σ E_i: the estimator hotmess reports. */
function ratioOfSums(tasks: readonly boolean[][][]): number | null {
  const parts = tasks.map(decompose);
  const e = parts.reduce((s, d) => s + d.e, 0);
  return e === 0 ? null : parts.reduce((s, d) => s + d.v, 0) / e;
}

/** The wrong estimator: the mean over tasks of V_i / E_i. */
function meanOfRatios(tasks: readonly boolean[][][]): number | null {
  const ratios = tasks.map(decompose).filter((d) => d.e > 0).map((d) => d.v / d.e);
  return ratios.length ? ratios.reduce((s, x) => s + x, 0) / ratios.length : null;
}

const specs = new Map<string, LoadedSimSpec>();
for (const i of instances) specs.set(i.instance_id, await loadSimSpec(i));

/** The figures the procedure reports, from per-task unroll rows: bucket by mean actions, ratio of sums per bucket. */
function procedure(tasks: { id: string; rows: boolean[][]; meanActions: number }[], estimator: (t: boolean[][][]) => number | null): (number | null)[] {
  const buckets = equalCountBuckets(
    tasks.map((t) => t.meanActions),
    tasks.map((t) => t.id),
    5,
  );
  return [...buckets.map((b) => estimator([...b].map((i) => (tasks[i] as { rows: boolean[][] }).rows))), estimator(tasks.map((t) => t.rows))];
}

function drawRun(seedOfRun: number): { id: string; rows: boolean[][]; meanActions: number }[] {
  return instances.map((instance) => {
    const recs = Array.from({ length: R }, (_, r) => record(instance, specs.get(instance.instance_id) as LoadedSimSpec, r, seedOfRun));
    return { id: instance.instance_id, rows: recs.map((x) => x.tests.map((t) => t.pass)), meanActions: recs.reduce((s, x) => s + x.actions, 0) / R };
  });
}

/**
 * A parametric bootstrap around the expected value: the whole run drawn again `draws` times from the true model
 * (fresh seeds through the policy, each candidate graded by its outcomes) and put through the same procedure —
 * tasks bucketed by their measured mean actions, incoherence as a ratio of sums — so that the selection of tasks
 * into buckets by their own unrolls is part of the comparison. Per bucket: the mean over draws (the expected
 * value of what hotmess reports) and the 2.5% and 97.5% percentiles.
 */
function samplingIntervals(draws = 400): { expected: number; lo: number; hi: number }[] {
  const perGroup: number[][] = Array.from({ length: 6 }, () => []);
  for (let d = 0; d < draws; d++) {
    procedure(drawRun(1_000_000 + d), ratioOfSums).forEach((v, g) => {
      if (v !== null) perGroup[g]?.push(v);
    });
  }
  return perGroup.map((values) => {
    values.sort((a, b) => a - b);
    return {
      expected: values.reduce((s, x) => s + x, 0) / values.length,
      lo: values[Math.floor(0.025 * values.length)] as number,
      hi: values[Math.ceil(0.975 * values.length) - 1] as number,
    };
  });
}

describe('calibration against the simulated agent’s exact expectations', async () => {
  const { records, expectations } = await simulateRun();
  // The task set is fixed and the randomness is in the unrolls, so hotmess's intervals resample unrolls too.
  const stats = computeStats(records, { buckets: 5, bootstrap: { resamples: 2000, seed: 7, overUnrolls: true } });
  const rows = stats.tasks;
  const buckets = equalCountBuckets(
    rows.map((t) => t.meanActions),
    rows.map((t) => t.instance_id),
    5,
  );
  const groups = [...buckets.map((b) => [...b]), rows.map((_, i) => i)].map((members, g) => ({
    name: g < buckets.length ? `bucket ${g + 1}` : 'overall',
    ids: members.map((i) => (rows[i] as { instance_id: string }).instance_id),
    measured: g < buckets.length ? stats.buckets.actions.buckets?.[g]?.figures.incoherence : stats.overall.incoherence,
  }));
  const unrollsOf = new Map<string, boolean[][]>();
  for (const r of records) unrollsOf.set(r.instance_id, [...(unrollsOf.get(r.instance_id) ?? []), r.tests.map((t) => t.pass)]);
  const intervals = samplingIntervals();
  const measuredRun = instances.map((i) => ({ id: i.instance_id, rows: unrollsOf.get(i.instance_id) as boolean[][], meanActions: (rows.find((r) => r.instance_id === i.instance_id) as { meanActions: number }).meanActions }));

  it('uses every bundled task with R = 30 and spreads them over five action buckets', () => {
    expect(stats.counts.tasks).toBe(instances.length);
    expect(stats.counts.unrollsPerTask).toEqual({ min: R, max: R });
    expect(stats.buckets.actions.buckets).toHaveLength(5);
  });

  it('measures every bucket’s incoherence inside the 95% interval around its expected value', () => {
    const lines = groups.map((g, i) => {
      const { expected, lo, hi } = intervals[i] as { expected: number; lo: number; hi: number };
      const exact = expectedIncoherence(g.ids.map((id) => expectations.get(id) as SpecExpectation));
      return `${g.name}: expected ${expected.toFixed(3)} (exact for these tasks ${exact.toFixed(3)}), 95% interval [${lo.toFixed(3)}, ${hi.toFixed(3)}], measured ${g.measured?.value?.toFixed(3)} (${g.ids.length} tasks)`;
    });
    process.stdout.write(`calibration (R=${R}, ${instances.length} tasks):\n  ${lines.join('\n  ')}\n`);
    const reproduced = procedure(measuredRun, ratioOfSums);
    groups.forEach((g, i) => {
      const { lo, hi } = intervals[i] as { lo: number; hi: number };
      // The statistics module and this independent re-computation agree on the measured figure.
      expect(g.measured?.value).toBeCloseTo(reproduced[i] as number, 12);
      expect(g.measured?.value).toBeGreaterThanOrEqual(lo);
      expect(g.measured?.value).toBeLessThanOrEqual(hi);
    });
  });

  it('reports confidence intervals that contain the expected values', () => {
    for (const g of groups) {
      const expected = expectedIncoherence(g.ids.map((id) => expectations.get(id) as SpecExpectation));
      expect(expected).toBeGreaterThanOrEqual(g.measured?.lo as number);
      expect(expected).toBeLessThanOrEqual(g.measured?.hi as number);
    }
  });

  it('rejects a wrong estimator: the mean of per-task ratios falls outside the interval', () => {
    const wrong = procedure(measuredRun, meanOfRatios);
    const lines = groups.map((g, i) => `${g.name}: mean of ratios ${wrong[i]?.toFixed(3)} vs [${intervals[i]?.lo.toFixed(3)}, ${intervals[i]?.hi.toFixed(3)}]`);
    process.stdout.write(`wrong estimator:\n  ${lines.join('\n  ')}\n`);
    const misses = groups.filter((_, i) => (wrong[i] as number) < (intervals[i]?.lo as number) || (wrong[i] as number) > (intervals[i]?.hi as number));
    expect(misses.length).toBeGreaterThan(0);
  });
});
