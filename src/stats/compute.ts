import { InputError, UsageError } from '../errors.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';
import { Rng } from '../util/rng.ts';
import { JointSamples, figureNames, summarise, type FigureValues, type TableKind } from './bootstrap.ts';
import { equalCountBuckets } from './buckets.ts';
import { buildTaskMatrices, type TaskMatrix, type TaskTestLists } from './matrix.ts';
import { subSeed } from './random.ts';
import { reliability } from './reliability.ts';
import {
  BIAS,
  ERR,
  PASS,
  RESOLVE,
  VAR,
  buildTables,
  medianOf,
  stride,
  tableLayout,
  type RowPicker,
  type TableSet,
  type TaskTable,
} from './tables.ts';
import {
  lengthMetrics,
  type EnsemblePoint,
  type Estimate,
  type Figures,
  type LengthBuckets,
  type LengthMetric,
  type LimitRule,
  type StatsOptionsUsed,
  type StatsResult,
  type TaskRow,
} from './types.ts';

export interface StatsOptions {
  /** Equal-count length buckets (default 5). */
  readonly buckets?: number;
  /** How limit-stopped unrolls are graded (default `no_change`, as the paper). */
  readonly limitRule?: LimitRule;
  /** V · R/(R − 1) and B = E − V instead of the plug-in 1/R estimator. */
  readonly unbiased?: boolean;
  readonly bootstrap?: {
    /** Resamples (default 1000; 0: no confidence intervals). */
    readonly resamples?: number;
    readonly seed?: number;
    /** Central percentile interval (default 0.95). */
    readonly level?: number;
    /** Also resample each task's unrolls inside every task resample (two-level bootstrap; much slower). */
    readonly overUnrolls?: boolean;
  };
  /** FAIL_TO_PASS / PASS_TO_PASS per instance, for tasks whose records carry no per-test results. */
  readonly testLists?: ReadonlyMap<string, TaskTestLists>;
}

/** One figure set to report: a task table and which of its tasks. */
interface Group extends TableKind {
  readonly table: (set: TableSet) => TaskTable;
  readonly indices: Int32Array;
  samples?: { readonly joint: JointSamples; readonly member: number };
}

/**
 * Bias/variance statistics of a run (DESIGN.md §7) from its unroll records: the headline decomposition,
 * FAIL_TO_PASS/PASS_TO_PASS split, length buckets, median split, ensembling curve, both limit rules and the
 * critique checks, each with a seeded bootstrap confidence interval over tasks. Pure: the same records and
 * options always give the same result.
 */
export function computeStats(records: readonly UnrollRecord[], options: StatsOptions = {}): StatsResult {
  const used = resolveOptions(options);
  const build = buildTaskMatrices(records, options.testLists);
  const tasks = build.tasks;
  if (tasks.length === 0) {
    const why =
      records.length === 0 ? 'there are no unroll records' : `none of the ${records.length} records is usable`;
    throw new InputError(`Nothing to analyse: ${why}.`);
  }
  const n = tasks.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const minRows = Math.min(...tasks.map((t) => t.rows));
  const maxRows = Math.max(...tasks.map((t) => t.rows));
  // A size needs 2 ensembles in a task: with one, the task's variance is 0 by construction, not by agreement.
  const ensembleSizes: number[] = [];
  for (let size = 1; 2 * size <= maxRows; size *= 2) ensembleSizes.push(size);

  const layout = tableLayout(tasks, used.limitRule, used.unbiased, ensembleSizes);
  const tables = buildTables(tasks, layout);
  const groups: Group[] = [];
  const group = (table: Group['table'], indices: Int32Array, hasResolve = true, passFromError = true): Group => {
    const g: Group = { table, indices, hasResolve, passFromError };
    if (indices.length > 0) groups.push(g);
    return g;
  };

  const overall = group((s) => s.main, all);
  const otherRule = group((s) => s.other, all);
  const f2p = group(
    (s) => s.f2p,
    all.filter((i) => (layout.f2pCols[i] as Int32Array).length > 0),
    false,
  );
  const p2p = group(
    (s) => s.p2p,
    all.filter((i) => (layout.p2pCols[i] as Int32Array).length > 0),
    false,
  );
  const resolvedOutcome = group((s) => s.resolved, all);
  const splittable = all.filter(
    (i) => (layout.belowRows[i] as Int32Array).length > 0 && (layout.atOrAboveRows[i] as Int32Array).length > 0,
  );
  const below = group((s) => s.below, splittable);
  const atOrAbove = group((s) => s.atOrAbove, splittable);
  const ensembles = ensembleSizes.map((size, k) => {
    const members = all.filter((i) => (tasks[i] as TaskMatrix).rows >= 2 * size);
    return {
      size,
      perTask: Math.min(...Array.from(members, (i) => Math.floor((tasks[i] as TaskMatrix).rows / size))),
      mean: group((s) => (s.ensembles[k] as TableSet['ensembles'][number]).mean, members, false, false),
      majority: group((s) => (s.ensembles[k] as TableSet['ensembles'][number]).majority, members),
    };
  });
  const notes: string[] = [];
  const bucketPlans = lengthMetrics.map((metric) => planBuckets(metric, tasks, build.imported, used.buckets, group));
  const lengthNotes = bucketPlans.map((plan) => plan.note).filter((note): note is string => note !== null);
  const lengthsUnknown = build.imported && lengthNotes.length === lengthMetrics.length;
  if (lengthsUnknown) {
    notes.push('Imported runs record no action or token counts, so there are no length buckets and no median split.');
  } else notes.push(...lengthNotes);

  if (used.bootstrap.resamples > 0) resample(groups, tasks, layout, tables, used.bootstrap);
  const figures = (g: Group): Figures => toFigures(g, summarise(g.table(tables), g.indices), used.bootstrap.level);

  const headline = figures(overall);
  const limitFigures = figures(otherRule);
  const ruleViews =
    used.limitRule === 'no_change'
      ? { no_change: headline, grade: limitFigures }
      : { no_change: limitFigures, grade: headline };
  const taskRows = tasks.map((task, i) => taskRow(task, i, tables, layout.rule));
  const limitStopped = tasks.reduce((sum, t) => sum + t.limited.reduce((a, b) => a + b, 0), 0);

  addNotes(notes, {
    build,
    headline,
    tasks,
    used,
    minRows,
    maxRows,
    ensembleTasks: ensembles.map((e) => e.mean.indices.length),
    splittable: splittable.length,
    lengthsUnknown,
    limitStopped,
  });
  return {
    format: 'hotmess.stats/1',
    options: used,
    counts: {
      records: records.length,
      used: tasks.reduce((sum, t) => sum + t.rows, 0),
      infraErrors: build.infraErrors,
      limitStopped,
      tasks: n,
      skippedTasks: build.skipped,
      unrollsPerTask: { min: minRows, max: maxRows },
      testsPerTask: { min: Math.min(...tasks.map((t) => t.cols)), max: Math.max(...tasks.map((t) => t.cols)) },
      gradingStatus: countStatuses(tasks),
    },
    resolvedOnly: build.resolvedOnly,
    imported: build.imported,
    notes,
    overall: headline,
    categories: {
      FAIL_TO_PASS: f2p.indices.length > 0 ? figures(f2p) : null,
      PASS_TO_PASS: p2p.indices.length > 0 ? figures(p2p) : null,
    },
    buckets: Object.fromEntries(bucketPlans.map((plan) => [plan.metric, finishBuckets(plan, figures)])) as Record<
      LengthMetric,
      LengthBuckets
    >,
    medianSplit:
      splittable.length > 0
        ? {
            tasks: splittable.length,
            excludedTasks: n - splittable.length,
            below: figures(below),
            atOrAbove: figures(atOrAbove),
          }
        : null,
    ensembling: ensembles.map((e): EnsemblePoint => ({
      size: e.size,
      ensemblesPerTask: e.perTask,
      mean: figures(e.mean),
      majority: figures(e.majority),
    })),
    limitRule: { applied: used.limitRule, limitStopped, ...ruleViews },
    critique: {
      resolvedOutcome: figures(resolvedOutcome),
      failureWeightedResolveRate: failureWeighted(taskRows.map((t) => t.resolveRate)),
    },
    tasks: taskRows,
    reliability: reliability(
      tasks.map((t) => ({
        instance_id: t.instanceId,
        n: t.rows,
        c: t.resolved[used.limitRule].reduce((a, b) => a + b, 0),
      })),
    ),
  };
}

function resolveOptions(options: StatsOptions): StatsOptionsUsed {
  const buckets = options.buckets ?? 5;
  const resamples = options.bootstrap?.resamples ?? 1000;
  const level = options.bootstrap?.level ?? 0.95;
  const seed = options.bootstrap?.seed ?? 0;
  if (!Number.isInteger(buckets) || buckets < 1)
    throw new UsageError(`The number of buckets must be a whole number of at least 1, not ${buckets}.`);
  if (!Number.isInteger(resamples) || resamples < 0)
    throw new UsageError(`Bootstrap resamples must be a whole number of at least 0, not ${resamples}.`);
  if (!(level > 0 && level < 1))
    throw new UsageError(`The confidence level must lie strictly between 0 and 1, not ${level}.`);
  if (!Number.isInteger(seed)) throw new UsageError(`The bootstrap seed must be a whole number, not ${seed}.`);
  return {
    buckets,
    limitRule: options.limitRule ?? 'no_change',
    unbiased: options.unbiased ?? false,
    bootstrap: { resamples, seed, level, overUnrolls: options.bootstrap?.overUnrolls ?? false },
  };
}

/**
 * Fills every group's bootstrap samples. Groups over the same tasks are resampled jointly (the same draws for
 * all their figures), each task set from its own sub-stream of the seed. Over unrolls too, each resample first
 * redraws every task's unrolls and rebuilds the tables, then resamples tasks.
 */
function resample(
  groups: Group[],
  tasks: readonly TaskMatrix[],
  layout: ReturnType<typeof tableLayout>,
  tables: TableSet,
  bootstrap: StatsOptionsUsed['bootstrap'],
): void {
  // Keyed by the tasks themselves: e.g. the median split usually covers every task, like the headline.
  const sets = new Map<string, { indices: Int32Array; members: Group[] }>();
  for (const g of groups) {
    const key = g.indices.join(',');
    const set = sets.get(key);
    if (set) set.members.push(g);
    else sets.set(key, { indices: g.indices, members: [g] });
  }
  const streams = [...sets.values()].map(({ indices, members }, k) => {
    const joint = new JointSamples(indices, members, bootstrap.resamples);
    members.forEach((g, m) => (g.samples = { joint, member: m }));
    return { joint, members, rng: Rng.fromSeed(subSeed(bootstrap.seed, k)) };
  });
  const unrollRng = Rng.fromSeed(subSeed(bootstrap.seed, streams.length));
  const pick: RowPicker = (rows) => {
    const out = new Int32Array(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = rows[Math.floor(unrollRng.next32() * rows.length)] as number;
    return out;
  };
  for (let b = 0; b < bootstrap.resamples; b++) {
    const current = bootstrap.overUnrolls ? buildTables(tasks, layout, pick) : tables;
    for (const stream of streams)
      stream.joint.draw(
        stream.members.map((g) => g.table(current)),
        stream.rng,
        b,
      );
  }
}

function toFigures(g: Group, point: FigureValues, level: number): Figures {
  const estimate = (f: number): Estimate => {
    const value = point.values[f] as number;
    if (Number.isNaN(value)) return { value: null, lo: null, hi: null };
    const ci = g.samples?.joint.interval(g.samples.member, f, level) ?? null;
    return { value, lo: ci ? ci[0] : null, hi: ci ? ci[1] : null };
  };
  const at = (name: (typeof figureNames)[number]): number => figureNames.indexOf(name);
  return {
    tasks: point.tasks,
    unrolls: point.units,
    error: estimate(at('error')),
    bias2: estimate(at('bias2')),
    variance: estimate(at('variance')),
    incoherence: estimate(at('incoherence')),
    resolveRate: g.hasResolve ? estimate(at('resolveRate')) : null,
    passRate: estimate(at('passRate')),
    sums: point.sums,
  };
}

interface BucketPlan {
  readonly metric: LengthMetric;
  readonly note: string | null;
  readonly means: Float64Array;
  readonly buckets: { indices: Int32Array; group: Group }[];
}

function planBuckets(
  metric: LengthMetric,
  tasks: readonly TaskMatrix[],
  imported: boolean,
  k: number,
  group: (table: Group['table'], indices: Int32Array) => Group,
): BucketPlan {
  const means = Float64Array.from(tasks, (t) => mean(metricOf(t, metric)));
  let note: string | null = null;
  if (means.every((m) => m === means[0])) {
    note = imported
      ? `Imported runs record no ${metricLabel[metric]}, so there are no ${metricLabel[metric]} buckets.`
      : `Every task has the same mean ${metricLabel[metric]} (${means[0]}), so ${metricLabel[metric]} buckets are meaningless.`;
    return { metric, note, means, buckets: [] };
  }
  const ids = tasks.map((t) => t.instanceId);
  const buckets = equalCountBuckets(means, ids, k).map((indices) => ({
    indices,
    group: group((s) => s.main, indices),
  }));
  return { metric, note, means, buckets };
}

function finishBuckets(plan: BucketPlan, figures: (g: Group) => Figures): LengthBuckets {
  if (plan.note !== null) return { metric: plan.metric, buckets: null, note: plan.note };
  return {
    metric: plan.metric,
    note: null,
    buckets: plan.buckets.map(({ indices, group }, index) => {
      const lengths = Array.from(indices, (i) => plan.means[i] as number);
      return {
        index,
        range: [Math.min(...lengths), Math.max(...lengths)] as const,
        meanLength: lengths.reduce((a, b) => a + b, 0) / lengths.length,
        figures: figures(group),
      };
    }),
  };
}

const metricLabel: Record<LengthMetric, string> = {
  actions: 'action count',
  output_tokens: 'output tokens',
  reasoning_tokens: 'reasoning tokens',
};

function metricOf(task: TaskMatrix, metric: LengthMetric): Float64Array {
  return metric === 'actions' ? task.actions : metric === 'output_tokens' ? task.outputTokens : task.reasoningTokens;
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k] as number;
  return sum / values.length;
}

function taskRow(task: TaskMatrix, i: number, tables: TableSet, rule: LimitRule): TaskRow {
  const v = tables.main.values;
  const at = i * stride;
  const error = v[at + ERR] as number;
  const variance = v[at + VAR] as number;
  const y = task.y[rule];
  let spread = 0;
  let misses = 0;
  for (let j = 0; j < task.cols; j++) {
    let passes = 0;
    for (let r = 0; r < task.rows; r++) passes += y[r * task.cols + j] as number;
    const p = passes / task.rows;
    spread += p * (1 - p);
    misses += 1 - p;
  }
  const f2p = task.isF2p.reduce((a, b) => a + b, 0);
  return {
    instance_id: task.instanceId,
    unrolls: task.rows,
    tests: task.cols,
    failToPass: f2p,
    passToPass: task.cols - f2p,
    error,
    bias2: v[at + BIAS] as number,
    variance,
    incoherence: error > 0 ? variance / error : null,
    passRateIdentity: misses > 0 ? spread / misses : null,
    resolveRate: v[at + RESOLVE] as number,
    passRate: v[at + PASS] as number,
    meanActions: mean(task.actions),
    medianActions: medianOf(task.actions),
    meanOutputTokens: mean(task.outputTokens),
    meanReasoningTokens: mean(task.reasoningTokens),
    limitStopped: task.limited.reduce((a, b) => a + b, 0),
  };
}

/** How a majority vote breaks ties, said wherever majority figures are shown. */
export const majorityTieRule =
  'Majority vote: an ensemble passes a test only when more than half its members pass it; a tie counts as a fail, so at size 2 majority is an AND of both members.';

/** Σ p(1 − p) / Σ (1 − p): the incoherence of one binary outcome per task with pass rates p (DESIGN.md §7). */
export function failureWeighted(rates: readonly number[]): number | null {
  let spread = 0;
  let misses = 0;
  for (const p of rates) {
    spread += p * (1 - p);
    misses += 1 - p;
  }
  return misses > 0 ? spread / misses : null;
}

function countStatuses(tasks: readonly TaskMatrix[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of tasks) for (const status of task.gradingStatus) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

function addNotes(
  notes: string[],
  facts: {
    build: ReturnType<typeof buildTaskMatrices>;
    headline: Figures;
    tasks: readonly TaskMatrix[];
    used: StatsOptionsUsed;
    minRows: number;
    maxRows: number;
    /** Tasks each ensemble size uses. */
    ensembleTasks: readonly number[];
    splittable: number;
    /** The note on missing lengths already says there is no median split. */
    lengthsUnknown: boolean;
    limitStopped: number;
  },
): void {
  const { build, headline, tasks, used, minRows, maxRows, ensembleTasks, splittable } = facts;
  if (headline.incoherence.value === null)
    notes.push('No unroll failed any test, so incoherence (variance / error) is undefined.');
  if (build.resolvedOnly) {
    notes.push(
      'Only per-run resolved outcomes are known (resolved_only): each task is the single test "resolved", so its incoherence equals its resolve rate.',
    );
  }
  if (build.infraErrors > 0)
    notes.push(`${build.infraErrors} unroll(s) failed for infrastructure reasons and are left out.`);
  if (build.skipped.length > 0)
    notes.push(`${build.skipped.length} task(s) could not be analysed (see counts.skippedTasks).`);
  const unnamed = tasks.filter((t) => t.neverFound.length > 0);
  if (unnamed.length > 0) {
    const count = unnamed.reduce((sum, t) => sum + t.neverFound.length, 0);
    const example = unnamed[0] as TaskMatrix;
    notes.push(
      `${count} listed test(s) of ${unnamed.length} task(s) appear in none of their graded test logs (status MISSING), so they always count as failed ` +
        `(e.g. ${example.instanceId}: ${example.neverFound[0]}). Their ids may not be those the log parser reads: hotmess validate checks each task.`,
    );
  }
  if (maxRows !== minRows)
    notes.push(`Tasks have between ${minRows} and ${maxRows} usable unrolls; each task still counts once.`);
  if (used.unbiased && minRows < 2)
    notes.push('The unbiased variance needs at least 2 unrolls; tasks with 1 keep variance 0.');
  if (ensembleTasks.length === 0)
    notes.push('No task has the 2 unrolls that two ensembles need, so there is no ensembling curve.');
  if (ensembleTasks.length > 1) notes.push(majorityTieRule);
  const short = ensembleTasks.filter((count) => count < tasks.length).length;
  if (short > 0) {
    notes.push(
      `Ensemble sizes go up to ${2 ** (ensembleTasks.length - 1)}, the largest that leaves a task 2 ensembles; ${short} size(s) use only the tasks with at least 2 × size unrolls (see their task counts).`,
    );
  }
  if (splittable === 0) {
    if (!facts.lengthsUnknown)
      notes.push('No task has unrolls on both sides of its median action count, so there is no median split.');
  } else if (splittable < tasks.length) {
    notes.push(
      `${tasks.length - splittable} task(s) have all unrolls on one side of their median action count and are left out of the median split.`,
    );
  }
  if (tasks.length === 1 && used.bootstrap.resamples > 0 && !used.bootstrap.overUnrolls) {
    notes.push(
      'With one task, resampling tasks always draws that task, so each interval is a single point; --over-unrolls also resamples its unrolls.',
    );
  }
  if (facts.limitStopped > 0) {
    const how =
      used.limitRule === 'no_change'
        ? 'graded as no change (FAIL_TO_PASS fail, PASS_TO_PASS pass)'
        : 'graded on the diff they left';
    notes.push(`${facts.limitStopped} unroll(s) stopped at a limit and are ${how}.`);
  }
}
