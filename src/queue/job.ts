import { z } from 'zod';
import { agentLimitsSchema } from '../agent/limits.ts';
import { runImageOptionsSchema } from '../images/source-options.ts';
import { unrollRecordSchema } from '../store/unroll-record.ts';

/** What every unroll of a run needs besides its task: stored once per run as a blob, named by each job. */
export const unrollConfigSchema = z.object({
  format: z.literal('hotmess.unroll-config/1'),
  runId: z.string(),
  model: z.string(),
  /** Model options as given to the run; an API key is never among them (only the name of its variable). */
  modelOptions: z.record(z.string(), z.unknown()),
  limits: agentLimitsSchema,
  testTimeoutMs: z.number().int().positive(),
  infraRetries: z.number().int().nonnegative(),
  execMode: z.enum(['persistent', 'exec']),
  images: runImageOptionsSchema.optional(),
});
export type UnrollConfig = z.infer<typeof unrollConfigSchema>;

/** One job: one unroll of one task. Task and config travel as content hashes of blobs in Redis. */
export const unrollJobSchema = z.object({
  runId: z.string(),
  instanceId: z.string(),
  unroll: z.number().int().nonnegative(),
  seed: z.number().int(),
  task: z.string(),
  config: z.string(),
});
export type UnrollJob = z.infer<typeof unrollJobSchema>;

/** The trajectory as the run directory stores it; its inner shape is the agent's own. */
const trajectorySchema = z.looseObject({ instanceId: z.string(), unroll: z.number(), patch: z.string() });

/** What a worker returns: the unroll's record and artifacts, or why its task's image could not be had. */
export const unrollResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('unroll'),
    record: unrollRecordSchema,
    trajectory: trajectorySchema.nullable(),
    gradingLog: z.string(),
    worker: z.string(),
  }),
  z.object({ kind: z.literal('unavailable'), reason: z.string(), worker: z.string() }),
]);
export type UnrollResult = z.infer<typeof unrollResultSchema>;

/**
 * Why a worker failed a job for good, as its failed reason: a bug in hotmess, or a model API answer that no
 * retry can change (the coordinator stops the run as an in-process run would). Any other failed reason (a job
 * that stalled too often, retries exhausted) is the infrastructure's.
 */
export const jobFailureSchema = z.object({
  /** `input`: the worker cannot serve the run as configured (e.g. a missing API key in its environment). */
  hotmess: z.enum(['bug', 'model_fatal', 'input']),
  message: z.string(),
  status: z.number().int().optional(),
});
export type JobFailure = z.infer<typeof jobFailureSchema>;

export function readJobFailure(reason: string | undefined): JobFailure | undefined {
  try {
    const parsed = jobFailureSchema.safeParse(JSON.parse(reason ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
