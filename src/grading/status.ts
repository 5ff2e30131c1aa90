/** The five statuses SWE-bench parsers produce (TestStatus), in the harness's order. */
export const parsedStatuses = ['FAILED', 'PASSED', 'SKIPPED', 'ERROR', 'XFAIL'] as const;
export type ParsedStatus = (typeof parsedStatuses)[number];

/**
 * Test id -> status, in first-seen order (a later line for the same id overwrites the status, not the order),
 * like the harness's dict. Values are strings because v2-era parsers record whatever token sits in the status
 * position; anything but the five statuses is neither a pass nor a failure when grading.
 */
export type StatusMap = Map<string, string>;

/**
 * Which SWE-bench harness behaviour to reproduce: v2.x (the 2024 logs, no markers), v3/v4 (2025: start/end
 * markers, v2's parsers and grading) or v5 (current: markers and a test exit code line).
 */
export type Era = 'v2' | 'v4' | 'v5';

export interface ParseOptions {
  readonly era: Era;
}

export type LogParser = (log: string, options: ParseOptions) => StatusMap;

export function isParsedStatus(value: string): value is ParsedStatus {
  return (parsedStatuses as readonly string[]).includes(value);
}
