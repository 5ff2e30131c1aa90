import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costBound, type CostBoundInput } from './cost-bound.ts';

const base: CostBoundInput = {
  price: { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  unrolls: 100,
  attempts: 1,
  maxCostUsd: 2,
  maxMessages: 250,
  concurrency: 4,
  contextTokens: 200_000,
  outputTokens: 8192,
};

describe('costBound', () => {
  it('an unroll may spend --max-cost plus the turn that reaches it, at the dearest input rate', () => {
    const bound = costBound(base);
    const turn = (200_000 * 3.75 + 8192 * 15) / 1e6;
    expect(bound?.turnUsd).toBeCloseTo(turn, 12);
    expect(bound?.unrollUsd).toBeCloseTo(2 + turn, 12);
    expect(bound?.runUsd).toBeCloseTo(100 * (2 + turn), 9);
    expect(bound?.by).toBe('max-cost');
  });

  it('counts every attempt, bounds by the message limit without --max-cost, and caps by --max-run-cost', () => {
    const turn = (200_000 * 3.75 + 8192 * 15) / 1e6;
    expect(costBound({ ...base, attempts: 3 })?.unrollUsd).toBeCloseTo(3 * (2 + turn), 12);
    expect(costBound({ ...base, maxCostUsd: 0 })).toMatchObject({ by: 'messages' });
    expect(costBound({ ...base, maxCostUsd: 0 })?.unrollUsd).toBeCloseTo(250 * turn, 9);
    const capped = costBound({ ...base, maxRunCostUsd: 10 });
    expect(capped?.by).toBe('max-run-cost');
    expect(capped?.runUsd).toBeCloseTo(10 + 4 * (2 + turn), 9);
    // A run limit above what the unrolls can spend changes nothing.
    expect(costBound({ ...base, maxRunCostUsd: 1e6 })?.by).toBe('max-cost');
  });

  it('cannot bound a model the price table does not know; a free model costs nothing', () => {
    expect(costBound({ ...base, price: undefined })).toBeUndefined();
    expect(costBound({ ...base, price: { input: 0, output: 0 } })?.runUsd).toBe(0);
  });

  it('never exceeds any of its limits, and grows with the unrolls', () => {
    const money = fc.double({ min: 0, max: 100, noNaN: true });
    fc.assert(
      fc.property(
        fc.record({
          input: money,
          output: money,
          unrolls: fc.integer({ min: 0, max: 10_000 }),
          attempts: fc.integer({ min: 1, max: 4 }),
          maxCostUsd: money,
          maxMessages: fc.integer({ min: 1, max: 500 }),
          maxRunCostUsd: fc.option(fc.double({ min: 0.01, max: 1000, noNaN: true }), { nil: undefined }),
          concurrency: fc.integer({ min: 1, max: 64 }),
          outputTokens: fc.integer({ min: 1, max: 100_000 }),
        }),
        (r) => {
          const input = { ...base, ...r, price: { input: r.input, output: r.output } };
          const bound = costBound(input) as NonNullable<ReturnType<typeof costBound>>;
          const slack = 1e-9 * (1 + bound.runUsd);
          expect(bound.runUsd).toBeLessThanOrEqual(r.unrolls * bound.unrollUsd + slack);
          expect(bound.unrollUsd).toBeLessThanOrEqual(r.attempts * r.maxMessages * bound.turnUsd + slack);
          if (r.maxCostUsd > 0)
            expect(bound.unrollUsd).toBeLessThanOrEqual(r.attempts * (r.maxCostUsd + bound.turnUsd) + slack);
          if (r.maxRunCostUsd !== undefined)
            expect(bound.runUsd).toBeLessThanOrEqual(r.maxRunCostUsd + r.concurrency * bound.unrollUsd + slack);
          const more = costBound({ ...input, unrolls: r.unrolls + 1 }) as NonNullable<ReturnType<typeof costBound>>;
          expect(more.runUsd + slack).toBeGreaterThanOrEqual(bound.runUsd);
        },
      ),
    );
  });
});
