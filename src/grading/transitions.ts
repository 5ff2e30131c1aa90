import type { StatusMap } from './status.ts';

/** Test lists derived from a run before and a run after the gold patch. */
export interface TestTransitions {
  FAIL_TO_PASS: string[];
  PASS_TO_PASS: string[];
  FAIL_TO_FAIL: string[];
  PASS_TO_FAIL: string[];
}

/**
 * Classifies every test by its status before and after the gold patch, with SWE-smith's validation rule:
 * only PASSED and FAILED count; a test new after the patch is FAIL_TO_PASS if it passes (PASS_TO_FAIL if it
 * fails); a test failing before and gone after is FAIL_TO_PASS. Order: tests of the after-run first, as seen.
 */
export function deriveTestLists(before: StatusMap, after: StatusMap): TestTransitions {
  const lists: TestTransitions = { FAIL_TO_PASS: [], PASS_TO_PASS: [], FAIL_TO_FAIL: [], PASS_TO_FAIL: [] };
  for (const [id, now] of after) {
    const was = before.get(id);
    if (now !== 'PASSED' && now !== 'FAILED') continue;
    if (was === undefined) lists[now === 'PASSED' ? 'FAIL_TO_PASS' : 'PASS_TO_FAIL'].push(id);
    else if (was === 'PASSED') lists[now === 'PASSED' ? 'PASS_TO_PASS' : 'PASS_TO_FAIL'].push(id);
    else if (was === 'FAILED') lists[now === 'PASSED' ? 'FAIL_TO_PASS' : 'FAIL_TO_FAIL'].push(id);
  }
  for (const [id, was] of before) {
    if (was === 'FAILED' && !after.has(id)) lists.FAIL_TO_PASS.push(id);
  }
  return lists;
}
