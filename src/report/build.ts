import { computeStats, type StatsOptions } from '../stats/compute.ts';
import { isInfraFailure } from '../stats/matrix.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';
import type { LimitRule, StatsResult } from '../stats/types.ts';
import { compareExpected, type ExpectedComparison } from './expected.ts';
import type { LoadedRun } from './load.ts';
import { resolvedOnlyBanner, runMeta, simulatedBanner, type RunMeta } from './meta.ts';

export interface ReportOptions {
  readonly buckets?: number;
  readonly limitRule?: LimitRule;
  /** Bootstrap resamples (0: no confidence intervals). */
  readonly bootstrap?: number;
  readonly seed?: number;
  /** Confidence level of the bootstrap intervals (default 0.95). */
  readonly level?: number;
  /** Also resample each task's unrolls (two-level bootstrap; slower). */
  readonly overUnrolls?: boolean;
  readonly unbiased?: boolean;
  /** FAIL_TO_PASS / PASS_TO_PASS per instance, for imported tasks whose records carry no per-test results. */
  readonly testLists?: StatsOptions['testLists'];
  readonly now?: Date;
}

export interface InfraFailureGroup {
  readonly reason: string;
  readonly count: number;
  /** One of them, as `instance#unroll`, to look up in trajectories/ and grading/. */
  readonly example: string;
}

/** Everything a report page shows; report.json is this object. */
export interface Report {
  readonly format: 'hotmess.report/1';
  /** The calibration-run banner of a run on the simulated agent, else null (first, so that no reader misses it). */
  readonly banner: string | null;
  /** The banner of resolved-only data (imported per-run resolved tables), else null. */
  readonly resolvedOnlyBanner: string | null;
  readonly simulated: boolean;
  readonly generatedAt: string;
  readonly run: RunMeta;
  /** What the store found wrong in unrolls.jsonl (skipped lines, torn tail, duplicates). */
  readonly warnings: string[];
  /** Unrolls left out of the statistics for infrastructure reasons, grouped by reason, most frequent first. */
  readonly infraFailures: InfraFailureGroup[];
  readonly stats: StatsResult;
  /** Expected vs measured, for a simulated run with expected.json. */
  readonly expected: ExpectedComparison | null;
}

export function statsOptions(options: ReportOptions): StatsOptions {
  return {
    ...(options.buckets === undefined ? {} : { buckets: options.buckets }),
    ...(options.limitRule === undefined ? {} : { limitRule: options.limitRule }),
    ...(options.unbiased === undefined ? {} : { unbiased: options.unbiased }),
    bootstrap: {
      ...(options.bootstrap === undefined ? {} : { resamples: options.bootstrap }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.level === undefined ? {} : { level: options.level }),
      ...(options.overUnrolls === undefined ? {} : { overUnrolls: options.overUnrolls }),
    },
    ...(options.testLists === undefined ? {} : { testLists: options.testLists }),
  };
}

/** Computes a loaded run's statistics and gathers what the pages show beside them. */
export function buildReport(loaded: LoadedRun, options: ReportOptions = {}): Report {
  const stats = computeStats(loaded.records, statsOptions(options));
  const run = runMeta(loaded.run, loaded.records);
  return {
    format: 'hotmess.report/1',
    banner: run.simulated ? simulatedBanner : null,
    resolvedOnlyBanner: stats.resolvedOnly ? resolvedOnlyBanner : null,
    simulated: run.simulated,
    generatedAt: (options.now ?? new Date()).toISOString(),
    run,
    warnings: loaded.warnings,
    infraFailures: infraFailures(loaded.records),
    stats,
    expected: loaded.expected === null ? null : compareExpected(stats, loaded.expected),
  };
}

/** The same records src/stats leaves out (isInfraFailure), grouped by stop reason and the first line of the error. */
function infraFailures(records: readonly UnrollRecord[]): InfraFailureGroup[] {
  const groups = new Map<string, { count: number; example: string }>();
  for (const record of records) {
    if (!isInfraFailure(record)) continue;
    const reason = `${record.stop_reason}: ${record.infra_error?.split('\n')[0] ?? `grading ${record.grading_status}`}`;
    const group = groups.get(reason);
    if (group) group.count += 1;
    else groups.set(reason, { count: 1, example: `${record.instance_id}#${record.unroll}` });
  }
  return [...groups]
    .map(([reason, g]) => ({ reason, ...g }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
}
