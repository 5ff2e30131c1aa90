import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categoryScore, gradeTests, lookupStatus, resolutionOf } from './grade.ts';
import type { Era, StatusMap } from './status.ts';

const lists = { FAIL_TO_PASS: ['f1', 'f2'], PASS_TO_PASS: ['p1', 'p2'] };
const map = (entries: Array<[string, string]>): StatusMap => new Map(entries);

describe('gradeTests', () => {
  it('sorts tests into success and failure; absent tests fail (MISSING)', () => {
    const graded = gradeTests(
      map([
        ['f1', 'PASSED'],
        ['f2', 'FAILED'],
        ['p1', 'XFAIL'],
        ['p2', 'PASSED'],
      ]),
      lists,
      { era: 'v2' },
    );
    expect(graded.testsStatus.FAIL_TO_PASS).toEqual({ success: ['f1'], failure: ['f2'] });
    expect(graded.testsStatus.PASS_TO_PASS).toEqual({ success: ['p1', 'p2'], failure: [] });
    expect(graded.testsStatus.FAIL_TO_FAIL).toEqual({ success: [], failure: [] });
    expect(graded.resolution).toBe('PARTIAL');
    const none = gradeTests(map([]), lists, { era: 'v2' });
    expect(none.resolution).toBe('NO');
    expect(none.outcomes.every((o) => o.status === 'MISSING' && !o.pass)).toBe(true);
  });

  it('drops SKIPPED tests from both lists in v2, so an all-skipped FAIL_TO_PASS resolves', () => {
    const graded = gradeTests(
      map([
        ['f1', 'SKIPPED'],
        ['f2', 'SKIPPED'],
        ['p1', 'PASSED'],
        ['p2', 'SKIPPED'],
      ]),
      lists,
      { era: 'v2' },
    );
    expect(graded.testsStatus.FAIL_TO_PASS).toEqual({ success: [], failure: [] });
    expect(graded.testsStatus.PASS_TO_PASS).toEqual({ success: ['p1'], failure: [] });
    expect(graded.resolution).toBe('FULL');
    expect(graded.outcomes.map((o) => [o.id, o.category, o.status, o.pass])).toEqual([
      ['f1', 'FAIL_TO_PASS', 'SKIPPED', true],
      ['f2', 'FAIL_TO_PASS', 'SKIPPED', true],
      ['p1', 'PASS_TO_PASS', 'PASSED', true],
      ['p2', 'PASS_TO_PASS', 'SKIPPED', true],
    ]);
  });

  it('fails a SKIPPED FAIL_TO_PASS test and keeps a SKIPPED PASS_TO_PASS test in v5', () => {
    const graded = gradeTests(
      map([
        ['f1', 'SKIPPED'],
        ['f2', 'PASSED'],
        ['p1', 'SKIPPED'],
        ['p2', 'PASSED'],
      ]),
      lists,
      { era: 'v5' },
    );
    expect(graded.testsStatus.FAIL_TO_PASS).toEqual({ success: ['f2'], failure: ['f1'] });
    expect(graded.testsStatus.PASS_TO_PASS).toEqual({ success: ['p1', 'p2'], failure: [] });
    expect(graded.resolution).toBe('PARTIAL');
  });

  it('treats a non-status token as neither success nor failure and reports it as SKIPPED', () => {
    const graded = gradeTests(
      map([
        ['f1', 'b]'],
        ['f2', 'PASSED'],
        ['p1', 'PASSED'],
        ['p2', 'PASSED'],
      ]),
      lists,
      { era: 'v2' },
    );
    expect(graded.testsStatus.FAIL_TO_PASS).toEqual({ success: ['f2'], failure: [] });
    expect(graded.outcomes[0]).toEqual({ id: 'f1', category: 'FAIL_TO_PASS', status: 'SKIPPED', pass: true });
  });

  it('fails only explicit FAILED tests under fail_only', () => {
    const graded = gradeTests(
      map([
        ['f1', 'ERROR'],
        ['f2', 'FAILED'],
      ]),
      lists,
      { era: 'v5', evalType: 'fail_only' },
    );
    expect(graded.testsStatus.FAIL_TO_PASS).toEqual({ success: ['f1'], failure: ['f2'] });
    expect(graded.testsStatus.PASS_TO_PASS).toEqual({ success: ['p1', 'p2'], failure: [] });
  });
});

describe('lookupStatus', () => {
  const truncated = 'tests/test_a.py::test_p[a';
  const keys = map([
    ['tests/test_a.py::test_p[a b]', 'PASSED'],
    ['tests/test_a.py::test_p[a c]', 'XFAIL'],
    ['tests/test_b.py::test_q[x y]', 'PASSED'],
    ['tests/test_b.py::test_q[x z]', 'FAILED'],
  ]);

  it('resolves a truncated parametrised id by prefix in v5 when the candidates agree', () => {
    expect(lookupStatus(keys, truncated, 'v5')).toBe('PASSED');
    expect(lookupStatus(keys, truncated, 'v2')).toBeUndefined();
  });

  it('treats disagreeing candidates, no candidates or a balanced id as missing', () => {
    expect(lookupStatus(keys, 'tests/test_b.py::test_q[x', 'v5')).toBeUndefined();
    expect(lookupStatus(keys, 'tests/test_c.py::test_r[x', 'v5')).toBeUndefined();
    expect(lookupStatus(keys, 'tests/test_a.py::test_p', 'v5')).toBeUndefined();
  });
});

describe('resolution', () => {
  it('scores an empty category as 1, as the harness does', () => {
    expect(categoryScore({ success: [], failure: [] })).toBe(1);
    const empty = { success: [], failure: [] };
    expect(
      resolutionOf({
        FAIL_TO_PASS: empty,
        PASS_TO_PASS: { success: [], failure: ['p'] },
        FAIL_TO_FAIL: empty,
        PASS_TO_FAIL: empty,
      }),
    ).toBe('NO');
  });
});

const statusArb = fc.constantFrom<string | undefined>('PASSED', 'FAILED', 'SKIPPED', 'ERROR', 'XFAIL', 'b]', undefined);
const caseArb = fc
  .record({
    f2p: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 8 }),
    p2p: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 8 }),
    era: fc.constantFrom<Era>('v2', 'v5'),
    seed: fc.array(statusArb, { minLength: 16, maxLength: 16 }),
  })
  .filter(({ f2p, p2p }) => f2p.every((id) => !p2p.includes(id)))
  .map(({ f2p, p2p, era, seed }) => {
    const statuses: StatusMap = new Map();
    [...f2p, ...p2p].forEach((id, i) => {
      const status = seed[i % seed.length];
      if (status !== undefined) statuses.set(id, status);
    });
    return { lists: { FAIL_TO_PASS: f2p, PASS_TO_PASS: p2p }, era, statuses };
  });

describe('grading laws', () => {
  it('never puts a test in both success and failure, and keeps the list order', () => {
    fc.assert(
      fc.property(caseArb, ({ lists: l, era, statuses }) => {
        const { testsStatus } = gradeTests(statuses, l, { era });
        for (const cat of ['FAIL_TO_PASS', 'PASS_TO_PASS'] as const) {
          const { success, failure } = testsStatus[cat];
          expect(success.filter((id) => failure.includes(id))).toEqual([]);
          expect(success).toEqual(l[cat].filter((id) => success.includes(id)));
          expect(failure).toEqual(l[cat].filter((id) => failure.includes(id)));
        }
      }),
    );
  });

  it('resolves FULL exactly when every test passes', () => {
    fc.assert(
      fc.property(caseArb, ({ lists: l, era, statuses }) => {
        const { resolution, outcomes } = gradeTests(statuses, l, { era });
        expect(resolution === 'FULL').toBe(outcomes.every((o) => o.pass));
      }),
    );
  });

  it('resolves PARTIAL exactly when PASS_TO_PASS holds and some but not all FAIL_TO_PASS tests fail', () => {
    fc.assert(
      fc.property(caseArb, ({ lists: l, era, statuses }) => {
        const { resolution, testsStatus } = gradeTests(statuses, l, { era });
        const f2p = testsStatus.FAIL_TO_PASS;
        const partial =
          testsStatus.PASS_TO_PASS.failure.length === 0 && f2p.success.length > 0 && f2p.failure.length > 0;
        expect(resolution === 'PARTIAL').toBe(partial);
      }),
    );
  });

  it('gives one outcome per listed test; a failing outcome is exactly a test in a failure list', () => {
    fc.assert(
      fc.property(caseArb, ({ lists: l, era, statuses }) => {
        const { outcomes, testsStatus } = gradeTests(statuses, l, { era });
        expect(outcomes.map((o) => o.id)).toEqual([...l.FAIL_TO_PASS, ...l.PASS_TO_PASS]);
        for (const o of outcomes) expect(!o.pass).toBe(testsStatus[o.category].failure.includes(o.id));
      }),
    );
  });
});
