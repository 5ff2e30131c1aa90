import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gcraStep, type Rate } from './rate-limit.ts';

/** Feeds requests at the given times (each retried after its wait) and returns when each one went. */
function schedule(arrivals: number[], rate: Rate): number[] {
  let state = { tat: undefined as number | undefined };
  const sent: number[] = [];
  let clock = 0;
  for (const at of [...arrivals].sort((a, b) => a - b)) {
    let now = Math.max(at, clock);
    for (;;) {
      const step = gcraStep(state, now, rate);
      state = { tat: step.tat };
      if (step.waitMs === 0) break;
      now += step.waitMs;
    }
    clock = now;
    sent.push(now);
  }
  return sent;
}

describe('the shared limiter (GCRA)', () => {
  it('never lets more than burst + window/interval requests through in any window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(20_000), { maxLength: 60 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 20_000 }),
        (arrivals, perMinute, burst, window) => {
          const sent = schedule(arrivals, { perMinute, burst });
          const interval = 60_000 / perMinute;
          for (const start of sent) {
            const inWindow = sent.filter((t) => t >= start && t < start + window).length;
            expect(inWindow).toBeLessThanOrEqual(burst + Math.ceil(window / interval));
          }
        },
      ),
    );
  });

  it('lets a request through at once when the provider is idle', () => {
    expect(gcraStep({ tat: undefined }, 1000, { perMinute: 60, burst: 1 })).toEqual({ waitMs: 0, tat: 2000 });
    expect(gcraStep({ tat: 2000 }, 1500, { perMinute: 60, burst: 1 }).waitMs).toBe(500);
  });
});
