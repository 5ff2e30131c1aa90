import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erf, explorePmf, exploreMedian, normalCdf, sampleMass } from './explore.ts';

describe('erf and the normal CDF', () => {
  it('match reference values to 1e-15', () => {
    const reference: [number, number][] = [
      [0, 0],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [-1.5, -0.9661051464753108],
      [3.5, 0.9999992569016276],
    ];
    for (const [x, value] of reference) expect(Math.abs(erf(x) - value)).toBeLessThan(1e-15);
    expect(Math.abs(normalCdf(1.959963984540054) - 0.975)).toBeLessThan(1e-15);
  });

  it('is odd and increasing', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (x, dx) => {
        expect(erf(-x)).toBe(-erf(x));
        expect(erf(x + dx)).toBeGreaterThanOrEqual(erf(x));
      }),
    );
  });
});

describe('explorePmf', () => {
  it('gives each integer the lognormal mass of [k - 1/2, k + 1/2), renormalised after clipping', () => {
    const pmf = explorePmf({ distribution: 'lognormal', median: 4, sigma: 0.5, min: 2, max: 9 });
    const cdf = (x: number): number => normalCdf((Math.log(x) - Math.log(4)) / 0.5);
    const total = cdf(9.5) - cdf(1.5);
    expect(pmf.map((m) => m.n)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    for (const { n, p } of pmf) expect(p).toBeCloseTo((cdf(n + 0.5) - cdf(n - 0.5)) / total, 14);
  });

  it('sums to one and stays in [min, max] for any lognormal', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 80 }),
        (median, sigma, min, span) => {
          const pmf = explorePmf({ distribution: 'lognormal', median, sigma, min, max: min + span + 1 });
          const sum = pmf.reduce((a, m) => a + m.p, 0);
          expect(sum).toBeCloseTo(1, 12);
          for (const m of pmf) {
            expect(m.n).toBeGreaterThanOrEqual(min);
            expect(m.n).toBeLessThanOrEqual(min + span + 1);
            expect(m.p).toBeGreaterThan(0);
          }
        },
      ),
    );
  });

  it('puts a zero-sigma lognormal on the rounded, clamped median', () => {
    expect(explorePmf({ distribution: 'lognormal', median: 6.5, sigma: 0, min: 0, max: 20 })).toEqual([{ n: 7, p: 1 }]);
    expect(explorePmf({ distribution: 'lognormal', median: 30, sigma: 0, min: 0, max: 20 })).toEqual([{ n: 20, p: 1 }]);
  });

  it('handles uniform and fixed, and names the drift pivot', () => {
    expect(explorePmf({ distribution: 'uniform', min: 3, max: 6 })).toEqual([3, 4, 5, 6].map((n) => ({ n, p: 0.25 })));
    expect(explorePmf({ distribution: 'fixed', value: 5 })).toEqual([{ n: 5, p: 1 }]);
    expect(exploreMedian({ distribution: 'uniform', min: 3, max: 6 })).toBe(4.5);
    expect(exploreMedian({ distribution: 'lognormal', median: 8, sigma: 1, min: 0, max: 9 })).toBe(8);
  });

  it('samples by inverse CDF', () => {
    const pmf = [
      { n: 1, p: 0.25 },
      { n: 2, p: 0.5 },
      { n: 7, p: 0.25 },
    ];
    expect([0, 0.2499, 0.25, 0.7499, 0.75, 0.999999].map((u) => sampleMass(pmf, u))).toEqual([1, 1, 2, 2, 7, 7]);
  });
});
