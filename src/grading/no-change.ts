import type { Resolution, TestOutcome } from '../store/unroll-record.ts';
import type { TestLists } from './grade.ts';

/**
 * The outcome of leaving the repository as it was (the paper's rule for unrolls stopped by a limit, and
 * hotmess's for an empty patch): every FAIL_TO_PASS test fails, every PASS_TO_PASS test passes. Statuses are
 * MISSING: no log was read.
 */
export function noChangeOutcomes(lists: TestLists): TestOutcome[] {
  return [
    ...lists.FAIL_TO_PASS.map((id) => ({
      id,
      category: 'FAIL_TO_PASS' as const,
      status: 'MISSING' as const,
      pass: false,
    })),
    ...lists.PASS_TO_PASS.map((id) => ({
      id,
      category: 'PASS_TO_PASS' as const,
      status: 'MISSING' as const,
      pass: true,
    })),
  ];
}

/**
 * The listed tests of an outcome without per-test results, so that every record names its task's tests
 * (statistics need no dataset to count it): a patch that did not apply leaves the repository unchanged; a
 * run without results passed nothing.
 */
export function outcomesWithoutResults(
  status: 'patch_failed' | 'test_timeout' | 'unparsed',
  lists: TestLists,
): TestOutcome[] {
  const unchanged = noChangeOutcomes(lists);
  return status === 'patch_failed' ? unchanged : unchanged.map((o) => ({ ...o, pass: false }));
}

/** SWE-bench's resolution for a set of outcomes: FULL, PARTIAL (some F2P, all P2P) or NO. */
export function resolutionOfOutcomes(outcomes: readonly TestOutcome[]): Resolution {
  const score = (category: TestOutcome['category']) => {
    const tests = outcomes.filter((o) => o.category === category);
    return tests.length === 0 ? 1 : tests.filter((o) => o.pass).length / tests.length;
  };
  const f2p = score('FAIL_TO_PASS');
  const p2p = score('PASS_TO_PASS');
  if (f2p === 1 && p2p === 1) return 'FULL';
  if (f2p > 0 && f2p < 1 && p2p === 1) return 'PARTIAL';
  return 'NO';
}
