import type { Reliability } from './reliability.ts';

/**
 * The result of computeStats: plain JSON-serialisable data (numbers, strings, booleans, null, arrays, objects)
 * for a report renderer to draw. Every rate and decomposition term is a fraction in [0, 1] (an unbiased bias²
 * may dip below 0); `null` means "undefined here" and a sentence in `notes` says why.
 */

/** How an unroll stopped by a limit is graded (DESIGN.md §7). */
export type LimitRule = 'no_change' | 'grade';

/** Length measures used to sort tasks into buckets: per-unroll counts averaged over a task's unrolls. */
export type LengthMetric = 'actions' | 'output_tokens' | 'reasoning_tokens';
export const lengthMetrics: readonly LengthMetric[] = ['actions', 'output_tokens', 'reasoning_tokens'];

/**
 * A figure and its bootstrap confidence interval. `lo`/`hi` are null when no bootstrap was asked for, or when
 * the figure is undefined in too many resamples (incoherence of resamples with no error at all).
 */
export interface Estimate {
  readonly value: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
}

/**
 * The decomposition of a set of tasks. Each task counts once (its own R unrolls and T tests averaged first),
 * so `error`, `bias2`, `variance`, `passRate`, `resolveRate` are means over tasks, and `incoherence` is the ratio
 * of sums Σ V_i / Σ E_i (null when Σ E_i = 0: no task ever fails a test). error = bias2 + variance exactly
 * (plug-in estimator), and `passRate` = 1 − error for 0/1 outcomes.
 */
export interface Figures {
  readonly tasks: number;
  /** Unrolls (or ensembles, for the ensembling curve) behind these figures. */
  readonly unrolls: number;
  readonly error: Estimate;
  readonly bias2: Estimate;
  readonly variance: Estimate;
  readonly incoherence: Estimate;
  /** Mean over tasks of the fraction of unrolls with every test passing; null where it has no meaning. */
  readonly resolveRate: Estimate | null;
  /** Mean over tasks of the fraction of (unroll, test) pairs passing. */
  readonly passRate: Estimate;
  /** Σ over the tasks of E_i, B_i, V_i: figures of disjoint task sets add up to those of their union. */
  readonly sums: { readonly error: number; readonly bias2: number; readonly variance: number };
}

/** One equal-count length bucket. */
export interface LengthBucket {
  /** 0 = shortest tasks. */
  readonly index: number;
  /** Smallest and largest per-task mean length in the bucket. */
  readonly range: readonly [number, number];
  /** Mean over the bucket's tasks of their mean length. */
  readonly meanLength: number;
  readonly figures: Figures;
}

export interface LengthBuckets {
  readonly metric: LengthMetric;
  /** null when the length is unknown (imported runs) or the same for every task; `note` says which. */
  readonly buckets: LengthBucket[] | null;
  readonly note: string | null;
}

/** Natural overthinking: per task, unrolls below its median action count vs at or above it. */
export interface MedianSplit {
  /** Tasks whose unrolls fall on both sides of their median (the others cannot be split and are left out). */
  readonly tasks: number;
  readonly excludedTasks: number;
  readonly below: Figures;
  readonly atOrAbove: Figures;
}

/**
 * One point of the ensembling curve: each task's unrolls grouped, in unroll order, into disjoint ensembles of
 * `size`. Only tasks with at least 2 ensembles (R ≥ 2 · size) take part (`mean.tasks` says how many): with one,
 * a task's variance would be 0 by construction. Sizes go up while some task has 2 ensembles.
 */
export interface EnsemblePoint {
  readonly size: number;
  /** Smallest ⌊R / size⌋ over the tasks taking part, at least 2; leftover unrolls of a task are not used. */
  readonly ensemblesPerTask: number;
  /**
   * Each ensemble predicts, per test, the mean of its members (a fraction): bias² stays, variance ≈ V / size;
   * with k ensembles per task the plug-in variance also carries the factor (k − 1)/k.
   */
  readonly mean: Figures;
  /** Each ensemble predicts, per test, pass when more than half its members pass (a tie fails: at size 2, an AND). */
  readonly majority: Figures;
}

/** Figures of one task (no confidence intervals: these are the points of a per-task scatter). */
export interface TaskRow {
  readonly instance_id: string;
  readonly unrolls: number;
  readonly tests: number;
  readonly failToPass: number;
  readonly passToPass: number;
  readonly error: number;
  readonly bias2: number;
  readonly variance: number;
  /** V_i / E_i; null when the task never fails a test. */
  readonly incoherence: number | null;
  /** Σ_j p_j(1 − p_j) / Σ_j (1 − p_j) from the per-test pass rates p_j: equals `incoherence` (plug-in). */
  readonly passRateIdentity: number | null;
  readonly resolveRate: number;
  readonly passRate: number;
  readonly meanActions: number;
  readonly medianActions: number;
  readonly meanOutputTokens: number;
  readonly meanReasoningTokens: number;
  /** Unrolls stopped by a limit (graded per `limitRule`). */
  readonly limitStopped: number;
}

export interface StatsCounts {
  /** Records given. */
  readonly records: number;
  /** Records used (all but infrastructure failures and the unrolls of skipped tasks). */
  readonly used: number;
  /** Records left out because of an infrastructure failure (infra_error set, or grading itself failed). */
  readonly infraErrors: number;
  /** Used unrolls stopped by a limit (action, message, cost, time, context). */
  readonly limitStopped: number;
  readonly tasks: number;
  /** Tasks that could not be analysed, with the reason. */
  readonly skippedTasks: { readonly instance_id: string; readonly reason: string }[];
  readonly unrollsPerTask: { readonly min: number; readonly max: number };
  readonly testsPerTask: { readonly min: number; readonly max: number };
  /** Used records per grading status (graded, no_patch, patch_failed, …). */
  readonly gradingStatus: Record<string, number>;
}

export interface StatsOptionsUsed {
  readonly buckets: number;
  readonly limitRule: LimitRule;
  readonly unbiased: boolean;
  readonly bootstrap: {
    readonly resamples: number;
    readonly seed: number;
    readonly level: number;
    readonly overUnrolls: boolean;
  };
}

export interface StatsResult {
  readonly format: 'hotmess.stats/1';
  readonly options: StatsOptionsUsed;
  readonly counts: StatsCounts;
  /** Every task has the single test "resolved" (imported per-run resolved tables): incoherence is then a function of the resolve rate. */
  readonly resolvedOnly: boolean;
  /** Some records were imported (`hotmess import`): lengths are unknown for those. */
  readonly imported: boolean;
  /** Sentences a report should show beside the figures (undefined ratios, resolved-only data, missing lengths…). */
  readonly notes: string[];
  /** The headline, under `options.limitRule`. */
  readonly overall: Figures;
  /** Only FAIL_TO_PASS tests, only PASS_TO_PASS tests (null when no task has such tests). resolveRate is null. */
  readonly categories: { readonly FAIL_TO_PASS: Figures | null; readonly PASS_TO_PASS: Figures | null };
  readonly buckets: Record<LengthMetric, LengthBuckets>;
  /** null when no task can be split (e.g. imported runs, where actions are unknown). */
  readonly medianSplit: MedianSplit | null;
  readonly ensembling: EnsemblePoint[];
  /** The headline under each limit rule, to show the effect of the rule. */
  readonly limitRule: {
    readonly applied: LimitRule;
    readonly limitStopped: number;
    readonly no_change: Figures;
    readonly grade: Figures;
  };
  /** DESIGN.md §7 critique checks. */
  readonly critique: {
    /**
     * The decomposition of one binary outcome per unroll, "resolved": its per-task incoherence is the task's
     * resolve rate p, and over tasks it is Σ p(1 − p) / Σ (1 − p), a failure-weighted resolve rate.
     */
    readonly resolvedOutcome: Figures;
    /** Σ p_i(1 − p_i) / Σ (1 − p_i) over tasks' resolve rates p_i, computed directly (null when every task always resolves). */
    readonly failureWeightedResolveRate: number | null;
  };
  readonly tasks: TaskRow[];
  /** pass@k, pass^k (unbiased, k = 1…R) and the share of tasks whose resolved outcome flips, from resolved unrolls. */
  readonly reliability: Reliability;
}
