import type { ExploreSpec } from './spec-schema.ts';

/** One integer outcome and its probability. */
export interface Mass {
  readonly n: number;
  readonly p: number;
}

/**
 * The exact distribution of the exploration length N: the lognormal is discretised by rounding (integer k gets
 * the mass of [k − ½, k + ½)), clipped to [min, max] and renormalised. Sampling uses this same table, so the
 * sampled plans and the exact expectation agree by construction.
 */
export function explorePmf(explore: ExploreSpec): Mass[] {
  switch (explore.distribution) {
    case 'fixed':
      return [{ n: explore.value, p: 1 }];
    case 'uniform': {
      const count = explore.max - explore.min + 1;
      return Array.from({ length: count }, (_, i) => ({ n: explore.min + i, p: 1 / count }));
    }
    case 'lognormal':
      return lognormalPmf(explore.median, explore.sigma, explore.min, explore.max);
  }
}

/** The point past which drift starts: the distribution's median parameter (midpoint for uniform). */
export function exploreMedian(explore: ExploreSpec): number {
  switch (explore.distribution) {
    case 'fixed':
      return explore.value;
    case 'uniform':
      return (explore.min + explore.max) / 2;
    case 'lognormal':
      return explore.median;
  }
}

/** Inverse-CDF draw from a table, given a uniform u in [0, 1). */
export function sampleMass(pmf: readonly Mass[], u: number): number {
  let cumulative = 0;
  for (const { n, p } of pmf) {
    cumulative += p;
    if (u < cumulative) return n;
  }
  const last = pmf[pmf.length - 1];
  if (!last) throw new RangeError('empty distribution');
  return last.n;
}

function lognormalPmf(median: number, sigma: number, min: number, max: number): Mass[] {
  const clampedRound = Math.min(max, Math.max(min, Math.floor(median + 0.5)));
  if (sigma === 0) return [{ n: clampedRound, p: 1 }];
  const mu = Math.log(median);
  const cdf = (x: number): number => (x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma));
  // Far in a tail, a difference of two CDF values near 1 can round to zero or below: such a k gets no mass, and
  // the rest is normalised by what is kept, so that it sums to one.
  const kept: Mass[] = [];
  let total = 0;
  for (let k = min; k <= max; k++) {
    const p = cdf(k + 0.5) - cdf(k - 0.5);
    if (!(p > 0)) continue;
    kept.push({ n: k, p });
    total += p;
  }
  // All mass fell outside [min, max] to within double precision: the nearest end takes it.
  if (kept.length === 0) return [{ n: clampedRound, p: 1 }];
  return kept.map((m) => ({ n: m.n, p: m.p / total }));
}

export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/**
 * erf by its all-positive series erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (2n+1)!!, which has no
 * cancellation, so it is accurate to about 1e-16 absolute; beyond |x| = 6, erf is ±1 in double precision.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 1000; n++) {
    term *= (2 * ax * ax) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const value = (2 / Math.sqrt(Math.PI)) * Math.exp(-ax * ax) * sum;
  return Math.sign(x) * Math.min(1, value);
}
