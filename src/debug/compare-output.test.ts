import { describe, expect, it } from 'vitest';
import { firstDifference, maskTimings } from './compare-output.ts';

describe('replay output comparison', () => {
  it('masks test runners’ timings but not other numbers', () => {
    expect(maskTimings('===== 5 passed in 0.03s =====')).toBe(maskTimings('===== 5 passed in 1.20s ====='));
    expect(maskTimings('# duration_ms 12.5')).toBe(maskTimings('# duration_ms 3.25'));
    expect(maskTimings('Ran 3 tests in 0.001s')).toBe(maskTimings('Ran 3 tests in 0.010s'));
    expect(maskTimings('0.8447')).not.toBe(maskTimings('0.1234'));
    expect(maskTimings('5 passed in 0.03s')).not.toBe(maskTimings('4 passed in 0.03s'));
  });

  it('names the first line that differs', () => {
    expect(firstDifference('a\nb\nc', 'a\nb\nc')).toBeUndefined();
    expect(firstDifference('a\nb\nc', 'a\nx\nc')).toEqual({ line: 2, recorded: 'b', replayed: 'x' });
    expect(firstDifference('a', 'a\nmore')).toEqual({ line: 2, recorded: '(no line)', replayed: 'more' });
  });
});
