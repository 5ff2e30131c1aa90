import type { Resolution, TestOutcome, TestStatus } from '../store/unroll-record.ts';
import { isParsedStatus, type Era, type StatusMap } from './status.ts';

export interface TestLists {
  readonly FAIL_TO_PASS: readonly string[];
  readonly PASS_TO_PASS: readonly string[];
}

export interface CategoryResult {
  success: string[];
  failure: string[];
}

/** The report's `tests_status`, in the harness's key order. */
export interface TestsStatus {
  FAIL_TO_PASS: CategoryResult;
  PASS_TO_PASS: CategoryResult;
  FAIL_TO_FAIL: CategoryResult;
  PASS_TO_FAIL: CategoryResult;
}

/** `fail_only` (some JS repos): only an explicit FAILED is a failure. */
export type EvalType = 'pass_and_fail' | 'fail_only';

export interface GradeOptions {
  readonly era: Era;
  readonly evalType?: EvalType;
}

export interface GradedTests {
  readonly testsStatus: TestsStatus;
  readonly resolution: Resolution;
  /** Every FAIL_TO_PASS then PASS_TO_PASS test; `pass` is "not a failure", so resolution FULL iff all pass. */
  readonly outcomes: TestOutcome[];
}

type Verdict = 'success' | 'failure' | 'neither';
type Category = 'FAIL_TO_PASS' | 'PASS_TO_PASS';

const passing = (status: string | undefined): boolean => status === 'PASSED' || status === 'XFAIL';
const failing = (status: string | undefined): boolean =>
  status === undefined || status === 'FAILED' || status === 'ERROR';

/**
 * get_eval_tests_report + get_resolution_status. v2-v4: PASSED/XFAIL succeed; absent, FAILED or ERROR fail;
 * anything else (SKIPPED) is in neither list. v5: a SKIPPED FAIL_TO_PASS test fails, a SKIPPED PASS_TO_PASS
 * test succeeds, and a truncated parametrised id is looked up by prefix.
 */
export function gradeTests(statusMap: StatusMap, lists: TestLists, options: GradeOptions): GradedTests {
  const testsStatus: TestsStatus = {
    FAIL_TO_PASS: { success: [], failure: [] },
    PASS_TO_PASS: { success: [], failure: [] },
    FAIL_TO_FAIL: { success: [], failure: [] },
    PASS_TO_FAIL: { success: [], failure: [] },
  };
  const outcomes: TestOutcome[] = [];
  for (const category of ['FAIL_TO_PASS', 'PASS_TO_PASS'] as const) {
    for (const id of lists[category]) {
      const status = lookupStatus(statusMap, id, options.era);
      const verdict = judge(status, category, options);
      if (verdict !== 'neither') testsStatus[category][verdict].push(id);
      outcomes.push({ id, category, status: outcomeStatus(status), pass: verdict !== 'failure' });
    }
  }
  return { testsStatus, resolution: resolutionOf(testsStatus), outcomes };
}

function judge(status: string | undefined, category: Category, options: GradeOptions): Verdict {
  if (options.evalType === 'fail_only') return status === 'FAILED' ? 'failure' : 'success';
  if (options.era === 'v5' && status === 'SKIPPED') return category === 'PASS_TO_PASS' ? 'success' : 'failure';
  if (passing(status)) return 'success';
  if (failing(status)) return 'failure';
  return 'neither';
}

/**
 * The status of a listed test. v5 tolerates an id the dataset truncated inside its parametrisation (more `[`
 * than `]`): the keys it prefixes are used when they all agree on pass/fail, the first one giving the status.
 */
export function lookupStatus(statusMap: StatusMap, id: string, era: Era): string | undefined {
  const exact = statusMap.get(id);
  if (exact !== undefined || era !== 'v5' || count(id, '[') <= count(id, ']')) return exact;
  const candidates = [...statusMap].filter(([key]) => key.startsWith(id)).map(([, status]) => status);
  const first = candidates[0];
  if (first === undefined || !candidates.every((status) => passing(status) === passing(first))) return undefined;
  return first;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** A token that is not one of the five statuses behaves like a skip when grading, so it is reported as one. */
function outcomeStatus(status: string | undefined): TestStatus {
  if (status === undefined) return 'MISSING';
  return isParsedStatus(status) ? status : 'SKIPPED';
}

/** |success| / (|success| + |failure|), 1 when both are empty (as the harness). */
export function categoryScore(result: CategoryResult): number {
  const total = result.success.length + result.failure.length;
  return total === 0 ? 1 : result.success.length / total;
}

export function resolutionOf(testsStatus: TestsStatus): Resolution {
  const f2p = categoryScore(testsStatus.FAIL_TO_PASS);
  const p2p = categoryScore(testsStatus.PASS_TO_PASS);
  if (f2p === 1 && p2p === 1) return 'FULL';
  if (f2p > 0 && f2p < 1 && p2p === 1) return 'PARTIAL';
  return 'NO';
}
