import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { drawFaults, faultsSchema, parseFaultsArg } from './faults.ts';

describe('faults', () => {
  it('parses the CLI form and names bad settings', () => {
    expect(parseFaultsArg('rate429=0.2, retryAfterSeconds=1.5,slowMs=300')).toMatchObject({ rate429: 0.2, retryAfterSeconds: 1.5, slowMs: 300, rate500: 0 });
    expect(() => parseFaultsArg('rate429')).toThrow(UsageError);
    expect(() => parseFaultsArg('rate429=2')).toThrow(/rate429/);
    expect(() => parseFaultsArg('rate999=0.1')).toThrow(/rate999/);
    expect(() => parseFaultsArg('rate429=0.6,rate500=0.6')).toThrow(/must not exceed 1/);
  });

  it('draws each kind at its rate, deterministically, and none past maxConsecutive', () => {
    const faults = faultsSchema.parse({ rate429: 0.2, rate500: 0.1, truncatedBodyRate: 0.1, malformedToolCallRate: 0.3, slowRate: 0.5 });
    const counts = { rate_limit: 0, server_error: 0, truncated: 0, none: 0, malformed: 0, slow: 0 };
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const draw = drawFaults(faults, ['anthropic', 'x', i, 0], 0, 0);
      expect(drawFaults(faults, ['anthropic', 'x', i, 0], 0, 0)).toEqual(draw);
      counts[draw.http] += 1;
      if (draw.malformed) counts.malformed += 1;
      if (draw.slow) counts.slow += 1;
    }
    const near = (count: number, p: number): void => expect(Math.abs(count / n - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / n));
    near(counts.rate_limit, 0.2);
    near(counts.server_error, 0.1);
    near(counts.truncated, 0.1);
    near(counts.malformed, 0.3);
    near(counts.slow, 0.5);
    const always = faultsSchema.parse({ rate429: 1, malformedToolCallRate: 1, maxConsecutive: 2 });
    expect([0, 1, 2, 3].map((attempt) => drawFaults(always, ['k'], attempt, 0).http)).toEqual(['rate_limit', 'rate_limit', 'none', 'none']);
    expect([0, 1, 2].map((errors) => drawFaults(always, ['k'], 0, errors).malformed)).toEqual([true, true, false]);
  });
});
