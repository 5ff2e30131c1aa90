import { Rng } from '../util/rng.ts';
import { quantile } from './bootstrap.ts';
import { equalCountBuckets } from './buckets.ts';
import { subSeed } from './random.ts';
import type { Estimate, TaskRow } from './types.ts';

/**
 * Paired comparison of two runs on the tasks both share (issue 10): for each figure, run A's value, run B's, the
 * difference B − A with a paired bootstrap interval over tasks (each resample draws tasks, and both runs' values
 * of a drawn task go in together), and the per-task correlation between the runs. Pure and seeded.
 */
export const pairedFigureNames = ['resolveRate', 'passRate', 'error', 'bias2', 'variance', 'incoherence'] as const;
export type PairedFigureName = (typeof pairedFigureNames)[number];

/** One task's figures in one run (a TaskRow has them). */
export type TaskFigures = Pick<TaskRow, 'error' | 'bias2' | 'variance' | 'resolveRate' | 'passRate'>;

export interface PairedTask {
  readonly instance_id: string;
  readonly a: TaskFigures;
  readonly b: TaskFigures;
  /** The task's length for bucketing: its mean action count over both runs. */
  readonly length: number;
}

export interface PairedDiff {
  readonly a: number | null;
  readonly b: number | null;
  /** B − A with its interval; value null where either run's figure is undefined. */
  readonly diff: Estimate;
  /** Pearson correlation over tasks of the per-task figure in A and in B; null with under 3 tasks or no spread. */
  readonly correlation: number | null;
  /**
   * One-sided p-values of the paired swap (randomization) test: the share of the 2^n ways of swapping A and B
   * within tasks whose difference is as low (`down`) or as high (`up`) as the one seen. Exact when the runs are
   * exchangeable within each task (the same model on other seeds), whatever the number of tasks; null where the
   * figure is undefined.
   */
  readonly p: { readonly down: number; readonly up: number } | null;
}

export type PairedFigures = Readonly<Record<PairedFigureName, PairedDiff>>;

export interface PairedBucket {
  readonly index: number;
  readonly range: readonly [number, number];
  readonly tasks: number;
  readonly figures: PairedFigures;
}

export interface PairedComparison {
  readonly tasks: number;
  /** Tasks only one run has, left out. */
  readonly onlyA: number;
  readonly onlyB: number;
  readonly level: number;
  readonly bucketLevel: number;
  readonly resamples: number;
  readonly overall: PairedFigures;
  /** Equal-count buckets of the shared tasks by mean action count (over both runs). */
  readonly buckets: PairedBucket[];
}

export interface PairedOptions {
  readonly resamples?: number;
  readonly seed?: number;
  readonly level?: number;
  /** Level of the per-bucket intervals (default `level`; e.g. Bonferroni-corrected over the buckets). */
  readonly bucketLevel?: number;
  readonly buckets?: number;
  /** Swap-test assignments drawn when there are too many tasks to enumerate them (default 4000; 0: no p-values). */
  readonly swapDraws?: number;
}

/** The tasks both runs have, in id order, with each run's figures. */
export function pairTasks(
  a: readonly TaskRow[],
  b: readonly TaskRow[],
): { pairs: PairedTask[]; onlyA: number; onlyB: number } {
  const byId = new Map(b.map((row) => [row.instance_id, row]));
  const pairs: PairedTask[] = [];
  for (const row of a) {
    const other = byId.get(row.instance_id);
    if (other === undefined) continue;
    pairs.push({ instance_id: row.instance_id, a: row, b: other, length: (row.meanActions + other.meanActions) / 2 });
  }
  pairs.sort((x, y) => (x.instance_id < y.instance_id ? -1 : x.instance_id > y.instance_id ? 1 : 0));
  return { pairs, onlyA: a.length - pairs.length, onlyB: b.length - pairs.length };
}

/** Overall and per-bucket paired differences, each with its own seeded sub-stream of resamples. */
export function comparePaired(
  pairs: readonly PairedTask[],
  options: PairedOptions = {},
  unpaired: { onlyA: number; onlyB: number } = { onlyA: 0, onlyB: 0 },
): PairedComparison {
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 0;
  const level = options.level ?? 0.95;
  const draws = options.swapDraws ?? 4000;
  if (pairs.length === 0) throw new RangeError('no shared tasks');
  const buckets = equalCountBuckets(
    pairs.map((p) => p.length),
    pairs.map((p) => p.instance_id),
    options.buckets ?? 5,
  ).map((indices, index) => {
    const members = Array.from(indices, (i) => pairs[i] as PairedTask);
    const lengths = members.map((p) => p.length);
    return {
      index,
      range: [Math.min(...lengths), Math.max(...lengths)] as const,
      tasks: members.length,
      figures: pairedFigures(members, resamples, subSeed(seed, index + 1), options.bucketLevel ?? level, draws),
    };
  });
  return {
    tasks: pairs.length,
    ...unpaired,
    level,
    bucketLevel: options.bucketLevel ?? level,
    resamples,
    overall: pairedFigures(pairs, resamples, subSeed(seed, 0), level, draws),
    buckets,
  };
}

const E = 0;
const B = 1;
const V = 2;
const RES = 3;
const PASS = 4;
const width = 5;

function columns(f: TaskFigures): number[] {
  return [f.error, f.bias2, f.variance, f.resolveRate, f.passRate];
}

/** The six figures of a task set from column sums over n tasks; incoherence NaN when Σ E = 0. */
function figuresFrom(sums: Float64Array, offset: number, n: number): number[] {
  const err = sums[offset + E] as number;
  return [
    (sums[offset + RES] as number) / n,
    (sums[offset + PASS] as number) / n,
    err / n,
    (sums[offset + B] as number) / n,
    (sums[offset + V] as number) / n,
    err > 0 ? (sums[offset + V] as number) / err : Number.NaN,
  ];
}

/** The paired differences of one task set: point values and a percentile interval of B − A per figure. */
export function pairedFigures(
  pairs: readonly PairedTask[],
  resamples: number,
  seed: number,
  level: number,
  swapDraws = 4000,
): PairedFigures {
  const n = pairs.length;
  const values = new Float64Array(n * 2 * width);
  pairs.forEach((p, i) => {
    values.set(columns(p.a), i * 2 * width);
    values.set(columns(p.b), i * 2 * width + width);
  });
  const sums = new Float64Array(2 * width);
  const sumOver = (drawn: ArrayLike<number>): void => {
    sums.fill(0);
    for (let k = 0; k < drawn.length; k++) {
      const base = (drawn[k] as number) * 2 * width;
      for (let c = 0; c < 2 * width; c++) sums[c] = (sums[c] as number) + (values[base + c] as number);
    }
  };
  const all = Int32Array.from({ length: n }, (_, i) => i);
  sumOver(all);
  const pointA = figuresFrom(sums, 0, n);
  const pointB = figuresFrom(sums, width, n);
  const samples = pairedFigureNames.map(() => new Float64Array(resamples));
  const rng = Rng.fromSeed(seed);
  const drawn = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    rng.drawFrom(all, drawn);
    sumOver(drawn);
    const fa = figuresFrom(sums, 0, n);
    const fb = figuresFrom(sums, width, n);
    for (let f = 0; f < pairedFigureNames.length; f++)
      (samples[f] as Float64Array)[r] = (fb[f] as number) - (fa[f] as number);
  }
  const perTask = (f: number, which: 'a' | 'b'): number[] =>
    pairs.map((p) => {
      const c = columns(p[which]);
      return f === 5 ? ((c[E] as number) > 0 ? (c[V] as number) / (c[E] as number) : Number.NaN) : taskValue(c, f);
    });
  const swaps =
    swapDraws > 0
      ? swapTest(
          values,
          n,
          pointB.map((x, f) => x - (pointA[f] as number)),
          seed,
          swapDraws,
        )
      : [];
  const entries = pairedFigureNames.map((name, f) => {
    const a = pointA[f] as number;
    const b = pointB[f] as number;
    const defined = !Number.isNaN(a) && !Number.isNaN(b);
    const interval = defined && resamples > 0 ? expandedPercentile(samples[f] as Float64Array, level, b - a, n) : null;
    const diff: PairedDiff = {
      a: Number.isNaN(a) ? null : a,
      b: Number.isNaN(b) ? null : b,
      diff: {
        value: defined ? b - a : null,
        lo: interval ? interval[0] : null,
        hi: interval ? interval[1] : null,
      },
      correlation: pearson(perTask(f, 'a'), perTask(f, 'b')),
      p: defined ? (swaps[f] ?? null) : null,
    };
    return [name, diff] as const;
  });
  return Object.fromEntries(entries) as Record<PairedFigureName, PairedDiff>;
}

/** Up to this many tasks the swap test enumerates all 2^n swaps; above, it draws `swapDraws` of them. */
const exactSwapTasks = 12;

/**
 * The swap test of every figure at once: per assignment of swaps, each task's A and B columns trade places and
 * the six differences are recomputed from the sums. `observed` holds the differences seen (B − A).
 */
function swapTest(
  values: Float64Array,
  n: number,
  observed: readonly number[],
  seed: number,
  draws: number,
): ({ down: number; up: number } | null)[] {
  const figures = pairedFigureNames.length;
  const down = new Float64Array(figures);
  const up = new Float64Array(figures);
  const sums = new Float64Array(2 * width);
  const tolerance = 1e-12;
  const rng = Rng.fromSeed(subSeed(seed, 7919));
  const exact = n <= exactSwapTasks;
  const total = exact ? 2 ** n : draws;
  for (let t = 0; t < total; t++) {
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const swapped = exact ? (t >> i) & 1 : rng.next32() < 0.5 ? 1 : 0;
      const base = i * 2 * width;
      for (let c = 0; c < width; c++) {
        const a = values[base + c] as number;
        const b = values[base + width + c] as number;
        sums[c] = (sums[c] as number) + (swapped ? b : a);
        sums[width + c] = (sums[width + c] as number) + (swapped ? a : b);
      }
    }
    const fa = figuresFrom(sums, 0, n);
    const fb = figuresFrom(sums, width, n);
    for (let f = 0; f < figures; f++) {
      const d = (fb[f] as number) - (fa[f] as number);
      const seen = observed[f] as number;
      // An undefined difference (no error in one arm) counts as no evidence either way.
      if (Number.isNaN(d) || d <= seen + tolerance) down[f] = (down[f] as number) + 1;
      if (Number.isNaN(d) || d >= seen - tolerance) up[f] = (up[f] as number) + 1;
    }
  }
  // A drawn test counts the observed assignment too, so that p is never 0.
  const p = (count: number) => (exact ? count / total : (count + 1) / (total + 1));
  return observed.map((seen, f) =>
    Number.isNaN(seen) ? null : { down: p(down[f] as number), up: p(up[f] as number) },
  );
}

/** Figure f (in pairedFigureNames order, but incoherence) of one task's columns. */
function taskValue(c: number[], f: number): number {
  return [c[RES], c[PASS], c[E], c[B], c[V]][f] as number;
}

/**
 * Central percentile interval of the defined samples, widened about the point estimate by √(n/(n−1)) · t/z
 * (Hesterberg's expanded percentile interval): the plain percentile interval of a mean over n tasks is too
 * narrow by about that factor and covers less than its level when n is small. Null when under half the samples
 * are defined.
 */
function expandedPercentile(samples: Float64Array, level: number, point: number, n: number): [number, number] | null {
  const defined = samples.filter((x) => !Number.isNaN(x));
  if (defined.length === 0 || defined.length * 2 < samples.length) return null;
  const tail = (1 - level) / 2;
  const lo = quantile(defined, tail);
  const hi = quantile(defined, 1 - tail);
  const factor = widening(n, level);
  return [point + factor * (lo - point), point + factor * (hi - point)];
}

/** √(n/(n−1)) · t_{n−1} / z at the level's two-sided quantile; 1 for a single task (no spread to widen). */
export function widening(n: number, level: number): number {
  if (n < 2) return 1;
  const z = normalQuantile(1 - (1 - level) / 2);
  const nu = n - 1;
  // Cornish–Fisher expansion of Student's t quantile in 1/ν (within 1% for ν ≥ 3 at the usual levels).
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const t =
    z +
    (z3 + z) / (4 * nu) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * nu ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu ** 3);
  return Math.sqrt(n / (n - 1)) * (t / z);
}

/** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - 0.02425) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** Pearson correlation of the pairs where both are defined; null with under 3 such pairs or no spread. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const xs: number[] = [];
  const ys: number[] = [];
  x.forEach((v, i) => {
    const w = y[i] as number;
    if (!Number.isNaN(v) && !Number.isNaN(w)) {
      xs.push(v);
      ys.push(w);
    }
  });
  const n = xs.length;
  if (n < 3) return null;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx <= 1e-15 || syy <= 1e-15) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
