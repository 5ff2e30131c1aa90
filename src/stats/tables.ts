import { decomposeMoments, passCounts, unbiased, type Decomposition } from './decompose.ts';
import type { TaskMatrix } from './matrix.ts';
import type { LimitRule } from './types.ts';

/** Per-task columns of a TaskTable, `stride` values per task. */
export const ERR = 0;
export const BIAS = 1;
export const VAR = 2;
export const RESOLVE = 3;
export const PASS = 4;
export const stride = 5;

/**
 * Per-task figures of one view of the data (all tests, FAIL_TO_PASS only, one half of the median split, an
 * ensemble size…): E, B, V, resolve rate (NaN where meaningless) and pass rate, task after task, so that any
 * set of tasks — and any bootstrap resample of it — is summarised by plain sums.
 */
export interface TaskTable {
  readonly values: Float64Array;
  /** Rows (unrolls or ensembles) behind each task's figures. */
  readonly units: Float64Array;
}

export interface TableSet {
  readonly main: TaskTable;
  readonly other: TaskTable;
  readonly f2p: TaskTable;
  readonly p2p: TaskTable;
  readonly resolved: TaskTable;
  readonly below: TaskTable;
  readonly atOrAbove: TaskTable;
  /** One per ensemble size of the layout. */
  readonly ensembles: { readonly mean: TaskTable; readonly majority: TaskTable }[];
}

/** What does not change between bootstrap resamples: which rows and columns each view uses. */
export interface TableLayout {
  readonly rule: LimitRule;
  readonly unbiased: boolean;
  readonly allRows: Int32Array[];
  readonly belowRows: Int32Array[];
  readonly atOrAboveRows: Int32Array[];
  readonly f2pCols: Int32Array[];
  readonly p2pCols: Int32Array[];
  readonly ensembleSizes: readonly number[];
}

/** Picks the rows a view uses from its base rows: the rows themselves, or a bootstrap resample of them. */
export type RowPicker = (rows: Int32Array) => Int32Array;
const identityRows: RowPicker = (rows) => rows;

/** Each task's rows (all, below / at or above its median action count) and FAIL_TO_PASS / PASS_TO_PASS columns. */
export function tableLayout(
  tasks: readonly TaskMatrix[],
  rule: LimitRule,
  unbiasedVariance: boolean,
  ensembleSizes: readonly number[],
): TableLayout {
  const allRows: Int32Array[] = [];
  const belowRows: Int32Array[] = [];
  const atOrAboveRows: Int32Array[] = [];
  const f2pCols: Int32Array[] = [];
  const p2pCols: Int32Array[] = [];
  for (const task of tasks) {
    allRows.push(Int32Array.from({ length: task.rows }, (_, r) => r));
    const median = medianOf(task.actions);
    const below: number[] = [];
    const above: number[] = [];
    for (let r = 0; r < task.rows; r++) ((task.actions[r] as number) < median ? below : above).push(r);
    belowRows.push(Int32Array.from(below));
    atOrAboveRows.push(Int32Array.from(above));
    const f2p: number[] = [];
    const p2p: number[] = [];
    for (let j = 0; j < task.cols; j++) (task.isF2p[j] === 1 ? f2p : p2p).push(j);
    f2pCols.push(Int32Array.from(f2p));
    p2pCols.push(Int32Array.from(p2p));
  }
  return { rule, unbiased: unbiasedVariance, allRows, belowRows, atOrAboveRows, f2pCols, p2pCols, ensembleSizes };
}

/** Every view's per-task table, from the rows `pick` chooses for each task. */
export function buildTables(
  tasks: readonly TaskMatrix[],
  layout: TableLayout,
  pick: RowPicker = identityRows,
): TableSet {
  const n = tasks.length;
  const make = (): TaskTable => ({ values: new Float64Array(n * stride).fill(Number.NaN), units: new Float64Array(n) });
  const set: TableSet = {
    main: make(),
    other: make(),
    f2p: make(),
    p2p: make(),
    resolved: make(),
    below: make(),
    atOrAbove: make(),
    ensembles: layout.ensembleSizes.map(() => ({ mean: make(), majority: make() })),
  };
  const otherRule: LimitRule = layout.rule === 'grade' ? 'no_change' : 'grade';
  let counts = new Float64Array(64);
  const fix = (d: Decomposition, units: number): Decomposition => (layout.unbiased ? unbiased(d, units) : d);
  for (let i = 0; i < n; i++) {
    const task = tasks[i] as TaskMatrix;
    if (counts.length < task.cols) counts = new Float64Array(task.cols * 2);
    const y = task.y[layout.rule];
    const resolved = task.resolved[layout.rule];
    const rows = pick(layout.allRows[i] as Int32Array);

    passCounts(y, task.cols, rows, counts);
    const resolveRate = meanAt(resolved, rows);
    const main = fix(decomposeMoments(counts, counts, rows.length, undefined, task.cols), rows.length);
    put(set.main, i, main, resolveRate, 1 - main.error, rows.length);
    const f2pCols = layout.f2pCols[i] as Int32Array;
    const p2pCols = layout.p2pCols[i] as Int32Array;
    if (f2pCols.length > 0) {
      const d = fix(decomposeMoments(counts, counts, rows.length, f2pCols, task.cols), rows.length);
      put(set.f2p, i, d, Number.NaN, 1 - d.error, rows.length);
    }
    if (p2pCols.length > 0) {
      const d = fix(decomposeMoments(counts, counts, rows.length, p2pCols, task.cols), rows.length);
      put(set.p2p, i, d, Number.NaN, 1 - d.error, rows.length);
    }
    const p = resolveRate;
    put(
      set.resolved,
      i,
      fix({ error: 1 - p, bias2: (1 - p) * (1 - p), variance: p * (1 - p) }, rows.length),
      p,
      p,
      rows.length,
    );

    const otherY = task.y[otherRule];
    if (otherY !== y) passCounts(otherY, task.cols, rows, counts);
    const other = fix(decomposeMoments(counts, counts, rows.length, undefined, task.cols), rows.length);
    put(set.other, i, other, meanAt(task.resolved[otherRule], rows), 1 - other.error, rows.length);

    halfTable(set.below, i, task, y, resolved, pick(layout.belowRows[i] as Int32Array), counts, fix);
    halfTable(set.atOrAbove, i, task, y, resolved, pick(layout.atOrAboveRows[i] as Int32Array), counts, fix);

    ensembleTables(set.ensembles, i, task, y, rows, layout.ensembleSizes, fix);
  }
  return set;
}

function halfTable(
  table: TaskTable,
  i: number,
  task: TaskMatrix,
  y: Uint8Array,
  resolved: Uint8Array,
  rows: Int32Array,
  counts: Float64Array,
  fix: (d: Decomposition, units: number) => Decomposition,
): void {
  if (rows.length === 0) return;
  passCounts(y, task.cols, rows, counts);
  const d = fix(decomposeMoments(counts, counts, rows.length, undefined, task.cols), rows.length);
  put(table, i, d, meanAt(resolved, rows), 1 - d.error, rows.length);
}

/**
 * Disjoint ensembles of each size (1, 2, 4, …) made of consecutive rows; each predicts per test the mean of its
 * members (mean table) or pass when more than half its members pass (majority table; a tie fails). Member pass
 * counts of size 2m are the sums of consecutive pairs of size m, so every size costs one pass over the previous
 * one's counts. A size that leaves the task fewer than 2 ensembles stays NaN: the task is not in that size's set.
 */
function ensembleTables(
  tables: TableSet['ensembles'],
  i: number,
  task: TaskMatrix,
  y: Uint8Array,
  rows: Int32Array,
  sizes: readonly number[],
  fix: (d: Decomposition, units: number) => Decomposition,
): void {
  const cols = task.cols;
  let k = rows.length;
  let counts = ensembleScratch(0, 0);
  const s1 = new Float64Array(cols);
  const s2 = new Float64Array(cols);
  const votes = new Float64Array(cols);
  for (let s = 0; s < sizes.length; s++) {
    const size = sizes[s] as number;
    if (Math.floor(rows.length / size) < 2) return;
    s1.fill(0);
    s2.fill(0);
    votes.fill(0);
    let resolvedByVote = 0;
    if (s === 0) {
      // Single members predict their own 0/1 outcomes: q = q² = vote.
      for (let e = 0; e < k; e++) {
        const base = (rows[e] as number) * cols;
        let all = 1;
        for (let j = 0; j < cols; j++) {
          const c = y[base + j] as number;
          s1[j] = (s1[j] as number) + c;
          all &= c;
        }
        resolvedByVote += all;
      }
      s2.set(s1);
      votes.set(s1);
    } else {
      k = Math.floor(k / 2);
      const next = ensembleScratch(s % 2, k * cols);
      for (let e = 0; e < k; e++) {
        for (let j = 0; j < cols; j++) {
          next[e * cols + j] =
            s === 1
              ? (y[(rows[2 * e] as number) * cols + j] as number) +
                (y[(rows[2 * e + 1] as number) * cols + j] as number)
              : (counts[2 * e * cols + j] as number) + (counts[(2 * e + 1) * cols + j] as number);
        }
      }
      counts = next;
      const inverse = 1 / size;
      for (let e = 0; e < k; e++) {
        let all = 1;
        for (let j = 0; j < cols; j++) {
          const c = counts[e * cols + j] as number;
          const q = c * inverse;
          s1[j] = (s1[j] as number) + q;
          s2[j] = (s2[j] as number) + q * q;
          const vote = 2 * c > size ? 1 : 0;
          votes[j] = (votes[j] as number) + vote;
          all &= vote;
        }
        resolvedByVote += all;
      }
    }
    const table = tables[s] as TableSet['ensembles'][number];
    const mean = fix(decomposeMoments(s1, s2, k, undefined, cols), k);
    put(table.mean, i, mean, Number.NaN, sum(s1) / (k * cols), k);
    const majority = fix(decomposeMoments(votes, votes, k, undefined, cols), k);
    put(table.majority, i, majority, resolvedByVote / k, 1 - majority.error, k);
  }
}

const ensembleBuffers = [new Float64Array(0), new Float64Array(0)];
function ensembleScratch(which: number, length: number): Float64Array {
  if ((ensembleBuffers[which] as Float64Array).length < length) ensembleBuffers[which] = new Float64Array(length * 2);
  return ensembleBuffers[which] as Float64Array;
}

function put(table: TaskTable, i: number, d: Decomposition, resolve: number, pass: number, units: number): void {
  const at = i * stride;
  table.values[at + ERR] = d.error;
  table.values[at + BIAS] = d.bias2;
  table.values[at + VAR] = d.variance;
  table.values[at + RESOLVE] = resolve;
  table.values[at + PASS] = pass;
  table.units[i] = units;
}

function meanAt(values: Uint8Array, rows: Int32Array): number {
  let sum = 0;
  for (let k = 0; k < rows.length; k++) sum += values[rows[k] as number] as number;
  return sum / rows.length;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let k = 0; k < values.length; k++) total += values[k] as number;
  return total;
}

/** The median (mean of the middle two for an even count). */
export function medianOf(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
