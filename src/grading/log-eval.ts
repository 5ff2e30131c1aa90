import { markers } from './markers.ts';
import type { Era, LogParser, StatusMap } from './status.ts';

/** Why a log counts as "patch not successfully applied" (the report's patch_successfully_applied: false). */
export type NotAppliedReason =
  | 'patch_apply_failed'
  | 'reset_failed'
  | 'tests_errored'
  | 'tests_timed_out'
  | 'test_patch_not_applied'
  | 'markers_missing'
  | 'no_test_evidence'
  | 'exit_code_without_failures';

export interface LogEvaluation {
  /** The rules applied: given, or detected from the start/end markers. */
  readonly era: Era;
  readonly statusMap: StatusMap;
  readonly applied: boolean;
  readonly reason?: NotAppliedReason;
  /** From `>>>>> Test Exit Code: <n>` (v5 logs), when present. */
  readonly exitCode?: number;
}

export type EraOption = Era | 'auto';

const v2BadMarkers: ReadonlyArray<[string, NotAppliedReason]> = [
  [markers.applyPatchFail, 'patch_apply_failed'],
  [markers.resetFailed, 'reset_failed'],
  [markers.testsErrored, 'tests_errored'],
  [markers.testsTimedOut, 'tests_timed_out'],
  ['Failed to reset task environment', 'reset_failed'],
];
/** From v3 on, the harness no longer looks for `Failed to reset task environment`. */
const framedBadMarkers = v2BadMarkers.slice(0, 4);

/**
 * What the harness appends to test_output.txt when eval.sh hits its wall-clock limit; it then writes no report
 * at all. hotmess grades such a log as timed out rather than reading the partial output.
 */
const harnessTimeout = /^Timeout error: \d+ seconds exceeded\.$/m;

/**
 * Runner summaries proving that a suite ran (v5's no-evidence rule, PARSERS.md §4), each with a count ≥ 1:
 * karma `Executed N of M`, mocha `N passing`, jest `Tests: N`, TAP `# tests N`, jasmine `N specs, M failures`.
 */
const suiteEvidence = [
  /Executed [1-9]\d* of \d+/,
  /\b[1-9]\d* passing\b/,
  /\bTests:\s+[1-9]\d*/,
  /^# tests [1-9]\d*/m,
  /\b[1-9]\d* specs?, \d+ failures?/,
];

const exitCodeLine = new RegExp(`${markers.testExitCode}: (-?\\d+)`);
const exitCodeLines = new RegExp(exitCodeLine.source, 'g');

/**
 * The harness that wrote a log, from what its eval script prints: v3+ scripts frame the tests with start/end
 * markers (one of them is enough to tell: a log missing the other is graded not applied, as v3+ does), and v5
 * adds the test exit code line. A log with neither is v2's.
 */
export function detectEra(log: string): Era {
  if (!log.includes(markers.startTestOutput) && !log.includes(markers.endTestOutput)) return 'v2';
  return exitCodeLine.test(log) ? 'v5' : 'v4';
}

/** The last `>>>>> Test Exit Code: <n>` in the log (the echo may land before or after the end marker). */
export function readExitCode(log: string): number | undefined {
  let code: number | undefined;
  for (const match of log.matchAll(exitCodeLines)) code = Number(match[1]);
  return code;
}

/**
 * get_logs_eval: from a test_output.txt to (status map, applied) under the v2 rules (bad markers, the
 * "applied patch" check, whole log), the v3/v4 rules (bad markers, start/end markers, the framed output with a
 * whole-log fallback) or the v5 rules (those of v3/v4 plus the no-evidence and exit-code guards).
 */
export function evaluateLog(log: string, parser: LogParser, era: EraOption = 'auto'): LogEvaluation {
  const text = universalNewlines(log);
  const rules = era === 'auto' ? detectEra(text) : era;
  return rules === 'v2' ? evaluateV2(text, parser) : evaluateFramed(text, parser, rules);
}

/**
 * The harness reads test_output.txt in Python's text mode, which turns `\r\n` and a lone `\r` into `\n`; a
 * progress line rewritten with `\r` therefore splits into several lines before any parser sees it.
 */
export function universalNewlines(log: string): string {
  return log.replace(/\r\n?/g, '\n');
}

function evaluateV2(log: string, parser: LogParser): LogEvaluation {
  const bad = v2BadMarkers.find(([marker]) => log.includes(marker));
  if (bad) return notApplied('v2', bad[1]);
  if (harnessTimeout.test(log)) return notApplied('v2', 'tests_timed_out');
  // The `Applied patch <file> cleanly.` line of `git apply -v` when the gold test patch applies.
  if (!log.toLowerCase().includes('applied patch')) return notApplied('v2', 'test_patch_not_applied');
  const afterPrediction = log.split(`${markers.applyPatchPass} (pred)`).at(-1) ?? log;
  return { era: 'v2', statusMap: parser(afterPrediction, { era: 'v2' }), applied: true };
}

function evaluateFramed(log: string, parser: LogParser, era: 'v4' | 'v5'): LogEvaluation {
  const exitCode = era === 'v5' ? readExitCode(log) : undefined;
  const withCode = exitCode === undefined ? {} : { exitCode };
  const bad = framedBadMarkers.find(([marker]) => log.includes(marker));
  if (bad) return { ...notApplied(era, bad[1]), ...withCode };
  if (harnessTimeout.test(log)) return { ...notApplied(era, 'tests_timed_out'), ...withCode };
  if (!log.includes(markers.startTestOutput) || !log.includes(markers.endTestOutput)) {
    return { ...notApplied(era, 'markers_missing'), ...withCode };
  }
  // As the harness's `split(start)[1].split(end)[0]`: from the first start marker to the next start or end marker.
  const framed = log.split(markers.startTestOutput)[1] ?? '';
  const testOutput = framed.split(markers.endTestOutput)[0] ?? framed;
  let statusMap = parser(testOutput, { era });
  // Runners whose output lands outside the markers.
  if (statusMap.size === 0) statusMap = parser(log, { era });
  if (era === 'v5' && statusMap.size === 0 && !suiteEvidence.some((pattern) => pattern.test(log))) {
    return { ...notApplied(era, 'no_test_evidence'), ...withCode };
  }
  if (
    exitCode !== undefined &&
    exitCode !== 0 &&
    statusMap.size > 0 &&
    ![...statusMap.values()].some((s) => s === 'FAILED' || s === 'ERROR')
  ) {
    return { ...notApplied(era, 'exit_code_without_failures'), ...withCode };
  }
  return { era, statusMap, applied: true, ...withCode };
}

function notApplied(era: Era, reason: NotAppliedReason): LogEvaluation {
  return { era, statusMap: new Map(), applied: false, reason };
}
