import { z } from 'zod';

/** When an unroll must stop (DESIGN.md §4). Zero means "no limit" for actions and cost. */
export const agentLimitsSchema = z.object({
  maxActions: z.number().int().nonnegative().default(250),
  maxMessages: z.number().int().positive().default(250),
  maxWallMs: z
    .number()
    .int()
    .positive()
    .default(60 * 60_000),
  maxCostUsd: z.number().nonnegative().default(0),
  /** Per command, on top of the wall-clock limit. */
  commandTimeoutMs: z.number().int().positive().default(180_000),
  /** Observations longer than this are cut in the middle, with a note saying how much. */
  maxObservationChars: z.number().int().positive().default(10_000),
  /** Bytes the sandbox may write to its file system before the unroll stops with `disk_limit` (0: no limit). */
  maxDiskBytes: z
    .number()
    .int()
    .nonnegative()
    .default(10 * 1024 ** 3),
  /** Consecutive turns without a usable tool call before the unroll stops with `format_error`. */
  maxFormatErrors: z.number().int().positive().default(3),
});
export type AgentLimits = z.output<typeof agentLimitsSchema>;
export type AgentLimitsInput = z.input<typeof agentLimitsSchema>;

export const defaultLimits: AgentLimits = agentLimitsSchema.parse({});

/**
 * The most tool calls an agent making one call per turn can execute before a limit stops it: each call
 * adds an assistant message and a tool result to the system and task messages, and a turn starts only
 * with room for both. (The simulated agent's expected outcomes use this.)
 */
export function actionCapacity(limits: Pick<AgentLimits, 'maxActions' | 'maxMessages'>): number {
  const byMessages = Math.max(0, Math.floor(limits.maxMessages / 2) - 1);
  return limits.maxActions > 0 ? Math.min(limits.maxActions, byMessages) : byMessages;
}
