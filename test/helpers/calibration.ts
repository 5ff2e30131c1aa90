import { resolutionOfOutcomes } from '../../src/grading/no-change.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { unrollSeed } from '../../src/run/seeds.ts';
import type { SpecExpectation } from '../../src/sim/expected.ts';
import { planUnroll, plannedActions } from '../../src/sim/policy.ts';
import type { LoadedSimSpec } from '../../src/sim/spec-load.ts';
import { equalCountBuckets } from '../../src/stats/buckets.ts';
import type { StatsResult } from '../../src/stats/types.ts';
import type { UnrollRecord } from '../../src/store/unroll-record.ts';

/**
 * Calibration against the simulated agent (issue 5). The sim server follows `planUnroll(spec, seed)`, and each
 * candidate's test outcomes are declared in its spec (and checked in Docker by `hotmess validate`), so the
 * record an unroll should produce is known in advance: `predictedRecord`. A real sim run must reproduce these
 * records exactly, and the statistics computed from them must agree with the spec's exact expectations.
 */
export interface CalibrationSetup {
  readonly instances: readonly Instance[];
  readonly specs: ReadonlyMap<string, LoadedSimSpec>;
  readonly unrolls: number;
  /** Actions an unroll can take before a limit stops it (actionCapacity of the limits). */
  readonly capacity: number;
  readonly buckets: number;
}

/** The record the pipeline must write for this unroll (ignoring timings, tokens and cost). */
export function predictedRecord(
  instance: Instance,
  spec: LoadedSimSpec,
  unroll: number,
  runSeed: number,
  capacity: number,
): UnrollRecord {
  const seed = unrollSeed(runSeed, instance.instance_id, unroll);
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
  const actions = Math.min(planned, capacity);
  return {
    run_id: 'calibration',
    instance_id: instance.instance_id,
    unroll,
    seed,
    model: 'sim',
    stop_reason: limited ? 'action_limit' : 'submitted',
    grading_status: noChange ? 'no_patch' : 'graded',
    tests,
    resolution: resolutionOfOutcomes(tests),
    infra_error: null,
    actions,
    turns: actions,
    messages: 2 + 2 * actions,
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

export function predictedRun(setup: CalibrationSetup, runSeed: number): UnrollRecord[] {
  return setup.instances.flatMap((instance) =>
    Array.from({ length: setup.unrolls }, (_, r) =>
      predictedRecord(instance, setup.specs.get(instance.instance_id) as LoadedSimSpec, r, runSeed, setup.capacity),
    ),
  );
}

/** Σ_i E[V_i] / Σ_i E[E_i] over a set of tasks, with the plug-in variance's (R−1)/R. */
export function expectedIncoherence(tasks: readonly SpecExpectation[], unrolls: number): number {
  const v = tasks.reduce((s, t) => s + ((unrolls - 1) / unrolls) * t.variance, 0);
  const e = tasks.reduce((s, t) => s + t.error, 0);
  return v / e;
}

/** Per task: its unrolls' 0/1 test outcomes and its mean action count. */
export interface TaskRows {
  readonly id: string;
  readonly rows: boolean[][];
  readonly meanActions: number;
}

export function taskRows(records: readonly UnrollRecord[]): TaskRows[] {
  const by = new Map<string, UnrollRecord[]>();
  for (const r of records) by.set(r.instance_id, [...(by.get(r.instance_id) ?? []), r]);
  return [...by].map(([id, recs]) => ({
    id,
    rows: [...recs].sort((a, b) => a.unroll - b.unroll).map((r) => r.tests.map((t) => t.pass)),
    meanActions: recs.reduce((s, r) => s + r.actions, 0) / recs.length,
  }));
}

/** Plug-in error and variance of one task's unrolls, as means over its tests. */
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

export type Estimator = (tasks: readonly boolean[][][]) => number | null;

/** Σ V_i / Σ E_i: the estimator hotmess reports. */
export const ratioOfSums: Estimator = (tasks) => {
  const parts = tasks.map(decompose);
  const e = parts.reduce((s, d) => s + d.e, 0);
  return e === 0 ? null : parts.reduce((s, d) => s + d.v, 0) / e;
};

/** The wrong estimator: the mean over tasks of V_i / E_i. */
export const meanOfRatios: Estimator = (tasks) => {
  const ratios = tasks
    .map(decompose)
    .filter((d) => d.e > 0)
    .map((d) => d.v / d.e);
  return ratios.length ? ratios.reduce((s, x) => s + x, 0) / ratios.length : null;
};

/** The reported figures from per-task rows: tasks bucketed by mean actions, the estimator per bucket, then overall. */
export function procedure(tasks: readonly TaskRows[], buckets: number, estimator: Estimator): (number | null)[] {
  const groups = equalCountBuckets(
    tasks.map((t) => t.meanActions),
    tasks.map((t) => t.id),
    buckets,
  );
  return [
    ...groups.map((b) => estimator([...b].map((i) => (tasks[i] as TaskRows).rows))),
    estimator(tasks.map((t) => t.rows)),
  ];
}

export interface Interval {
  /** Mean over draws: the expected value of what hotmess reports. */
  readonly expected: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * A parametric bootstrap around the expected value: the whole run drawn again `draws` times from the true model
 * (fresh run seeds through the policy, each candidate graded by its declared outcomes) and put through the same
 * procedure, so that the selection of tasks into buckets by their own unrolls is part of the comparison. Per
 * bucket and overall: the mean over draws and the central `level` interval.
 */
export function samplingIntervals(setup: CalibrationSetup, draws: number, level = 0.95): Interval[] {
  const perGroup: number[][] = Array.from({ length: setup.buckets + 1 }, () => []);
  for (let d = 0; d < draws; d++) {
    procedure(taskRows(predictedRun(setup, 1_000_000 + d)), setup.buckets, ratioOfSums).forEach((v, g) => {
      if (v !== null) perGroup[g]?.push(v);
    });
  }
  const tail = (1 - level) / 2;
  return perGroup.map((values) => {
    values.sort((a, b) => a - b);
    return {
      expected: values.reduce((s, x) => s + x, 0) / values.length,
      lo: values[Math.floor(tail * values.length)] as number,
      hi: values[Math.ceil((1 - tail) * values.length) - 1] as number,
    };
  });
}

export interface CalibrationGroup {
  readonly name: string;
  readonly ids: string[];
  /** What hotmess's statistics report for the group. */
  readonly measured: { value: number | null; lo: number; hi: number } | undefined;
  /** The same figure recomputed here, independently of src/stats. */
  readonly recomputed: number | null;
  readonly interval: Interval;
  /** Σ E[V]·(R−1)/R / Σ E[E] from the specs, for the tasks that landed in the group. */
  readonly exact: number;
}

/** Per action bucket and overall: hotmess's figure, an independent recomputation, and the calibration interval. */
export function calibrationGroups(
  setup: CalibrationSetup,
  records: readonly UnrollRecord[],
  stats: StatsResult,
  expectations: ReadonlyMap<string, SpecExpectation>,
  intervals: readonly Interval[],
): CalibrationGroup[] {
  const rows = stats.tasks;
  const buckets = equalCountBuckets(
    rows.map((t) => t.meanActions),
    rows.map((t) => t.instance_id),
    setup.buckets,
  );
  const recomputed = procedure(taskRows(records), setup.buckets, ratioOfSums);
  return [...buckets.map((b) => [...b]), rows.map((_, i) => i)].map((members, g) => {
    const ids = members.map((i) => (rows[i] as { instance_id: string }).instance_id);
    const figure =
      g < buckets.length ? stats.buckets.actions.buckets?.[g]?.figures.incoherence : stats.overall.incoherence;
    return {
      name: g < buckets.length ? `bucket ${g + 1}` : 'overall',
      ids,
      measured: figure ? { value: figure.value, lo: figure.lo ?? Number.NaN, hi: figure.hi ?? Number.NaN } : undefined,
      recomputed: recomputed[g] ?? null,
      interval: intervals[g] as Interval,
      exact: expectedIncoherence(
        ids.map((id) => expectations.get(id) as SpecExpectation),
        setup.unrolls,
      ),
    };
  });
}

export function describeGroups(groups: readonly CalibrationGroup[]): string {
  return groups
    .map((g) => {
      const { expected, lo, hi } = g.interval;
      return `${g.name}: expected ${expected.toFixed(3)} (exact for these tasks ${g.exact.toFixed(3)}), 95% interval [${lo.toFixed(3)}, ${hi.toFixed(3)}], measured ${g.measured?.value?.toFixed(3)} (${g.ids.length} tasks)`;
    })
    .join('\n  ');
}
