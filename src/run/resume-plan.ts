import { runImageOptionsSchema } from '../images/source-options.ts';
import { z } from 'zod';
import { agentLimitsSchema } from '../agent/limits.ts';
import { InputError } from '../errors.ts';
import { resolveDataset } from '../instances/datasets.ts';
import { loadInstances } from '../instances/load.ts';
import type { Instance } from '../instances/schema.ts';
import { resolveRunDir } from '../store/resolve-run.ts';
import { openRunDir, type RunDir } from '../store/run-dir.ts';
import type { SweepConfig } from './sweep.ts';

/** What run.json's config holds for a sweep; a resumed run is rebuilt from it. */
export const sweepConfigSchema = z.object({
  instancesSource: z.string(),
  dataset: z.string().optional(),
  instanceIds: z.array(z.string()).min(1),
  model: z.string(),
  modelOptions: z.record(z.string(), z.unknown()),
  unrolls: z.number().int().positive(),
  seed: z.number().int(),
  limits: agentLimitsSchema,
  testTimeoutMs: z.number().int().positive(),
  infraRetries: z.number().int().nonnegative(),
  execMode: z.enum(['persistent', 'exec']),
  gradeCache: z.boolean().default(false),
  images: runImageOptionsSchema.optional(),
  promptsDir: z.string().optional(),
});

/** The sweep config recorded in run.json (`dir` names the run in the error when it cannot be resumed). */
export function resumedConfig(runConfig: unknown, dir: string): SweepConfig {
  const parsed = sweepConfigSchema.safeParse(runConfig);
  if (!parsed.success)
    throw new InputError(
      `${dir}/run.json does not describe a hotmess run that can be resumed (${parsed.error.issues[0]?.path.join('.')}).`,
    );
  return parsed.data as SweepConfig;
}

/** The run's instances out of those loaded from its source now; every one of them must still be there. */
export function resumedInstances(config: SweepConfig, loaded: readonly Instance[]): Instance[] {
  const wanted = new Set(config.instanceIds);
  const instances = loaded.filter((i) => wanted.has(i.instance_id));
  const found = new Set(instances.map((i) => i.instance_id));
  const missing = config.instanceIds.filter((id) => !found.has(id));
  if (missing.length)
    throw new InputError(
      `Cannot resume: ${missing.length} instances of the run are no longer in ${config.instancesSource} (${missing.slice(0, 3).join(', ')}).`,
    );
  return instances;
}

export interface ResumedRun {
  dir: RunDir;
  config: SweepConfig;
  instances: Instance[];
}

/** Opens a run to resume (a directory or a run id), locked, with its config and instances; unlocked if refused. */
export async function openResumedRun(run: string): Promise<ResumedRun> {
  const dir = await openRunDir(await resolveRunDir(run));
  try {
    const config = resumedConfig(dir.run.config, dir.dir);
    const source = config.dataset === undefined ? config.instancesSource : (await resolveDataset(config.dataset)).files;
    const instances = resumedInstances(config, (await loadInstances(source)).instances);
    return { dir, config, instances };
  } catch (err) {
    await dir.close();
    throw err;
  }
}
