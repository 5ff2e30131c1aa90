/** One task's error E, bias² B and variance V (DESIGN.md §7), each a mean over the task's tests. */
export interface Decomposition {
  readonly error: number;
  readonly bias2: number;
  readonly variance: number;
}

/** Σ_r Y_rj over the rows listed in `rows` (repeats allowed, as in a bootstrap resample), written to `out`. */
export function passCounts(y: Uint8Array, cols: number, rows: ArrayLike<number>, out: Float64Array): Float64Array {
  out.fill(0, 0, cols);
  for (let i = 0; i < rows.length; i++) {
    const base = (rows[i] as number) * cols;
    for (let j = 0; j < cols; j++) out[j] = (out[j] as number) + (y[base + j] as number);
  }
  return out;
}

/**
 * Decomposition of n predictions per test against the target 1, from per-test sums of the predictions (s1) and
 * of their squares (s2), over the tests in `columns` (the first `width` when omitted). With q̄_j = s1_j / n:
 * E_j = mean_r (1 − q_rj)² = 1 − 2 q̄_j + s2_j / n, B_j = (1 − q̄_j)², V_j = mean_r (q_rj − q̄_j)² = s2_j / n − q̄_j²,
 * each averaged over the tests. For 0/1 outcomes s2 = s1, E_j = 1 − q̄_j and V_j = q̄_j (1 − q̄_j).
 */
export function decomposeMoments(
  s1: Float64Array,
  s2: Float64Array,
  n: number,
  columns: ArrayLike<number> | undefined,
  width: number,
): Decomposition {
  const size = columns === undefined ? width : columns.length;
  let error = 0;
  let bias2 = 0;
  let variance = 0;
  for (let k = 0; k < size; k++) {
    const j = columns === undefined ? k : (columns[k] as number);
    const p = (s1[j] as number) / n;
    const square = (s2[j] as number) / n;
    const miss = 1 - p;
    // Exact for 0/1 outcomes (square = p); clamped so rounding never makes a variance negative.
    const v = Math.max(0, square - p * p);
    error += miss * miss + v;
    bias2 += miss * miss;
    variance += v;
  }
  return { error: error / size, bias2: bias2 / size, variance: variance / size };
}

/**
 * The `unbiased` variant: V · n / (n − 1) for n samples, and B = E − V so that E = B + V still holds.
 * One sample carries no variance information: V stays 0.
 */
export function unbiased(d: Decomposition, n: number): Decomposition {
  if (n < 2) return d;
  const variance = (d.variance * n) / (n - 1);
  return { error: d.error, bias2: d.error - variance, variance };
}
