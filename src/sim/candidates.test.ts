import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { candidateProbabilities, isCorrect, type Candidate } from './candidates.ts';

const candidateArb = fc.record({
  name: fc.string(),
  patch: fc.option(fc.constant('diff'), { nil: null }),
  // Zero or a weight a spec could hold: subnormal weights leave too few bits for the ratios checked below.
  weight: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 10, noNaN: true })),
  fails: fc.oneof(fc.constant([] as string[]), fc.constant(['t1'])),
});
const setArb = fc.array(candidateArb, { minLength: 1, maxLength: 6 }).filter((cs) => cs.some((c) => c.weight > 0.01));

const mass = (cs: readonly Candidate[], ps: readonly number[], correct: boolean): number =>
  cs.reduce((sum, c, i) => sum + (isCorrect(c) === correct ? (ps[i] as number) : 0), 0);

describe('candidateProbabilities (drift)', () => {
  it('is a distribution, and equals the plain weights at or below the median', () => {
    fc.assert(
      fc.property(
        setArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.integer({ min: 0, max: 100 }),
        (cs, drift, median, n) => {
          const ps = candidateProbabilities(cs, drift, median, n);
          expect(ps.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
          for (const p of ps) expect(p).toBeGreaterThanOrEqual(0);
          if (n <= median) {
            const total = cs.reduce((a, c) => a + c.weight, 0);
            cs.forEach((c, i) => expect(ps[i]).toBeCloseTo(c.weight / total, 12));
          }
        },
      ),
    );
  });

  it('moves drift of the correct weight per action past the median to the wrong candidates, pro rata, clamped at 0', () => {
    fc.assert(
      fc.property(
        setArb,
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 60 }),
        (cs, drift, median, n) => {
          const before = candidateProbabilities(cs, drift, median, median);
          const after = candidateProbabilities(cs, drift, median, n);
          const wrongBefore = mass(cs, before, false);
          const moved = wrongBefore > 0 ? Math.min(1, drift * Math.max(0, n - median)) : 0;
          expect(mass(cs, after, true)).toBeCloseTo(mass(cs, before, true) * (1 - moved), 12);
          // Wrong candidates keep their ratios to one another.
          cs.forEach((c, i) => {
            if (!isCorrect(c) && wrongBefore > 0)
              expect((after[i] as number) / mass(cs, after, false)).toBeCloseTo(
                (before[i] as number) / wrongBefore,
                12,
              );
          });
        },
      ),
    );
  });

  it('never increases the correct mass as exploration grows', () => {
    fc.assert(
      fc.property(
        setArb,
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 0, max: 40 }),
        (cs, drift, n) => {
          expect(mass(cs, candidateProbabilities(cs, drift, 5, n + 1), true)).toBeLessThanOrEqual(
            mass(cs, candidateProbabilities(cs, drift, 5, n), true) + 1e-12,
          );
        },
      ),
    );
  });

  it('matches a hand computation', () => {
    const cs: Candidate[] = [
      { name: 'gold', patch: 'g', weight: 0.6, fails: [] },
      { name: 'wrong', patch: 'w', weight: 0.25, fails: ['t'] },
      { name: 'noop', patch: null, weight: 0.15, fails: [] },
    ];
    // 3 actions past the median at drift 0.1: 30% of gold's 0.6 (0.18) goes to wrong and noop as 0.25 : 0.15.
    const ps = candidateProbabilities(cs, 0.1, 4, 7);
    expect(ps[0]).toBeCloseTo(0.42, 12);
    expect(ps[1]).toBeCloseTo(0.25 + 0.18 * (0.25 / 0.4), 12);
    expect(ps[2]).toBeCloseTo(0.15 + 0.18 * (0.15 / 0.4), 12);
    expect(candidateProbabilities(cs, 0.1, 4, 40)[0]).toBe(0);
  });
});
