import { z } from 'zod';

/** FAIL_TO_PASS / PASS_TO_PASS arrive as arrays or, in the Hugging Face export, as JSON strings of arrays. */
const testList = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // left as a string so the array check below names the field
    }
  },
  z.array(z.string()),
);

/** `setup` may be one shell command or a list of them. */
const commandList = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z.array(z.string()),
);

/**
 * A SWE-bench record plus hotmess's optional fields (DESIGN.md §2). Unknown keys are kept
 * (passthrough) so that records round-trip and newer SWE-bench fields do not break loading.
 */
export const instanceSchema = z
  .object({
    instance_id: z.string().min(1),
    repo: z.string().min(1),
    base_commit: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/i, 'must be a git commit hash')
      // git takes either case; one spelling keeps image tags and comparisons stable.
      .transform((hash) => hash.toLowerCase()),
    patch: z.string(),
    test_patch: z.string(),
    problem_statement: z.string(),
    hints_text: z.string().default(''),
    created_at: z.string().default(''),
    version: z.union([z.string(), z.number()]).transform(String).default(''),
    environment_setup_commit: z.string().nullish().transform((v) => v ?? undefined),
    FAIL_TO_PASS: testList,
    PASS_TO_PASS: testList,
    // hotmess extensions
    image: z.string().optional(),
    source: z.string().optional(),
    setup: commandList.optional(),
    env_setup: commandList.optional(),
    test_cmd: z.string().optional(),
    log_parser: z.string().optional(),
    eval_script: z.string().optional(),
    eval_type: z.enum(['pass_and_fail', 'fail_only']).optional(),
    sim: z.string().optional(),
    language: z.string().optional(),
    difficulty: z.string().optional(),
  })
  .passthrough();

export type Instance = z.output<typeof instanceSchema> & {
  /** Absolute directory of the file the record came from: relative `source`/`sim` paths resolve against it. */
  readonly baseDir: string;
};
