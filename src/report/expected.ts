import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError, errorMessage } from '../errors.ts';
import { equalCountBuckets } from '../stats/buckets.ts';
import type { Figures, StatsResult, TaskRow } from '../stats/types.ts';

export const expectedFileName = 'expected.json';

/** The part of src/sim/expected.ts's SpecExpectation the report uses; the rest of each entry is kept as is. */
const taskExpectationSchema = z
  .object({
    instanceId: z.string(),
    error: z.number(),
    bias2: z.number(),
    variance: z.number(),
    resolveProbability: z.number(),
    expectedExecutedActions: z.number(),
    limitHitProbability: z.number(),
  })
  .passthrough();
export type TaskExpectation = z.infer<typeof taskExpectationSchema>;

/** expected.json, written by the run scheduler for a run on the simulated agent. */
const expectedFileSchema = z
  .object({
    format: z.literal('hotmess.expected/1'),
    actionLimit: z.number().optional(),
    tasks: z.array(taskExpectationSchema),
  })
  .passthrough();
export type ExpectedFile = z.infer<typeof expectedFileSchema>;

/** Reads `<run>/expected.json`; null when the run has none (a run on a real model). */
export async function readExpected(runDir: string): Promise<ExpectedFile | null> {
  const file = path.join(runDir, expectedFileName);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`Cannot read ${file} (${errorMessage(err)}).`, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file} is not valid JSON (${errorMessage(err)}).`, file);
  }
  const checked = expectedFileSchema.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new InputError(
      `${file} is not a valid expected.json (${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'bad shape'}).`,
      file,
    );
  }
  return checked.data;
}

/** What the estimator should report on average for a set of tasks, from their exact pass probabilities. */
export interface ExpectedFigures {
  readonly tasks: number;
  readonly error: number;
  readonly bias2: number;
  readonly variance: number;
  /** Σ variance / Σ error over the tasks; null when no error is expected. */
  readonly incoherence: number | null;
  readonly passRate: number;
  readonly resolveRate: number;
  readonly meanActions: number;
}

export interface ExpectedVsMeasured {
  readonly expected: ExpectedFigures;
  readonly measured: Figures;
}

export interface ExpectedComparison {
  /** The estimator whose expectation is shown (the plug-in variance is (R − 1)/R of the true one). */
  readonly estimator: 'plug-in' | 'unbiased';
  /** Analysed tasks that expected.json does not cover. */
  readonly missing: string[];
  /** The headline under the no-change limit rule, which is the rule the expectations assume; null if tasks are missing. */
  readonly overall: ExpectedVsMeasured | null;
  /** Action-count buckets (only under the no-change rule and with every task covered). */
  readonly buckets: (ExpectedVsMeasured & { readonly index: number })[] | null;
  readonly tasks: { readonly instance_id: string; readonly expected: ExpectedFigures; readonly measured: TaskRow }[];
  /** Sentences explaining what is compared and what is left out. */
  readonly notes: string[];
}

/**
 * Lines up the exact expectations of a simulated run with the measured statistics: overall, per action-count
 * bucket (the same tasks as the measured bucket) and per task. Expectations are of the estimator in use: with
 * the plug-in estimator E[V̂] = V·(R − 1)/R for a task with R unrolls, with the unbiased one E[V̂] = V (0 when
 * R = 1), and E[B̂] = E − E[V̂] since error = bias² + variance holds for every sample.
 */
export function compareExpected(stats: StatsResult, expected: ExpectedFile): ExpectedComparison {
  const byId = new Map(expected.tasks.map((t) => [t.instanceId, t]));
  const estimator = stats.options.unbiased ? 'unbiased' : 'plug-in';
  const notes: string[] = [
    `Expected figures are exact expectations of the ${estimator} estimator from the simulated agent's known pass probabilities, under the no-change limit rule${
      expected.actionLimit === undefined ? '' : ` with an action capacity of ${expected.actionLimit}`
    }.`,
  ];
  const rows: { row: TaskRow; exp: TaskExpectation }[] = [];
  const missing: string[] = [];
  for (const row of stats.tasks) {
    const exp = byId.get(row.instance_id);
    if (exp === undefined) missing.push(row.instance_id);
    else rows.push({ row, exp });
  }
  const perTask = (row: TaskRow, exp: TaskExpectation): ExpectedFigures => {
    // One unroll shows no spread: both estimators report variance 0 for such a task.
    const factor = row.unrolls < 2 ? 0 : estimator === 'unbiased' ? 1 : (row.unrolls - 1) / row.unrolls;
    const variance = exp.variance * factor;
    return aggregate([
      { error: exp.error, variance, resolve: exp.resolveProbability, actions: exp.expectedExecutedActions },
    ]);
  };
  const tasks = rows.map(({ row, exp }) => ({
    instance_id: row.instance_id,
    expected: perTask(row, exp),
    measured: row,
  }));
  if (missing.length > 0) {
    notes.push(
      `${missing.length} analysed task(s) have no expectation in ${expectedFileName}, so only per-task figures are compared.`,
    );
    return { estimator, missing, overall: null, buckets: null, tasks, notes };
  }
  const expectedById = new Map(tasks.map((t) => [t.instance_id, t.expected]));
  const combine = (ids: readonly string[]): ExpectedFigures =>
    aggregate(
      ids.map((id) => {
        const e = expectedById.get(id) as ExpectedFigures;
        return { error: e.error, variance: e.variance, resolve: e.resolveRate, actions: e.meanActions };
      }),
    );
  const overall = { expected: combine(stats.tasks.map((t) => t.instance_id)), measured: stats.limitRule.no_change };
  return { estimator, missing, overall, buckets: bucketComparison(stats, combine, notes), tasks, notes };
}

/** The measured action buckets' task sets, rebuilt with src/stats's own bucketing (LengthBucket lists no tasks). */
function bucketComparison(
  stats: StatsResult,
  combine: (ids: readonly string[]) => ExpectedFigures,
  notes: string[],
): ExpectedComparison['buckets'] {
  const measured = stats.buckets.actions.buckets;
  if (measured === null) return null;
  if (stats.options.limitRule !== 'no_change') {
    notes.push('Per-bucket expectations are shown only under the no-change limit rule, which they assume.');
    return null;
  }
  const ids = stats.tasks.map((t) => t.instance_id);
  const members = equalCountBuckets(
    stats.tasks.map((t) => t.meanActions),
    ids,
    stats.options.buckets,
  );
  if (members.length !== measured.length || members.some((m, b) => m.length !== measured[b]?.figures.tasks)) {
    notes.push('The action buckets could not be matched to their tasks, so per-bucket expectations are left out.');
    return null;
  }
  return measured.map((bucket, b) => ({
    index: bucket.index,
    expected: combine(Array.from(members[b] as Int32Array, (i) => ids[i] as string)),
    measured: bucket.figures,
  }));
}

function aggregate(
  parts: readonly { error: number; variance: number; resolve: number; actions: number }[],
): ExpectedFigures {
  const n = parts.length;
  const sum = (f: (p: (typeof parts)[number]) => number): number => parts.reduce((s, p) => s + f(p), 0);
  const error = sum((p) => p.error);
  const variance = sum((p) => p.variance);
  return {
    tasks: n,
    error: error / n,
    bias2: (error - variance) / n,
    variance: variance / n,
    incoherence: error > 0 ? variance / error : null,
    passRate: 1 - error / n,
    resolveRate: sum((p) => p.resolve) / n,
    meanActions: sum((p) => p.actions) / n,
  };
}
