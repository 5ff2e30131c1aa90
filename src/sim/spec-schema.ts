import { z } from 'zod';

/**
 * A simulated agent's behaviour on one task (DESIGN.md §4), read from YAML beside the instances.
 * Exploration length N is drawn from `explore`; then one candidate patch is drawn with weights that
 * drift from the correct candidates (no `fails`) towards the wrong ones as N grows past the median.
 */
export const exploreSchema = z.discriminatedUnion('distribution', [
  z.object({
    distribution: z.literal('lognormal'),
    median: z.number().positive(),
    sigma: z.number().nonnegative(),
    min: z.number().int().nonnegative().default(0),
    max: z.number().int().positive(),
  }),
  z.object({
    distribution: z.literal('uniform'),
    min: z.number().int().nonnegative(),
    max: z.number().int().nonnegative(),
  }),
  z.object({ distribution: z.literal('fixed'), value: z.number().int().nonnegative() }),
]);

export const candidateSchema = z.object({
  /** Path of a unified diff relative to the spec file; `gold` means the instance's own patch; null writes nothing. */
  patch: z.string().nullable(),
  weight: z.number().nonnegative(),
  /** Tests (from FAIL_TO_PASS ∪ PASS_TO_PASS) that fail with this patch applied; every other listed test passes. */
  fails: z.array(z.string()).default([]),
  description: z.string().optional(),
});

export const simSpecSchema = z.object({
  instance_id: z.string(),
  explore: exploreSchema,
  candidates: z
    .record(z.string(), candidateSchema)
    .refine((c) => Object.keys(c).length > 0, 'needs at least one candidate'),
  /** Per exploration action past the median, this fraction of the correct candidates' weight moves to the wrong ones. */
  drift: z.number().min(0).max(1).default(0),
  /** Shell commands the simulated agent explores with (read, grep, run tests); drawn at random per action. */
  commands: z.array(z.string()).min(1).optional(),
});

export type SimSpec = z.output<typeof simSpecSchema>;
export type SimCandidate = z.output<typeof candidateSchema>;
export type ExploreSpec = z.output<typeof exploreSchema>;
