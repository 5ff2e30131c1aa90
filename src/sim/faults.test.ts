import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { drawFaults, faultsSchema, parseFaultsArg } from './faults.ts';

describe('faults', () => {
  it('parses the CLI form and names bad settings', () => {
    expect(parseFaultsArg('rate429=0.2, retryAfterSeconds=1.5,slowMs=300')).toMatchObject({
      rate429: 0.2,
      retryAfterSeconds: 1.5,
      slowMs: 300,
      rate500: 0,
      rate529: 0,
    });
    expect(() => parseFaultsArg('rate429')).toThrow(UsageError);
    expect(() => parseFaultsArg('rate429=2')).toThrow(/rate429/);
    expect(() => parseFaultsArg('rate999=0.1')).toThrow(/rate999/);
    expect(() => parseFaultsArg('rate429=0.6,rate500=0.6')).toThrow(/must not exceed 1/);
    expect(() => parseFaultsArg('rate429=0.5,rate529=0.6')).toThrow(
      /rate529 \+ truncatedBodyRate \+ rate401 must not exceed 1/,
    );
    expect(() => parseFaultsArg('malformedToolCallRate=0.5,unknownToolRate=0.6')).toThrow(
      /malformedToolCallRate \+ unknownToolRate must not exceed 1/,
    );
  });

  it('draws each kind at its rate, deterministically, and none past maxConsecutive', () => {
    const faults = faultsSchema.parse({
      rate429: 0.2,
      rate500: 0.1,
      rate529: 0.15,
      truncatedBodyRate: 0.1,
      rate401: 0.05,
      malformedToolCallRate: 0.3,
      unknownToolRate: 0.2,
      slowRate: 0.5,
    });
    const counts = {
      rate_limit: 0,
      server_error: 0,
      overloaded: 0,
      truncated: 0,
      unauthorized: 0,
      none: 0,
      malformed: 0,
      unknown_tool: 0,
      slow: 0,
    };
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const draw = drawFaults(faults, ['anthropic', 'x', i, 0], 0, 0);
      expect(drawFaults(faults, ['anthropic', 'x', i, 0], 0, 0)).toEqual(draw);
      counts[draw.http] += 1;
      if (draw.flaw) counts[draw.flaw] += 1;
      if (draw.slow) counts.slow += 1;
    }
    const near = (count: number, p: number): void =>
      expect(Math.abs(count / n - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / n));
    near(counts.rate_limit, 0.2);
    near(counts.server_error, 0.1);
    near(counts.overloaded, 0.15);
    near(counts.truncated, 0.1);
    near(counts.unauthorized, 0.05);
    near(counts.malformed, 0.3);
    near(counts.unknown_tool, 0.2);
    near(counts.slow, 0.5);
    const always = faultsSchema.parse({ rate429: 1, malformedToolCallRate: 1, maxConsecutive: 2 });
    expect([0, 1, 2, 3].map((attempt) => drawFaults(always, ['k'], attempt, 0).http)).toEqual([
      'rate_limit',
      'rate_limit',
      'none',
      'none',
    ]);
    expect([0, 1, 2].map((errors) => drawFaults(always, ['k'], 0, errors).flaw)).toEqual([
      'malformed',
      'malformed',
      undefined,
    ]);
    const unknown = faultsSchema.parse({ rate529: 1, unknownToolRate: 1, maxConsecutive: 1 });
    expect([0, 1].map((attempt) => drawFaults(unknown, ['k'], attempt, 0).http)).toEqual(['overloaded', 'none']);
    expect([0, 1].map((errors) => drawFaults(unknown, ['k'], 0, errors).flaw)).toEqual(['unknown_tool', undefined]);
  });

  it('keeps the draws of settings that use no new kind', () => {
    const before = faultsSchema.parse({ rate429: 0.3, malformedToolCallRate: 0.4 });
    const after = faultsSchema.parse({ rate429: 0.3, rate529: 0.2, malformedToolCallRate: 0.4, unknownToolRate: 0.2 });
    for (let i = 0; i < 500; i++) {
      const a = drawFaults(before, ['k', i], 0, 0);
      const b = drawFaults(after, ['k', i], 0, 0);
      if (a.http !== 'none') expect(b.http).toBe(a.http);
      if (a.flaw) expect(b.flaw).toBe(a.flaw);
    }
  });
});
