import { describe, expect, it } from 'vitest';
import { compareRuns, type ValidationRun } from './compare.ts';

const lists = { FAIL_TO_PASS: ['f1', 'f2'], PASS_TO_PASS: ['p1', 'p2'] };
const compare = (check: string, expectedFails: string[], runs: ValidationRun[]) =>
  compareRuns('demo__v-1', lists, check, expectedFails, runs);

describe('compare (validation of one patch)', () => {
  it('accepts observed failures equal to the declared ones, in every repeat', () => {
    const c = compare(
      'wrong',
      ['f2', 'p1'],
      [
        { gradingStatus: 'graded', fails: ['p1', 'f2'] },
        { gradingStatus: 'graded', fails: ['f2', 'p1'] },
      ],
    );
    expect(c).toMatchObject({ ok: true, unexpectedFails: [], unexpectedPasses: [], flaky: [] });
  });

  it('names unexpected failures and unexpected passes', () => {
    const c = compare('wrong', ['f2'], [{ gradingStatus: 'graded', fails: ['p2'] }]);
    expect(c).toMatchObject({ ok: false, unexpectedFails: ['p2'], unexpectedPasses: ['f2'] });
  });

  it('names a test whose outcome changes between repeats as flaky', () => {
    const c = compare(
      'gold',
      [],
      [
        { gradingStatus: 'graded', fails: [] },
        { gradingStatus: 'graded', fails: ['p2'] },
        { gradingStatus: 'graded', fails: [] },
      ],
    );
    expect(c.flaky).toEqual(['p2']);
    expect(c.ok).toBe(false);
  });

  it('does not compare an ungraded run test by test, and says why', () => {
    const c = compare('gold', [], [{ gradingStatus: 'patch_failed', fails: [] }]);
    expect(c.ok).toBe(false);
    expect(c.problem).toBe('grading ended as patch_failed');
    const cut = compare('gold', [], [{ gradingStatus: 'unparsed', fails: [], detail: 'the log was cut' }]);
    expect(cut.problem).toBe('grading ended as unparsed (the log was cut)');
  });

  it('ignores ungraded runs when looking for flaky tests, and names the infrastructure error', () => {
    const c = compare(
      'gold',
      [],
      [
        { gradingStatus: 'graded', fails: [] },
        { gradingStatus: 'error', fails: [], error: 'engine gone' },
        { gradingStatus: 'test_timeout', fails: [] },
      ],
    );
    expect(c).toMatchObject({ ok: false, flaky: [], unexpectedFails: [] });
    expect(c.problem).toBe('grading ended as error: engine gone; grading ended as test_timeout');
  });

  it('flags declared tests that the task does not list', () => {
    const c = compare('wrong', ['f1', 'typo'], [{ gradingStatus: 'graded', fails: ['f1'] }]);
    expect(c.ok).toBe(false);
    expect(c.problem).toMatch(/typo/);
  });

  it('says when tests fail only because the log never names them, pointing at their ids and the parser', () => {
    const spaced = { FAIL_TO_PASS: ['t.py::f[a b]'], PASS_TO_PASS: ['t.py::p'], parser: 'parse_log_pytest' };
    const c = compareRuns(
      'demo__v-1',
      spaced,
      'gold',
      [],
      [{ gradingStatus: 'graded', fails: ['t.py::f[a b]'], missing: ['t.py::f[a b]'] }],
    );
    expect(c.ok).toBe(false);
    expect(c.unexpectedFails).toEqual(['t.py::f[a b]']);
    expect(c.problem).toMatch(
      /^1 listed test\(s\) never appear in the log as parsed by parse_log_pytest, .*t\.py::f\[a b\].*first space/,
    );
    // A declared failure that is missing is what the check expects: no problem.
    const empty = compareRuns(
      'demo__v-1',
      spaced,
      'empty',
      ['t.py::f[a b]'],
      [{ gradingStatus: 'graded', fails: ['t.py::f[a b]'], missing: ['t.py::f[a b]'] }],
    );
    expect(empty).toMatchObject({ ok: true });
    expect(empty.problem).toBeUndefined();
  });
});
