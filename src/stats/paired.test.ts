import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../util/rng.ts';
import {
  comparePaired,
  normalQuantile,
  pairTasks,
  pairedFigureNames,
  pearson,
  widening,
  type PairedTask,
  type TaskFigures,
} from './paired.ts';
import type { TaskRow } from './types.ts';

const figures = fc
  .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([p, r]): TaskFigures => {
    // One test passing with probability p: E = 1 − p, V = p(1 − p), B = (1 − p)²; resolve rate r.
    const variance = p * (1 - p);
    return { error: 1 - p, bias2: (1 - p) * (1 - p), variance, resolveRate: r, passRate: p };
  });

const taskSets = fc.array(fc.tuple(figures, figures, fc.double({ min: 1, max: 50, noNaN: true })), {
  minLength: 1,
  maxLength: 25,
});

const toPairs = (sets: [TaskFigures, TaskFigures, number][]): PairedTask[] =>
  sets.map(([a, b, length], i) => ({ instance_id: `t${String(i).padStart(3, '0')}`, a, b, length }));

describe('paired comparison', () => {
  it('finds no difference, with a zero-width interval, between a run and itself', () => {
    fc.assert(
      fc.property(taskSets, (sets) => {
        const pairs = toPairs(sets).map((p) => ({ ...p, b: p.a }));
        const result = comparePaired(pairs, { resamples: 50, buckets: 3 });
        for (const name of pairedFigureNames) {
          const d = result.overall[name].diff;
          if (d.value === null) continue;
          expect(d.value).toBeCloseTo(0, 12);
          expect(d.lo).toBeCloseTo(0, 12);
          expect(d.hi).toBeCloseTo(0, 12);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('negates the difference and mirrors its interval when the runs swap', () => {
    fc.assert(
      fc.property(taskSets, fc.integer({ min: 0, max: 1000 }), (sets, seed) => {
        const pairs = toPairs(sets);
        const swapped = pairs.map((p) => ({ ...p, a: p.b, b: p.a }));
        const x = comparePaired(pairs, { resamples: 80, seed });
        const y = comparePaired(swapped, { resamples: 80, seed });
        for (const name of pairedFigureNames) {
          const d = x.overall[name].diff;
          const e = y.overall[name].diff;
          if (d.value === null) continue;
          expect(e.value).toBeCloseTo(-d.value, 12);
          if (d.lo !== null) {
            expect(e.hi).toBeCloseTo(-d.lo, 12);
            expect(e.lo).toBeCloseTo(-(d.hi as number), 12);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('measures a shift of every task exactly, with the interval on it, and keeps the interval ordered', () => {
    fc.assert(
      fc.property(taskSets, fc.double({ min: -0.5, max: 0.5, noNaN: true }), (sets, shift) => {
        const pairs = toPairs(sets).map((p) => ({ ...p, b: { ...p.a, resolveRate: p.a.resolveRate + shift } }));
        const d = comparePaired(pairs, { resamples: 60 }).overall.resolveRate.diff;
        expect(d.value).toBeCloseTo(shift, 10);
        expect(d.lo).toBeCloseTo(shift, 10);
        expect(d.hi).toBeCloseTo(shift, 10);
        const any = comparePaired(toPairs(sets), { resamples: 60 }).overall.error.diff;
        expect(any.lo as number).toBeLessThanOrEqual(any.hi as number);
      }),
      { numRuns: 50 },
    );
  });

  it('splits the shared tasks into equal-count buckets by their mean action count over both runs', () => {
    const row = (id: string, actions: number, p: number): TaskRow =>
      ({
        instance_id: id,
        meanActions: actions,
        error: 1 - p,
        bias2: 0,
        variance: 0,
        resolveRate: p,
        passRate: p,
      }) as TaskRow;
    const a = [row('x', 2, 1), row('y', 10, 1), row('z', 30, 1), row('only-a', 5, 1)];
    const b = [row('x', 4, 1), row('y', 12, 0.5), row('z', 30, 0), row('only-b', 5, 1)];
    const { pairs, onlyA, onlyB } = pairTasks(a, b);
    expect([pairs.map((p) => p.instance_id), onlyA, onlyB]).toEqual([['x', 'y', 'z'], 1, 1]);
    const result = comparePaired(pairs, { buckets: 3, resamples: 100 });
    expect(result.buckets.map((k) => [k.range, k.figures.resolveRate.diff.value])).toEqual([
      [[3, 3], 0],
      [[11, 11], -0.5],
      [[30, 30], -1],
    ]);
  });

  it('gives exact swap-test p-values: 1/2^n for n tasks all moving one way', () => {
    const task = (i: number, r: number): PairedTask => ({
      instance_id: `t${i}`,
      a: { error: 0.5, bias2: 0.25, variance: 0.25, resolveRate: 0.5, passRate: 0.5 },
      b: { error: 0.5, bias2: 0.25, variance: 0.25, resolveRate: r, passRate: 0.5 },
      length: i,
    });
    const down = comparePaired([task(0, 0.1), task(1, 0.2), task(2, 0.3), task(3, 0.4)], { buckets: 1 });
    expect(down.overall.resolveRate.p).toEqual({ down: 1 / 16, up: 1 });
    const same = comparePaired([task(0, 0.5), task(1, 0.5)], { buckets: 1 });
    expect(same.overall.resolveRate.p).toEqual({ down: 1, up: 1 });
  });

  it('computes the Pearson correlation, null without spread', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1, 2], [1, 2])).toBeNull();
  });

  it('covers a known difference at the nominal 95% rate (constructed data)', () => {
    const rng = Rng.fromSeed(20261203);
    const normal = (): number => {
      const u = Math.max(rng.next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
    };
    const replications = 400;
    const tasks = 40;
    const truth = { resolveRate: -0.06, error: 0.04 };
    let covered = { resolveRate: 0, error: 0 };
    for (let rep = 0; rep < replications; rep++) {
      const pairs: PairedTask[] = Array.from({ length: tasks }, (_, i) => {
        const base = rng.next();
        const err = rng.next();
        const a: TaskFigures = { error: err, bias2: err / 2, variance: err / 2, resolveRate: base, passRate: 1 - err };
        // Per-task differences drawn around the known population mean, correlated with the task's own level.
        const dr = truth.resolveRate + 0.2 * normal();
        const de = truth.error + 0.15 * normal();
        const b: TaskFigures = {
          error: err + de,
          bias2: (err + de) / 2,
          variance: (err + de) / 2,
          resolveRate: base + dr,
          passRate: 1 - err - de,
        };
        return { instance_id: `t${i}`, a, b, length: i };
      });
      const result = comparePaired(pairs, { resamples: 1000, seed: rep, buckets: 1, swapDraws: 0 }).overall;
      for (const name of ['resolveRate', 'error'] as const) {
        const d = result[name].diff;
        if ((d.lo as number) <= truth[name] && truth[name] <= (d.hi as number))
          covered = { ...covered, [name]: covered[name] + 1 };
      }
    }
    const rates = { resolveRate: covered.resolveRate / replications, error: covered.error / replications };
    console.info(
      `paired bootstrap coverage of a known difference (nominal 0.95, ${replications} replications):`,
      rates,
    );
    // 400 replications: a binomial standard error of about 0.011 around 0.95; the percentile bootstrap of a mean
    // over 40 tasks, widened by √(n/(n−1)) · t/z.
    for (const rate of Object.values(rates)) {
      expect(rate).toBeGreaterThan(0.92);
      expect(rate).toBeLessThan(0.985);
    }
  });
});

describe('the interval widening', () => {
  it('uses the normal quantile and tends to 1 with many tasks', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    // √(40/39) · t_{39, .975} / z_{.975} = 1.01274 · 2.02269 / 1.95996
    expect(widening(40, 0.95)).toBeCloseTo((Math.sqrt(40 / 39) * 2.02269) / 1.959964, 3);
    expect(widening(10_000, 0.95)).toBeCloseTo(1, 3);
    expect(widening(1, 0.95)).toBe(1);
  });
});
