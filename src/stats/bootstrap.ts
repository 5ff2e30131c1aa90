import type { Rng } from '../util/rng.ts';
import { BIAS, ERR, PASS, RESOLVE, VAR, stride, type TaskTable } from './tables.ts';

// Module-local copies: an imported binding is a getter call under some loaders (tsx), too slow for inner loops.
const [S, E, B, V, R, P] = [stride, ERR, BIAS, VAR, RESOLVE, PASS];

/** The six figures of a task set, in the order samples are kept. */
export const figureNames = ['error', 'bias2', 'variance', 'incoherence', 'resolveRate', 'passRate'] as const;
export type FigureName = (typeof figureNames)[number];

/** What a table's sixth figure comes from: pass rate is 1 − error for 0/1 predictions, not for mean ensembles. */
export interface TableKind {
  readonly hasResolve: boolean;
  readonly passFromError: boolean;
}

/** Point values of a task set; NaN where undefined (incoherence with no error, resolve rate of a view without one). */
export interface FigureValues {
  readonly tasks: number;
  readonly units: number;
  readonly values: Float64Array;
  readonly sums: { readonly error: number; readonly bias2: number; readonly variance: number };
}

/** The figures of the tasks `indices` of a table, each task once: means over tasks, incoherence = ΣV / ΣE. */
export function summarise(table: TaskTable, indices: Int32Array): FigureValues {
  const totals = new Float64Array(S);
  let units = 0;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    units += table.units[i] as number;
    for (let c = 0; c < S; c++) totals[c] = (totals[c] as number) + (table.values[i * S + c] as number);
  }
  const n = indices.length;
  const err = totals[E] as number;
  const variance = totals[V] as number;
  const values = Float64Array.of(
    err / n,
    (totals[B] as number) / n,
    variance / n,
    err > 0 ? variance / err : Number.NaN,
    (totals[R] as number) / n,
    (totals[P] as number) / n,
  );
  return { tasks: n, units, values, sums: { error: err, bias2: totals[B] as number, variance } };
}

/**
 * Bootstrap samples of the figures of several tables over one task set, resampled jointly: each resample draws
 * the set's tasks with replacement (same size) once, and every table sums its per-task values over that draw.
 * Only error, variance and one more column are summed (bias² = error − variance, which the estimators keep
 * exact), into scalars. `samples[m][f * resamples + b]` is figure f of table m in resample b.
 */
export class JointSamples {
  readonly samples: Float64Array[];
  private readonly drawn: Int32Array;
  private readonly row = new Float64Array(figureNames.length);

  constructor(
    readonly indices: Int32Array,
    private readonly kinds: readonly TableKind[],
    readonly resamples: number,
  ) {
    this.samples = kinds.map(() => new Float64Array(figureNames.length * resamples));
    this.drawn = new Int32Array(indices.length);
  }

  /** Draws resample `b` from `rng` and records the figures of `tables` (in the order of the kinds). */
  draw(tables: readonly TaskTable[], rng: Rng, b: number): void {
    const { indices, drawn, row } = this;
    const n = indices.length;
    rng.drawFrom(indices, drawn);
    for (let m = 0; m < tables.length; m++) {
      const kind = this.kinds[m] as TableKind;
      const extra = kind.hasResolve ? R : kind.passFromError ? -1 : P;
      const values = (tables[m] as TaskTable).values;
      let err = 0;
      let variance = 0;
      let other = 0;
      if (extra < 0) {
        for (let k = 0; k < n; k++) {
          const base = (drawn[k] as number) * S;
          err += values[base + E] as number;
          variance += values[base + V] as number;
        }
      } else {
        for (let k = 0; k < n; k++) {
          const base = (drawn[k] as number) * S;
          err += values[base + E] as number;
          variance += values[base + V] as number;
          other += values[base + extra] as number;
        }
      }
      row[0] = err / n;
      row[1] = (err - variance) / n;
      row[2] = variance / n;
      row[3] = err > 0 ? variance / err : Number.NaN;
      row[4] = kind.hasResolve ? other / n : Number.NaN;
      row[5] = kind.passFromError ? 1 - err / n : other / n;
      const out = this.samples[m] as Float64Array;
      for (let f = 0; f < figureNames.length; f++) out[f * this.resamples + b] = row[f] as number;
    }
  }

  /** Percentile interval of figure f of table m at `level`; null when under half the resamples define it. */
  interval(m: number, f: number, level: number): [number, number] | null {
    const all = (this.samples[m] as Float64Array).subarray(f * this.resamples, (f + 1) * this.resamples);
    const values = new Float64Array(all.length);
    let count = 0;
    for (let k = 0; k < all.length; k++) if (!Number.isNaN(all[k])) values[count++] = all[k] as number;
    if (count === 0 || count * 2 < this.resamples) return null;
    const tail = (1 - level) / 2;
    const defined = values.subarray(0, count);
    return [quantile(defined, tail), quantile(defined, 1 - tail)];
  }
}

/**
 * Linear-interpolation quantile (type 7, the default of R and numpy) of `values`, which it reorders: the two
 * order statistics needed are found by selection rather than a full sort.
 */
export function quantile(values: Float64Array, q: number): number {
  const h = (values.length - 1) * q;
  const lo = Math.floor(h);
  const low = select(values, lo);
  if (lo + 1 >= values.length) return low;
  let next = Infinity;
  for (let k = lo + 1; k < values.length; k++) if ((values[k] as number) < next) next = values[k] as number;
  return low + (h - lo) * (next - low);
}

/** Hoare's selection: reorders `values` so that values[k] is the k-th smallest, smaller ones before it, larger after. */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (left < right) {
    const pivot = values[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i] = values[j] as number;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k] as number;
}
