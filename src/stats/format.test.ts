import { describe, expect, it } from 'vitest';
import { formatEstimate } from './format.ts';

const estimate = { value: 0.3471, lo: 0.31249, hi: 0.3814 };

describe('formatEstimate', () => {
  it('writes a figure and its interval, the value alone without one, and a dash for no figure', () => {
    expect(formatEstimate(estimate)).toBe('0.347 [0.312, 0.381]');
    expect(formatEstimate({ ...estimate, lo: null, hi: null })).toBe('0.347');
    expect(formatEstimate({ value: null, lo: null, hi: null })).toBe('—');
    expect(formatEstimate(null)).toBe('—');
  });

  it("writes the value and bounds the caller's way: percentages in the report, 17 characters in the stats table", () => {
    const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(formatEstimate(estimate, { value: percent })).toBe('34.7% [31.2%, 38.1%]');
    const short = (x: number) => x.toFixed(3).replace(/^0\./, '.');
    expect(formatEstimate(estimate, { bound: short, separator: ',' })).toBe('0.347 [.312,.381]');
  });
});
