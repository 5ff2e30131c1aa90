import { z } from 'zod';
import { InputError, UsageError } from '../errors.ts';
import type { Instance } from '../instances/schema.ts';
import { defaultCommands } from './default-commands.ts';
import { exploreMedian, explorePmf } from './explore.ts';
import { loadSimSpec, type LoadedSimSpec } from './spec-load.ts';
import type { ExploreSpec } from './spec-schema.ts';

/** The mix of the default spec: how often the simulated agent writes the gold patch, and how often nothing. */
export const simDefaultSchema = z
  .object({ gold: z.number().nonnegative(), empty: z.number().nonnegative() })
  .strict()
  .refine((mix) => mix.gold + mix.empty > 0, 'gold and empty cannot both be 0');
export type SimDefault = z.output<typeof simDefaultSchema>;

export const defaultSimMix: SimDefault = { gold: 0.6, empty: 0.4 };

/** A few exploration actions around the files of the gold patch, before it writes. */
const defaultExplore: ExploreSpec = { distribution: 'lognormal', median: 3, sigma: 0.5, min: 1, max: 12 };

/**
 * `--sim-default gold=0.6,empty=0.4`: the weights of the two candidates (either may be left out and is then 0).
 * Bad text is a UsageError in one sentence, so that the flag fails as it is parsed (exit 2).
 */
export function parseSimDefault(text: unknown): SimDefault {
  const given = Array.isArray(text) ? (text.at(-1) as unknown) : text;
  const bad = (): UsageError =>
    new UsageError(
      `--sim-default ${String(given)} is not a mix such as gold=0.6,empty=0.4 (weights of 0 or more, not both 0).`,
    );
  if (typeof given !== 'string') throw bad();
  const mix: Record<string, number> = { gold: 0, empty: 0 };
  for (const part of given.split(',')) {
    const match = /^\s*(gold|empty)\s*=\s*(\d+(?:\.\d*)?|\.\d+)\s*$/.exec(part);
    if (!match?.[1] || match[2] === undefined) throw bad();
    mix[match[1]] = Number(match[2]);
  }
  const parsed = simDefaultSchema.safeParse(mix);
  if (!parsed.success) throw bad();
  return parsed.data;
}

/** `gold=0.6,empty=0.4`, as the flag takes it. */
export function formatSimDefault(mix: SimDefault): string {
  return `gold=${mix.gold},empty=${mix.empty}`;
}

/**
 * The spec the simulated agent plays on an instance that has none: explore around the gold patch's files, then
 * write the gold patch or nothing, in the given mix, with no drift. Its exact expectation follows as for any spec.
 */
export function defaultSimSpec(instance: Instance, mix: SimDefault = defaultSimMix): LoadedSimSpec {
  return {
    file: `(default spec ${formatSimDefault(mix)})`,
    instanceId: instance.instance_id,
    explore: defaultExplore,
    pmf: explorePmf(defaultExplore),
    median: exploreMedian(defaultExplore),
    drift: 0,
    candidates: [
      { name: 'gold', patch: instance.patch, weight: mix.gold, fails: [] },
      { name: 'empty', patch: null, weight: mix.empty, fails: [] },
    ],
    commands: defaultCommands(instance.patch),
    failToPass: instance.FAIL_TO_PASS,
    passToPass: instance.PASS_TO_PASS,
    problemStatement: instance.problem_statement,
  };
}

/** Whether the simulated agent can play an instance: it has a spec of its own, or a gold patch to write. */
export function simPlayable(instance: Instance): boolean {
  return instance.sim !== undefined || instance.patch.trim() !== '';
}

/** The instance's own spec when it has one; else the default spec over its gold patch. */
export async function simSpecFor(instance: Instance, mix?: SimDefault): Promise<LoadedSimSpec> {
  if (instance.sim !== undefined) return loadSimSpec(instance);
  if (!simPlayable(instance))
    throw new InputError(
      `Instance ${instance.instance_id} has neither a \`sim\` spec nor a gold patch, so the simulated agent cannot play it.`,
    );
  return defaultSimSpec(instance, mix);
}
