import { describe, expect, it } from 'vitest';
import { outcomesWithoutResults } from './no-change.ts';

const lists = { FAIL_TO_PASS: ['f'], PASS_TO_PASS: ['p'] };
const seen = (status: Parameters<typeof outcomesWithoutResults>[0]) =>
  outcomesWithoutResults(status, lists).map((o) => [o.id, o.category, o.status, o.pass]);

describe('outcomes without per-test results', () => {
  it('leave the repository unchanged when the patch did not apply', () => {
    expect(seen('patch_failed')).toEqual([
      ['f', 'FAIL_TO_PASS', 'MISSING', false],
      ['p', 'PASS_TO_PASS', 'MISSING', true],
    ]);
  });

  it('pass nothing when the tests timed out or left no readable result', () => {
    for (const status of ['test_timeout', 'unparsed'] as const) {
      expect(seen(status)).toEqual([
        ['f', 'FAIL_TO_PASS', 'MISSING', false],
        ['p', 'PASS_TO_PASS', 'MISSING', false],
      ]);
    }
  });
});
