import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError, errorMessage } from '../errors.ts';
import { reasoningEfforts } from '../models/spec.ts';
import { parseYamlText } from '../util/yaml.ts';

/**
 * A sweep file (issue 10): the task set, a matrix of models and settings whose cells are ordinary runs, R, the
 * concurrency, a cost budget, and the thresholds of the regression verdict. One schema; a bad field is named by
 * its path (`matrix.temperature[1]`).
 */
const settingsShape = {
  /** anthropic:<model>, openai:<model>, openai-compatible:<url>#<model>, sim, sim:openai. */
  model: z.string().min(1),
  temperature: z.number().min(0).max(2),
  max_tokens: z.number().int().positive(),
  thinking_budget: z.number().int().min(1024),
  reasoning_effort: z.enum(reasoningEfforts),
  /** A directory of prompt templates (system.md, instance.md), relative to the sweep file. */
  prompt_variant: z.string().min(1),
  /** sim only: extra drift to the wrong patches (a known regression, for testing the verdict). */
  sim_drift: z.number().min(0).max(1),
  /** sim only: the action count past which sim_drift applies (default: each task's median). */
  sim_drift_from: z.number().int().min(0),
};

export const settingNames = Object.keys(settingsShape) as (keyof typeof settingsShape)[];
export type SettingName = (typeof settingNames)[number];

const settingsSchema = z.object(settingsShape).partial().strict();
export type CellSettings = z.output<typeof settingsSchema>;

const matrixSchema = z
  .object(
    Object.fromEntries(Object.entries(settingsShape).map(([k, v]) => [k, z.array(v).min(1)])) as {
      [K in SettingName]: z.ZodArray<(typeof settingsShape)[K]>;
    },
  )
  .partial()
  .strict();

const direction = z.union([
  z.object({ drop: z.number().nonnegative() }).strict(),
  z.object({ rise: z.number().nonnegative() }).strict(),
]);

export const thresholdNames = ['resolve_rate', 'test_pass_rate', 'error', 'bias2', 'variance', 'incoherence'] as const;
export type ThresholdName = (typeof thresholdNames)[number];

const regressionSchema = z
  .object({
    /** Two-sided level of the paired intervals (default 0.95). */
    level: z.number().gt(0).lt(1).default(0.95),
    /**
     * Also check each action-count bucket besides the whole task set (every check Bonferroni-corrected; worth it
     * with many tasks per bucket: the swap test cannot reach a small level with a handful of tasks).
     */
    buckets: z.boolean().default(false),
    ...Object.fromEntries(thresholdNames.map((name) => [name, direction.optional()])),
  })
  .strict();

export type Threshold = { readonly drop: number } | { readonly rise: number };
export type RegressionRules = {
  readonly level: number;
  readonly buckets: boolean;
} & Partial<Record<ThresholdName, Threshold>>;

/** Resolve rate down by more than 3 points, incoherence up by more than 0.05, each with its interval past 0. */
export const defaultRegression: RegressionRules = {
  level: 0.95,
  buckets: false,
  resolve_rate: { drop: 0.03 },
  incoherence: { rise: 0.05 },
};

export const sweepFileSchema = z
  .object({
    /** Names logs/sweeps/<name>/. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"'),
    tasks: z
      .object({
        /** Instance file or directory, relative to the sweep file (`dataset` is the same). */
        instances: z.string().min(1).optional(),
        dataset: z.string().min(1).optional(),
        instance_ids: z.array(z.string().min(1)).min(1).optional(),
        repo: z.array(z.string().min(1)).min(1).optional(),
        filter: z.string().min(1).optional(),
        strict: z.boolean().default(false),
      })
      .strict()
      .refine((t) => !(t.instances && t.dataset), 'give instances or dataset, not both')
      .default({ strict: false }),
    unrolls: z.number().int().min(1),
    concurrency: z.number().int().min(1).default(2),
    /** Dollars for the whole sweep: no unroll starts once it is spent. */
    budget_usd: z.number().positive().optional(),
    /** Run seed of every cell; default one derived from the sweep id, so each night draws afresh. */
    seed: z.number().int().optional(),
    buckets: z.number().int().min(1).default(5),
    bootstrap: z.number().int().min(100).default(2000),
    limits: z
      .object({
        max_actions: z.number().int().min(0),
        max_messages: z.number().int().min(1),
        time_limit: z.number().positive(),
        max_cost: z.number().min(0),
        command_timeout: z.number().positive(),
        test_timeout: z.number().positive(),
        max_disk: z.number().min(0),
      })
      .partial()
      .strict()
      .default({}),
    /** Settings every cell gets (the matrix overrides them). */
    defaults: settingsSchema.default({}),
    /** Each key a list of values; the cells are every combination. */
    matrix: matrixSchema.default({}),
    regression: regressionSchema.optional(),
    webhook: z
      .object({
        /** Environment variable holding the URL the verdict is POSTed to (nothing is sent when it is unset). */
        url_env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
          .default('HOTMESS_SWEEP_WEBHOOK'),
        /** Base URL under which logs/sweeps/<name>/ is published (the link sent); default a file:// URL. */
        report_base_url: z.url().optional(),
      })
      .strict()
      .default({ url_env: 'HOTMESS_SWEEP_WEBHOOK' }),
  })
  .strict();

export type SweepFile = z.output<typeof sweepFileSchema>;

/** `matrix.temperature[1]` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(top level)';
}

/** Validates a parsed sweep document; `file` names the source in the error. */
export function parseSweep(data: unknown, file: string): SweepFile {
  const parsed = sweepFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${file}: ${fieldPath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}.`, file);
  }
  const sweep = parsed.data;
  if (!sweep.defaults.model && !sweep.matrix.model)
    throw new InputError(`${file}: defaults.model: a sweep needs a model (in defaults or the matrix).`, file);
  return sweep;
}

/** Reads and validates a sweep file (YAML, or JSON, which is YAML). */
export async function loadSweepFile(file: string): Promise<SweepFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`Sweep file ${file} cannot be read (${errorMessage(err)}).`, file);
  }
  return parseSweep(parseYamlText(text, file), file);
}
