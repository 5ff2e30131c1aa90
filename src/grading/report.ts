import type { GradingStatus, Resolution, TestOutcome } from '../store/unroll-record.ts';
import { gradeTests, type EvalType, type TestLists, type TestsStatus } from './grade.ts';
import { evaluateLog, type EraOption, type LogEvaluation, type NotAppliedReason } from './log-eval.ts';
import { getLogParser, parserNameFor } from './parsers/registry.ts';

/** One instance's entry of the official report.json, keys in the harness's order. */
export interface OfficialReportEntry {
  patch_is_None: boolean;
  patch_exists: boolean;
  patch_successfully_applied: boolean;
  resolved: boolean;
  /** v5 only: the harness always writes it; hotmess has no infrastructure classifier, so it is false. */
  infra_failure?: boolean;
  tests_status?: TestsStatus;
}

/** report.json: `{ "<instance_id>": {...} }`. */
export type OfficialReport = Record<string, OfficialReportEntry>;

/** What grading needs of an instance (an Instance satisfies it). */
export interface GradableInstance extends TestLists {
  readonly instance_id: string;
  readonly repo: string;
  readonly log_parser?: string | undefined;
  readonly eval_type?: EvalType | undefined;
}

export interface GradeLogOptions {
  /** Which harness's rules; `auto` (default) picks v5 when the log has the start/end markers. */
  readonly era?: EraOption;
  /** Overrides the instance's parser. */
  readonly parser?: string;
  /** The model patch graded; null reproduces the harness's `patch_is_None` report (nothing evaluated). */
  readonly modelPatch?: string | null;
  /** The log lost its middle to the size cap: a listed test without a result may have been cut, not missing. */
  readonly logTruncated?: boolean;
}

export interface LogGrade {
  readonly parser: string;
  /** Absent when the model patch was null (nothing evaluated). */
  readonly evaluation?: LogEvaluation;
  readonly report: OfficialReport;
  readonly resolution: Resolution;
  /** hotmess's verdict on the log; per-test outcomes exist only when `graded`. */
  readonly gradingStatus: GradingStatus;
  readonly outcomes: TestOutcome[];
  /** Why an applied log is `unparsed`, when it is. */
  readonly detail?: string;
}

/**
 * Grades one test_output.txt for one instance exactly as the official harness would (get_eval_report), and
 * also as hotmess records it: a log with no recognisable results is `unparsed`, never a silent failure, and
 * so is a truncated log in which a listed test has no result (it may have been printed in the cut part).
 * The report stays the harness's: it never truncates logs.
 */
export function gradeLog(instance: GradableInstance, log: string, options: GradeLogOptions = {}): LogGrade {
  const parser = options.parser ?? parserNameFor(instance);
  const parse = getLogParser(parser);
  if (options.modelPatch === null) {
    const entry = { patch_is_None: true, patch_exists: false, patch_successfully_applied: false, resolved: false };
    return {
      parser,
      report: { [instance.instance_id]: entry },
      resolution: 'NO',
      gradingStatus: 'no_patch',
      outcomes: [],
    };
  }
  const evaluation = evaluateLog(log, parse, options.era ?? 'auto');
  const entry: OfficialReportEntry = {
    patch_is_None: false,
    patch_exists: true,
    patch_successfully_applied: evaluation.applied,
    resolved: false,
  };
  if (evaluation.era === 'v5') entry.infra_failure = false;
  const report = { [instance.instance_id]: entry };
  if (!evaluation.applied) {
    return {
      parser,
      evaluation,
      report,
      resolution: 'NO',
      gradingStatus: statusForReason(evaluation.reason),
      outcomes: [],
    };
  }
  const graded = gradeTests(evaluation.statusMap, instance, {
    era: evaluation.era,
    evalType: instance.eval_type ?? 'pass_and_fail',
  });
  entry.resolved = graded.resolution === 'FULL';
  entry.tests_status = graded.testsStatus;
  const common = { parser, evaluation, report, resolution: graded.resolution };
  if (evaluation.statusMap.size === 0)
    return { ...common, gradingStatus: 'unparsed', outcomes: [], detail: 'the log has no recognisable test results' };
  const missing = graded.outcomes.filter((o) => o.status === 'MISSING');
  if (options.logTruncated && missing.length > 0) {
    const detail = `the log was cut to its size cap and ${missing.length} of ${graded.outcomes.length} listed tests have no result in what was kept (first: ${missing[0]?.id})`;
    return { ...common, gradingStatus: 'unparsed', outcomes: [], detail };
  }
  return { ...common, gradingStatus: 'graded', outcomes: graded.outcomes };
}

/** hotmess's grading status for a log the harness counts as "not applied". */
function statusForReason(reason: NotAppliedReason | undefined): GradingStatus {
  switch (reason) {
    case 'patch_apply_failed':
    case 'test_patch_not_applied':
      return 'patch_failed';
    case 'tests_timed_out':
      return 'test_timeout';
    case 'no_test_evidence':
    case 'exit_code_without_failures':
      return 'unparsed';
    default:
      return 'error';
  }
}
