import { z } from 'zod';
import type { RunJson } from '../store/run-json.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';

/** What a report says about the run it describes (from run.json, completed from the records). */
export interface RunMeta {
  readonly runId: string;
  readonly kind: RunJson['kind'];
  readonly createdAt: string;
  /** The model as the run was asked for it, else the distinct model names the records carry. */
  readonly model: string;
  readonly instancesSource: string | null;
  /** Unrolls per task the run was asked for (null when run.json does not say, e.g. an import). */
  readonly unrollsRequested: number | null;
  readonly limits: Record<string, unknown> | null;
  readonly versions: Record<string, string>;
  readonly seed: number;
  /** A run on hotmess's simulated agent: every page of its report carries `simulatedBanner`. */
  readonly simulated: boolean;
}

export const simulatedBanner =
  "Calibration run on hotmess's simulated agent, not a real model: these figures measure a seeded stochastic policy with known pass probabilities, and say nothing about any language model.";

export const resolvedOnlyBanner =
  'Every unroll of this run records only whether its task was resolved, so these figures treat "resolved" as the only test of each task: ' +
  "a task's incoherence is then exactly its resolve rate p (variance p(1−p) over error 1−p), not a disagreement between tests, and there is no FAIL_TO_PASS / PASS_TO_PASS split.";

/** Fields of run.json's free-form `config` the report reads; anything of another shape is ignored. */
const configSchema = z.object({
  model: z.string().optional().catch(undefined),
  instancesSource: z.string().optional().catch(undefined),
  unrolls: z.number().int().positive().optional().catch(undefined),
  limits: z.record(z.string(), z.unknown()).optional().catch(undefined),
  simulated: z.boolean().optional().catch(undefined),
});

/** Model names of the simulated agent start with `sim` (`sim`, `sim:openai`). */
export function isSimulatedModel(name: string): boolean {
  return name.startsWith('sim');
}

export function runMeta(run: RunJson, records: readonly UnrollRecord[]): RunMeta {
  const config = configSchema.parse(run.config);
  const recordModels = [...new Set(records.map((r) => r.model))].sort();
  const model = config.model ?? (recordModels.length > 0 ? recordModels.join(', ') : 'unknown');
  const flagged = (run as { simulated?: unknown }).simulated === true || config.simulated === true;
  return {
    runId: run.run_id,
    kind: run.kind,
    createdAt: run.created_at,
    model,
    instancesSource: config.instancesSource ?? null,
    unrollsRequested: config.unrolls ?? null,
    limits: config.limits ?? null,
    versions: { ...run.versions },
    seed: run.seeds.base,
    simulated: flagged || isSimulatedModel(model) || recordModels.some(isSimulatedModel),
  };
}
