import type { PairedComparison, PairedDiff, PairedFigureName } from '../stats/paired.ts';
import { thresholdNames, type RegressionRules, type Threshold, type ThresholdName } from './schema.ts';

/** Which paired figure each threshold of the sweep file checks. */
export const thresholdFigure: Record<ThresholdName, PairedFigureName> = {
  resolve_rate: 'resolveRate',
  test_pass_rate: 'passRate',
  error: 'error',
  bias2: 'bias2',
  variance: 'variance',
  incoherence: 'incoherence',
};

export interface Breach {
  /** `overall`, or the action-count bucket (1 = shortest tasks). */
  readonly scope: 'overall' | { readonly bucket: number; readonly range: readonly [number, number] };
  readonly figure: ThresholdName;
  readonly threshold: Threshold;
  readonly diff: number;
  readonly lo: number;
  readonly hi: number;
  /** One-sided p-value of the paired swap test in the bad direction. */
  readonly p: number;
  /** Of a breach over all tasks: the action-count bucket whose difference is the most adverse (where it is). */
  readonly worstBucket: {
    readonly bucket: number;
    readonly range: readonly [number, number];
    readonly diff: number;
  } | null;
}

export type VerdictStatus = 'regression' | 'ok' | 'no_baseline';

export interface Verdict {
  readonly status: VerdictStatus;
  readonly breaches: Breach[];
}

/**
 * A figure regressed when its paired difference (this sweep − the previous one) is past the threshold in the bad
 * direction, its whole interval lies on that side of zero (for `drop: x`, diff < −x and hi < 0; for `rise: x`,
 * diff > x and lo > 0), and the paired swap test agrees at one-sided level `alpha`. Checked over all shared tasks
 * and, when the rules ask, per action-count bucket. The caller makes the intervals at the level matching `alpha`
 * (see checkLevel): a bootstrap over a handful of tasks in a bucket can exclude zero by chance, which the exact
 * swap test does not let through.
 */
export function judge(comparison: PairedComparison | null, rules: RegressionRules, alpha = 1): Verdict {
  if (comparison === null) return { status: 'no_baseline', breaches: [] };
  const breaches: Breach[] = [];
  const check = (scope: Breach['scope'], figures: Readonly<Record<PairedFigureName, PairedDiff>>): void => {
    for (const name of thresholdNames) {
      const threshold = rules[name];
      if (threshold === undefined) continue;
      const figure = figures[thresholdFigure[name]];
      const { value, lo, hi } = figure.diff;
      if (value === null || lo === null || hi === null || figure.p === null) continue;
      const drop = 'drop' in threshold;
      const p = drop ? figure.p.down : figure.p.up;
      const breached = drop ? value < -threshold.drop && hi < 0 : value > threshold.rise && lo > 0;
      if (!breached || p > alpha) continue;
      const worstBucket = scope === 'overall' ? worstOf(comparison.buckets, name, drop) : null;
      breaches.push({ scope, figure: name, threshold, diff: value, lo, hi, p, worstBucket });
    }
  };
  check('overall', comparison.overall);
  if (rules.buckets) for (const b of comparison.buckets) check({ bucket: b.index + 1, range: b.range }, b.figures);
  return { status: breaches.length > 0 ? 'regression' : 'ok', breaches };
}

/**
 * Where a breach over all tasks is: the bucket with the strongest evidence in the bad direction (the lowest swap-test
 * p-value; among equals, the most adverse difference). The plain largest difference would often point at a
 * bucket of a few noisy tasks.
 */
function worstOf(buckets: PairedComparison['buckets'], name: ThresholdName, drop: boolean): Breach['worstBucket'] {
  let worst: { bucket: number; range: readonly [number, number]; diff: number; p: number } | null = null;
  for (const b of buckets) {
    const figure = b.figures[thresholdFigure[name]];
    const value = figure.diff.value;
    if (value === null || figure.p === null) continue;
    const p = drop ? figure.p.down : figure.p.up;
    const adverse = drop ? value < (worst?.diff ?? 0) : value > (worst?.diff ?? 0);
    if (worst === null || p < worst.p || (p === worst.p && adverse))
      worst = { bucket: b.index + 1, range: b.range, diff: value, p };
  }
  return worst === null ? null : { bucket: worst.bucket, range: worst.range, diff: worst.diff };
}

/** `resolve_rate −0.125 [−0.20, −0.05] < −0.03 (bucket 3, actions 12.5–30.0)`. */
export function describeBreach(b: Breach): string {
  const sign = (x: number) => (x >= 0 ? `+${x.toFixed(3)}` : `−${(-x).toFixed(3)}`);
  const limit = 'drop' in b.threshold ? `< −${b.threshold.drop}` : `> +${b.threshold.rise}`;
  const range = (r: readonly [number, number]) => `actions ${r[0].toFixed(1)}–${r[1].toFixed(1)}`;
  const where =
    b.scope === 'overall'
      ? `all tasks${b.worstBucket ? `; most in bucket ${b.worstBucket.bucket} (${range(b.worstBucket.range)}): ${sign(b.worstBucket.diff)}` : ''}`
      : `bucket ${b.scope.bucket}, ${range(b.scope.range)}`;
  return `${b.figure} ${sign(b.diff)} [${sign(b.lo)}, ${sign(b.hi)}] ${limit} (${where})`;
}
