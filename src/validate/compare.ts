import type { TestLists } from '../grading/grade.ts';
import type { GradingStatus } from '../store/unroll-record.ts';

/** One grading of a patch: how it ended and which listed tests failed. */
export interface ValidationRun {
  gradingStatus: GradingStatus;
  fails: string[];
  /** Listed tests the parsed log has no result for (MISSING): failures, but usually an id the parser reads differently. */
  missing?: string[];
  /** Why grading could not finish (infrastructure), when it could not. */
  error?: string;
  /** Why the log was `unparsed` (e.g. results lost in the cut middle of a huge log). */
  detail?: string;
}

/** One patch of one task, graded `repeat` times and compared with the tests it should fail. */
export interface ValidationCheck {
  instance_id: string;
  /** `image`, `sim spec`, `empty`, `gold`, or the name of a candidate in the task's sim spec. */
  check: string;
  expectedFails: string[];
  runs: ValidationRun[];
  /** Listed tests expected to pass that failed (in any repeat), and expected failures that passed. */
  unexpectedFails: string[];
  unexpectedPasses: string[];
  /** Tests whose outcome differed between repeats. */
  flaky: string[];
  ok: boolean;
  /** Why the check could not be compared test by test (patch did not apply, log unparsed, …). */
  problem?: string;
}

/**
 * Compares the runs of one patch with what it declares: every test in `expectedFails` fails and every other
 * listed test passes, in every run. A run that did not end `graded` is a problem, never a silent pass or fail.
 */
export function compareRuns(
  instanceId: string,
  lists: TestLists & { readonly parser?: string },
  check: string,
  expectedFails: readonly string[],
  runs: readonly ValidationRun[],
): ValidationCheck {
  const listed = [...lists.FAIL_TO_PASS, ...lists.PASS_TO_PASS];
  const expected = new Set(expectedFails);
  const graded = runs.filter((r) => r.gradingStatus === 'graded');
  const failedSomewhere = new Set(graded.flatMap((r) => r.fails));
  const passedSomewhere = new Set(listed.filter((t) => graded.some((r) => !r.fails.includes(t))));
  const flaky = listed.filter((t) => failedSomewhere.has(t) && passedSomewhere.has(t));
  const unexpectedFails = listed.filter((t) => !expected.has(t) && failedSomewhere.has(t));
  const unexpectedPasses = listed.filter((t) => expected.has(t) && passedSomewhere.has(t));
  const undeclared = expectedFails.filter((t) => !listed.includes(t));
  const ungraded = [...new Set(runs.filter((r) => r.gradingStatus !== 'graded').map(ungradedReason))];
  const missing = [...new Set(graded.flatMap((r) => r.missing ?? []))].filter((t) => !expected.has(t));
  const problems = [
    ...ungraded.map((s) => `grading ended as ${s}`),
    ...(missing.length ? [missingProblem(missing, lists.parser)] : []),
    ...(undeclared.length
      ? [`declares tests that are in neither FAIL_TO_PASS nor PASS_TO_PASS: ${undeclared.join(', ')}`]
      : []),
  ];
  return {
    instance_id: instanceId,
    check,
    expectedFails: [...expectedFails],
    runs: [...runs],
    unexpectedFails,
    unexpectedPasses,
    flaky,
    ok: problems.length === 0 && unexpectedFails.length === 0 && unexpectedPasses.length === 0 && flaky.length === 0,
    ...(problems.length ? { problem: problems.join('; ') } : {}),
  };
}

/** Tests that fail only because the log never names them point at their ids, not at the patch. */
function missingProblem(missing: readonly string[], parser: string | undefined): string {
  const by = parser ? ` by ${parser}` : '';
  const spaces = missing.some((t) => /\s/.test(t))
    ? ' (parse_log_pytest and parse_log_pytest_options read an id only up to its first space, as the harness does)'
    : '';
  return `${missing.length} listed test(s) never appear in the log as parsed${by}, so they count as failed: ${missing.join(', ')}; check that these ids are the ones the parser reads${spaces}`;
}

function ungradedReason(run: ValidationRun): string {
  if (run.error) return `error: ${run.error}`;
  return run.detail ? `${run.gradingStatus} (${run.detail})` : run.gradingStatus;
}

/** A check that could not grade anything (image build or sim spec failed). */
export function failedCheck(instanceId: string, check: string, problem: string): ValidationCheck {
  return {
    instance_id: instanceId,
    check,
    expectedFails: [],
    runs: [],
    unexpectedFails: [],
    unexpectedPasses: [],
    flaky: [],
    ok: false,
    problem,
  };
}
