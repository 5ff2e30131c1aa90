import { z } from 'zod';

/**
 * run.json: what a run was asked to do and with what, written when the run directory is created (DESIGN.md §6).
 * `config` belongs to whoever creates the run (the scheduler's flags, or the import's sources) and is kept as
 * given; unknown top-level keys are kept too so that newer writers do not break older readers.
 */
export const runJsonSchema = z
  .object({
    format: z.literal('hotmess.run/1'),
    run_id: z.string().min(1),
    created_at: z.string(),
    /** `run`: unrolls executed by hotmess; `import`: converted from another tool's results (`hotmess import`). */
    kind: z.enum(['run', 'import']),
    /** hotmess, Node and anything else whose version changes results (model ids, harness revision). */
    versions: z.object({ hotmess: z.string(), node: z.string() }).catchall(z.string()),
    /** `base` derives every unroll's seed; per-unroll seeds are also on each unrolls.jsonl line. */
    seeds: z.object({ base: z.number().int() }).catchall(z.unknown()),
    config: z.record(z.string(), z.unknown()),
  })
  .passthrough();
export type RunJson = z.infer<typeof runJsonSchema>;

/** One line of predictions.jsonl: SWE-bench's prediction format plus the unroll it came from. */
export const predictionSchema = z
  .object({
    instance_id: z.string(),
    model_name_or_path: z.string(),
    model_patch: z.string(),
    /** Not a SWE-bench field: a run holds R predictions per instance; the official harness wants one per file. */
    unroll: z.number().int().nonnegative(),
  })
  .passthrough();
export type Prediction = z.infer<typeof predictionSchema>;
