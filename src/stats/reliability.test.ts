import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passAtK, passHatK, reliability } from './reliability.ts';

/** The share of k-subsets of n unrolls (c resolved) with at least one / all resolved, by enumeration. */
function bySubsets(n: number, c: number, k: number): { any: number; all: number } {
  let total = 0;
  let any = 0;
  let all = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let size = 0;
    let hits = 0;
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        size++;
        if (i < c) hits++;
      }
    }
    if (size !== k) continue;
    total++;
    if (hits > 0) any++;
    if (hits === k) all++;
  }
  return { any: any / total, all: all / total };
}

const counts = fc
  .integer({ min: 1, max: 9 })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n }), fc.integer({ min: 1, max: n })));

describe('pass@k and pass^k', () => {
  it('are the shares of k-subsets of the unrolls with one / all resolved (unbiased)', () => {
    fc.assert(
      fc.property(counts, ([n, c, k]) => {
        const exact = bySubsets(n, c, k);
        expect(passAtK(n, c, k)).toBeCloseTo(exact.any, 12);
        expect(passHatK(n, c, k)).toBeCloseTo(exact.all, 12);
      }),
    );
  });

  it('agree at k = 1, and pass@k rises while pass^k falls with k', () => {
    fc.assert(
      fc.property(counts, ([n, c]) => {
        expect(passAtK(n, c, 1)).toBeCloseTo(c / n, 12);
        expect(passHatK(n, c, 1)).toBeCloseTo(c / n, 12);
        for (let k = 2; k <= n; k++) {
          expect(passAtK(n, c, k)).toBeGreaterThanOrEqual(passAtK(n, c, k - 1) - 1e-12);
          expect(passHatK(n, c, k)).toBeLessThanOrEqual(passHatK(n, c, k - 1) + 1e-12);
          expect(passHatK(n, c, k)).toBeLessThanOrEqual(passAtK(n, c, k) + 1e-12);
        }
      }),
    );
  });

  it('refuses k outside 1…n', () => {
    expect(() => passAtK(4, 2, 5)).toThrow(RangeError);
    expect(() => passHatK(4, 2, 0)).toThrow(RangeError);
  });
});

describe('reliability over tasks', () => {
  it('averages over tasks up to the fewest unrolls, and counts the tasks that flip', () => {
    const r = reliability([
      { instance_id: 'a', n: 4, c: 4 },
      { instance_id: 'b', n: 4, c: 0 },
      { instance_id: 'c', n: 5, c: 2 },
    ]);
    expect(r.k).toEqual([1, 2, 3, 4]);
    expect(r.passAtK[0]).toBeCloseTo((1 + 0 + 0.4) / 3, 12);
    expect(r.passHatK[3]).toBeCloseTo((1 + 0 + 0) / 3, 12);
    expect(r.flipShare).toBeCloseTo(1 / 3, 12);
    expect(r.tasks[2]?.passAtK).toHaveLength(5);
  });
});
