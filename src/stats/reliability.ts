/**
 * Reliability figures beside the bias/variance decomposition, from each task's n unrolls of which c resolved:
 * pass@k (at least one of k unrolls resolves) and pass^k (all k resolve, τ-bench), each the unbiased estimator
 * over the n unrolls, i.e. the share of the C(n, k) subsets of k unrolls with that property; and the share of
 * tasks whose outcome flips between unrolls (0 < c < n).
 */

/** One task's count of unrolls and of resolved unrolls. */
export interface ResolveCount {
  readonly instance_id: string;
  readonly n: number;
  readonly c: number;
}

/** 1 − C(n − c, k) / C(n, k), as a product so that it never overflows. */
export function passAtK(n: number, c: number, k: number): number {
  checkCounts(n, c, k);
  if (n - c < k) return 1;
  let none = 1;
  for (let i = n - c + 1; i <= n; i++) none *= 1 - k / i;
  return 1 - none;
}

/** C(c, k) / C(n, k): the chance that k unrolls drawn without replacement all resolve. */
export function passHatK(n: number, c: number, k: number): number {
  checkCounts(n, c, k);
  if (c < k) return 0;
  let all = 1;
  for (let i = 0; i < k; i++) all *= (c - i) / (n - i);
  return all;
}

function checkCounts(n: number, c: number, k: number): void {
  if (!(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k) && n >= 1 && c >= 0 && c <= n))
    throw new RangeError(`bad counts n=${n} c=${c}`);
  if (k < 1 || k > n) throw new RangeError(`k=${k} must lie in 1…${n}`);
}

export interface TaskReliability {
  readonly instance_id: string;
  readonly n: number;
  readonly c: number;
  /** pass@k and pass^k for k = 1…n. */
  readonly passAtK: number[];
  readonly passHatK: number[];
  readonly flips: boolean;
}

export interface Reliability {
  /** k = 1…K, K the fewest unrolls any task has. */
  readonly k: number[];
  /** Mean over tasks of pass@k and pass^k. */
  readonly passAtK: number[];
  readonly passHatK: number[];
  /** Share of tasks with both resolved and unresolved unrolls. */
  readonly flipShare: number;
  readonly tasks: TaskReliability[];
}

export function reliability(counts: readonly ResolveCount[]): Reliability {
  if (counts.length === 0) throw new RangeError('no tasks');
  const kMax = Math.min(...counts.map((t) => t.n));
  const ks = Array.from({ length: kMax }, (_, i) => i + 1);
  const tasks = counts.map((t) => {
    const ns = Array.from({ length: t.n }, (_, i) => i + 1);
    return {
      instance_id: t.instance_id,
      n: t.n,
      c: t.c,
      passAtK: ns.map((k) => passAtK(t.n, t.c, k)),
      passHatK: ns.map((k) => passHatK(t.n, t.c, k)),
      flips: t.c > 0 && t.c < t.n,
    };
  });
  const meanAt = (pick: (t: TaskReliability) => number[], k: number): number =>
    tasks.reduce((sum, t) => sum + (pick(t)[k - 1] as number), 0) / tasks.length;
  return {
    k: ks,
    passAtK: ks.map((k) => meanAt((t) => t.passAtK, k)),
    passHatK: ks.map((k) => meanAt((t) => t.passHatK, k)),
    flipShare: tasks.filter((t) => t.flips).length / tasks.length,
    tasks,
  };
}

/** `pass@1 0.62 · pass@4 0.81 · pass^4 0.44 · flips 35%`: the reliability figures at k = 1 and the largest k. */
export function formatReliability(r: Reliability): string {
  const last = r.k.length;
  const at = (values: number[], k: number) => (values[k - 1] as number).toFixed(3);
  const parts = [`pass@1 ${at(r.passAtK, 1)}`];
  if (last > 1) parts.push(`pass@${last} ${at(r.passAtK, last)}`, `pass^${last} ${at(r.passHatK, last)}`);
  parts.push(`flips ${(r.flipShare * 100).toFixed(0)}% of tasks`);
  return parts.join(' · ');
}
