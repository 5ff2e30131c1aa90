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
      if (breached && p <= alpha) breaches.push({ scope, figure: name, threshold, diff: value, lo, hi, p });
    }
  };
  check('overall', comparison.overall);
  if (rules.buckets) for (const b of comparison.buckets) check({ bucket: b.index + 1, range: b.range }, b.figures);
  return { status: breaches.length > 0 ? 'regression' : 'ok', breaches };
}

/** `resolve_rate −0.125 [−0.20, −0.05] < −0.03 (bucket 3, actions 12.5–30.0)`. */
export function describeBreach(b: Breach): string {
  const sign = (x: number) => (x >= 0 ? `+${x.toFixed(3)}` : `−${(-x).toFixed(3)}`);
  const limit = 'drop' in b.threshold ? `< −${b.threshold.drop}` : `> +${b.threshold.rise}`;
  const where =
    b.scope === 'overall'
      ? 'all tasks'
      : `bucket ${b.scope.bucket}, actions ${b.scope.range[0].toFixed(1)}–${b.scope.range[1].toFixed(1)}`;
  return `${b.figure} ${sign(b.diff)} [${sign(b.lo)}, ${sign(b.hi)}] ${limit} (${where})`;
}
