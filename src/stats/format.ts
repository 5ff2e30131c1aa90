import { formatReliability } from './reliability.ts';
import type { Estimate, Figures, LengthBuckets, StatsResult } from './types.ts';

const columns = ['error', 'bias²', 'variance', 'incoherence', 'resolved', 'test pass'] as const;
const labelWidth = 28;
const cellWidth = 19;

/** How `formatEstimate` writes the value and the bounds of an interval, and what goes between the bounds. */
export interface EstimateStyle {
  readonly value?: (x: number) => string;
  /** Default: as the value. */
  readonly bound?: (x: number) => string;
  readonly separator?: string;
}

const decimals = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');

/**
 * Every figure with its interval, in the terminal and the report alike: `0.347 [0.312, 0.381]` by default, the
 * value alone when there is no interval, `—` for an undefined figure.
 */
export function formatEstimate(estimate: Estimate | null, style: EstimateStyle = {}): string {
  if (estimate === null || estimate.value === null) return '—';
  const value = style.value ?? decimals;
  if (estimate.lo === null || estimate.hi === null) return value(estimate.value);
  const bound = style.bound ?? value;
  return `${value(estimate.value)} [${bound(estimate.lo)}${style.separator ?? ', '}${bound(estimate.hi)}]`;
}

/** A value and its interval in 17 characters for the stats table: `0.054 [.051,.058]`. */
const tableCell: EstimateStyle = { bound: short, separator: ',' };

function short(x: number): string {
  const text = x.toFixed(3);
  return text.startsWith('0.') ? text.slice(1) : text.startsWith('-0.') ? `-${text.slice(2)}` : text;
}

function row(label: string, figures: Figures): string {
  const cells = [
    figures.error,
    figures.bias2,
    figures.variance,
    figures.incoherence,
    figures.resolveRate,
    figures.passRate,
  ].map((e) => formatEstimate(e, tableCell).padEnd(cellWidth));
  return `${label.padEnd(labelWidth)}${String(figures.tasks).padStart(6)}  ${cells.join('')}`.trimEnd();
}

function bucketLines(title: string, buckets: LengthBuckets): string[] {
  if (buckets.buckets === null) return [`${title}: ${buckets.note ?? 'not available'}`];
  return [
    title,
    ...buckets.buckets.map((b) => row(`  ${b.index + 1}: ${compact(b.range[0])}–${compact(b.range[1])}`, b.figures)),
  ];
}

function compact(x: number): string {
  return x >= 100 ? Math.round(x).toString() : x.toFixed(1);
}

/**
 * The headline table of `hotmess stats`: overall, FAIL_TO_PASS/PASS_TO_PASS, the other limit rule, length
 * buckets, median split, ensembles and the critique checks, one row each, then the notes. `banner`, when
 * given, is the first line (a calibration run on the simulated agent).
 */
export function formatStatsTable(result: StatsResult, title: string, banner?: string): string {
  const o = result.options;
  const ci =
    o.bootstrap.resamples > 0
      ? `${Math.round(o.bootstrap.level * 100)}% CI from ${o.bootstrap.resamples} bootstrap resamples over tasks${o.bootstrap.overUnrolls ? ' and unrolls' : ''} (seed ${o.bootstrap.seed})`
      : 'no confidence intervals';
  const c = result.counts;
  const lines = [
    ...(banner === undefined ? [] : [banner]),
    title,
    `${c.tasks} tasks · ${c.used} unrolls · ${c.infraErrors} infrastructure failures left out · limit rule ${o.limitRule} · ${o.unbiased ? 'unbiased' : 'plug-in'} variance · ${ci}`,
    '',
    `${''.padEnd(labelWidth)}${'tasks'.padStart(6)}  ${columns.map((h) => h.padEnd(cellWidth)).join('')}`.trimEnd(),
    row('overall', result.overall),
  ];
  // Resolved-only data has one test, "resolved", per task: no category of the task's own tests.
  if (result.resolvedOnly)
    lines.push(`${'FAIL_TO_PASS / PASS_TO_PASS'.padEnd(labelWidth)}  not applicable: resolved only`);
  else {
    if (result.categories.FAIL_TO_PASS) lines.push(row('FAIL_TO_PASS tests only', result.categories.FAIL_TO_PASS));
    if (result.categories.PASS_TO_PASS) lines.push(row('PASS_TO_PASS tests only', result.categories.PASS_TO_PASS));
  }
  const other = o.limitRule === 'no_change' ? 'grade' : 'no_change';
  lines.push(row(`limit rule ${other} (${result.limitRule.limitStopped} hit)`, result.limitRule[other]));
  lines.push('', ...bucketLines('by mean actions', result.buckets.actions));
  lines.push(...bucketLines('by mean output tokens', result.buckets.output_tokens));
  lines.push(...bucketLines('by mean reasoning tokens', result.buckets.reasoning_tokens));
  if (result.medianSplit) {
    lines.push(
      '',
      `median split of each task's unrolls by actions (${result.medianSplit.excludedTasks} tasks cannot be split)`,
    );
    lines.push(
      row('  below median', result.medianSplit.below),
      row('  at or above median', result.medianSplit.atOrAbove),
    );
  }
  if (result.ensembling.length > 0) {
    lines.push('', 'ensembles of E unrolls (mean of members per test / majority vote)');
    for (const point of result.ensembling) {
      lines.push(
        row(`  E=${point.size} mean (≥${point.ensemblesPerTask}/task)`, point.mean),
        row(`  E=${point.size} majority`, point.majority),
      );
    }
  }
  const weighted = result.critique.failureWeightedResolveRate;
  lines.push('', 'critique check: "resolved" as the only outcome (incoherence = Σp(1−p)/Σ(1−p) of resolve rates p)');
  lines.push(row('  resolved only', result.critique.resolvedOutcome));
  lines.push(
    `  failure-weighted resolve rate Σp(1−p)/Σ(1−p) = ${weighted === null ? '— (every task always resolves)' : weighted.toFixed(3)}`,
  );
  lines.push('', `reliability (resolved, unbiased over the unrolls): ${formatReliability(result.reliability)}`);
  if (result.notes.length > 0) lines.push('', 'notes:', ...result.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}
