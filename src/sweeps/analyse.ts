import { computeStats } from '../stats/compute.ts';
import { comparePaired, pairTasks, type PairedComparison, type PairedFigureName } from '../stats/paired.ts';
import type { Estimate, StatsResult } from '../stats/types.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';
import type { Cell } from './cells.ts';
import { historyFigureNames, type HistoryFigureName, type HistoryLine } from './history.ts';
import { thresholdNames, type RegressionRules } from './schema.ts';
import { judge, thresholdFigure, type Verdict } from './verdict.ts';

export interface CellFacts {
  readonly sweep: string;
  readonly sweepId: string;
  readonly date: string;
  readonly finishedAt: string;
  readonly cell: Cell;
  readonly model: string;
  readonly runDir: string;
  readonly tasksRevision: string | null;
  readonly taskSetHash: string;
  readonly instances: string;
  readonly unrolls: number;
  readonly seed: number;
}

export interface AnalysisOptions {
  readonly buckets: number;
  readonly resamples: number;
  readonly rules: RegressionRules;
}

export interface CellAnalysis {
  readonly stats: StatsResult;
  /** At the sweep's level (95%): what the history, the tables and the trend page show. */
  readonly comparison: PairedComparison | null;
  /** The same differences with intervals at the verdict's family-wise corrected level (see checkLevel). */
  readonly checked: PairedComparison | null;
  readonly verdict: Verdict;
  readonly line: HistoryLine;
}

/**
 * One cell's figures, its paired comparison with the same cell of the previous sweep (on the tasks both share),
 * the verdict and its history line. Pure: the records are given.
 */
export function analyseCell(
  facts: CellFacts,
  records: readonly UnrollRecord[],
  previous: { readonly line: HistoryLine; readonly records: readonly UnrollRecord[] } | null,
  options: AnalysisOptions,
): CellAnalysis {
  const stats = computeStats(records, {
    buckets: options.buckets,
    bootstrap: { resamples: options.resamples, seed: 0 },
  });
  const before =
    previous === null
      ? null
      : computeStats(previous.records, { buckets: options.buckets, bootstrap: { resamples: 0 } });
  const comparison = before === null ? null : compareWith(before, stats, options, options.rules.level);
  const checked =
    before === null || comparison === null
      ? null
      : compareWith(before, stats, options, checkLevel(options.rules, comparison.buckets.length));
  const verdict = judge(
    checked,
    options.rules,
    checked === null ? 1 : (1 - checkLevel(options.rules, checked.buckets.length)) / 2,
  );
  const figure = (name: HistoryFigureName): Estimate => {
    const o = stats.overall;
    const e = {
      resolve_rate: o.resolveRate,
      test_pass_rate: o.passRate,
      error: o.error,
      bias2: o.bias2,
      variance: o.variance,
      incoherence: o.incoherence,
    }[name];
    return e ?? { value: null, lo: null, hi: null };
  };
  const line: HistoryLine = {
    format: 'hotmess.sweep-history/1',
    sweep: facts.sweep,
    sweep_id: facts.sweepId,
    date: facts.date,
    finished_at: facts.finishedAt,
    cell: facts.cell.name,
    run_dir: facts.runDir,
    tasks_revision: facts.tasksRevision,
    task_set_hash: facts.taskSetHash,
    instances: facts.instances,
    model: facts.model,
    settings: { ...facts.cell.settings },
    unrolls: facts.unrolls,
    seed: facts.seed,
    tasks: stats.counts.tasks,
    figures: Object.fromEntries(historyFigureNames.map((n) => [n, figure(n)])) as HistoryLine['figures'],
    reliability: {
      k: stats.reliability.k,
      pass_at_k: stats.reliability.passAtK,
      pass_hat_k: stats.reliability.passHatK,
      flip_share: stats.reliability.flipShare,
    },
    comparison:
      comparison === null || previous === null
        ? null
        : {
            against: previous.line.sweep_id,
            tasks: comparison.tasks,
            level: comparison.level,
            figures: Object.fromEntries(
              historyFigureNames.map((n) => {
                const d = comparison.overall[thresholdFigure[n] as PairedFigureName];
                return [n, { ...d.diff, correlation: d.correlation }];
              }),
            ),
          },
    verdict: verdict.status,
    breaches: verdict.breaches.map((b) => ({
      ...b,
      scope: b.scope === 'overall' ? 'overall' : { ...b.scope, range: [...b.scope.range] },
      worstBucket: b.worstBucket === null ? null : { ...b.worstBucket, range: [...b.worstBucket.range] },
    })),
  };
  return { stats, comparison, checked, verdict, line };
}

/**
 * The level of the intervals the verdict checks: with m checks (each threshold, over all tasks and, when asked,
 * in each of the K buckets), L = 1 − (1 − level)/m (Bonferroni). A false alarm is a check whose interval misses
 * zero on its bad side, a one-sided tail of (1 − L)/2, so the verdict's false-alarm rate stays within
 * (1 − level)/2: half the nominal 1 − level, since only one side of each interval can raise it.
 */
export function checkLevel(rules: RegressionRules, buckets: number): number {
  const thresholds = thresholdNames.filter((n) => rules[n] !== undefined).length;
  const checks = Math.max(1, thresholds * (1 + (rules.buckets ? buckets : 0)));
  return 1 - (1 - rules.level) / checks;
}

/** Paired differences of this cell against the previous run's tasks, overall and per action-count bucket. */
function compareWith(
  before: StatsResult,
  current: StatsResult,
  options: AnalysisOptions,
  level: number,
): PairedComparison | null {
  const { pairs, onlyA, onlyB } = pairTasks(before.tasks, current.tasks);
  if (pairs.length === 0) return null;
  const buckets = Math.min(options.buckets, pairs.length);
  return comparePaired(pairs, { resamples: options.resamples, seed: 0, level, buckets }, { onlyA, onlyB });
}
