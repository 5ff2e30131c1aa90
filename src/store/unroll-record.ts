/**
 * The unroll record: one line of `unrolls.jsonl` (DESIGN.md §6), the contract every stage agrees on. The agent loop
 * names its stop reason, the grader its outcomes, the run writes the record, import converts official-harness runs
 * to it, the store validates it on read, and stats and report compute from it.
 */
import { z } from 'zod';

/** Why an unroll stopped (DESIGN.md §4). The last two are infrastructure failures, not the agent's. */
export const stopReasons = [
  'submitted',
  'action_limit',
  'message_limit',
  'cost_limit',
  'time_limit',
  'context_overflow',
  'disk_limit',
  'format_error',
  /** A person stopped the unroll under `run-one --step` and had it graded. */
  'user_stop',
  'model_error',
  'sandbox_error',
] as const;
export const stopReasonSchema = z.enum(stopReasons);
export type StopReason = z.infer<typeof stopReasonSchema>;

/** Stops caused by a limit: graded as "no change" under the default limit rule (DESIGN.md §7). */
export const limitStopReasons: readonly StopReason[] = [
  'action_limit',
  'message_limit',
  'cost_limit',
  'time_limit',
  'context_overflow',
  'disk_limit',
];
export const infraStopReasons: readonly StopReason[] = ['model_error', 'sandbox_error'];

export const testStatusSchema = z.enum(['PASSED', 'FAILED', 'SKIPPED', 'ERROR', 'XFAIL', 'MISSING']);
export type TestStatus = z.infer<typeof testStatusSchema>;

export const testOutcomeSchema = z.object({
  id: z.string(),
  category: z.enum(['FAIL_TO_PASS', 'PASS_TO_PASS']),
  /** Status parsed from the log; MISSING when the log has no line for it. */
  status: testStatusSchema,
  /** Success by SWE-bench's rules for this category. */
  pass: z.boolean(),
});
export type TestOutcome = z.infer<typeof testOutcomeSchema>;

/**
 * How grading ended. `graded`: tests ran and were parsed. The others carry no per-test results:
 * `no_patch` (empty diff, graded as no change), `patch_failed`, `test_timeout`, `unparsed` (a log with no
 * recognisable results), `error` (grading itself failed: infrastructure).
 */
export const gradingStatusSchema = z.enum(['graded', 'no_patch', 'patch_failed', 'test_timeout', 'unparsed', 'error']);
export type GradingStatus = z.infer<typeof gradingStatusSchema>;

export const resolutionSchema = z.enum(['FULL', 'PARTIAL', 'NO']);
export type Resolution = z.infer<typeof resolutionSchema>;

/** One line of unrolls.jsonl: self-sufficient for the statistics (DESIGN.md §6). */
export const unrollRecordSchema = z.object({
  run_id: z.string(),
  instance_id: z.string(),
  unroll: z.number().int().nonnegative(),
  seed: z.number().int(),
  model: z.string(),
  stop_reason: stopReasonSchema,
  /** The work tree's final patch graded (whatever the stop reason), so either limit rule can be applied later. */
  grading_status: gradingStatusSchema,
  tests: z.array(testOutcomeSchema),
  resolution: resolutionSchema,
  /** The grading test log was cut to its size cap (absent in records written before it was recorded). */
  log_truncated: z.boolean().optional(),
  /** Infrastructure failure (model_error / sandbox_error / grading error after retries): kept out of the statistics. */
  infra_error: z.string().nullable().default(null),
  actions: z.number().int().nonnegative(),
  turns: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
  /** Prompt tokens of all turns, read from the provider's cache or not. */
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  reasoning_tokens: z.number().int().nonnegative(),
  /** Model spend of this unroll, its failed attempts included. */
  cost_usd: z.number().nonnegative(),
  wall_ms: z.number().nonnegative(),
  attempts: z.number().int().positive().default(1),
  patch_bytes: z.number().int().nonnegative().default(0),
  started_at: z.string(),
  finished_at: z.string(),
  /** Where this unroll came from when imported (`hotmess import`): only-resolved data is one test per task. */
  imported: z.object({ source: z.string(), resolved_only: z.boolean() }).optional(),
});
export type UnrollRecord = z.infer<typeof unrollRecordSchema>;
