import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairedFigureNames, type PairedComparison, type PairedDiff } from '../stats/paired.ts';
import { defaultRegression } from './schema.ts';
import { describeBreach, judge } from './verdict.ts';

const diff = (value: number, lo: number, hi: number): PairedDiff => ({
  a: 0.5,
  b: 0.5 + value,
  diff: { value, lo, hi },
  correlation: null,
  p: { down: value < 0 ? 0.001 : 0.5, up: value > 0 ? 0.001 : 0.5 },
});
const flat = () =>
  Object.fromEntries(pairedFigureNames.map((n) => [n, diff(0, -0.01, 0.01)])) as PairedComparison['overall'];

function comparison(overall = flat(), bucket = flat()): PairedComparison {
  return {
    tasks: 10,
    onlyA: 0,
    onlyB: 0,
    level: 0.95,
    bucketLevel: 0.975,
    resamples: 100,
    overall,
    buckets: [
      { index: 0, range: [1, 5], tasks: 5, figures: flat() },
      { index: 1, range: [6, 30], tasks: 5, figures: bucket },
    ],
  };
}

describe('the regression verdict', () => {
  it('flags a drop past the threshold with its interval below zero, naming the bucket', () => {
    const bucket = { ...flat(), resolveRate: diff(-0.2, -0.3, -0.1) };
    const v = judge(comparison(flat(), bucket), { ...defaultRegression, buckets: true });
    expect(v.status).toBe('regression');
    expect(v.breaches).toHaveLength(1);
    expect(v.breaches[0]?.scope).toEqual({ bucket: 2, range: [6, 30] });
    expect(describeBreach(v.breaches[0] as NonNullable<(typeof v.breaches)[0]>)).toBe(
      'resolve_rate −0.200 [−0.300, −0.100] < −0.03 (bucket 2, actions 6.0–30.0)',
    );
    expect(judge(comparison(flat(), bucket), defaultRegression).status).toBe('ok');
  });

  it('needs both the size and the interval, in the bad direction only', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (value, half) => {
          const overall = {
            ...flat(),
            resolveRate: diff(value, value - half, value + half),
            incoherence: diff(-value, -value - half, -value + half),
          };
          const v = judge(comparison(overall), {
            level: 0.95,
            buckets: false,
            resolve_rate: { drop: 0.03 },
            incoherence: { rise: 0.05 },
          });
          const resolveBad = value < -0.03 && value + half < 0;
          const incoherenceBad = -value > 0.05 && -value - half > 0;
          expect(v.status).toBe(resolveBad || incoherenceBad ? 'regression' : 'ok');
        },
      ),
    );
  });

  it('has no baseline for a first night', () => {
    expect(judge(null, defaultRegression)).toEqual({ status: 'no_baseline', breaches: [] });
  });
});
