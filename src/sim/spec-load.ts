import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { InputError, errorMessage } from '../errors.ts';
import type { Instance } from '../instances/schema.ts';
import type { Candidate, DriftShift } from './candidates.ts';
import { defaultCommands } from './default-commands.ts';
import { explorePmf, exploreMedian, type Mass } from './explore.ts';
import { parseYamlText } from '../util/yaml.ts';
import { simSpecSchema, type ExploreSpec } from './spec-schema.ts';

/** A validated spec with every patch read and the exploration distribution tabulated. */
export interface LoadedSimSpec {
  readonly file: string;
  readonly instanceId: string;
  readonly explore: ExploreSpec;
  readonly pmf: readonly Mass[];
  readonly median: number;
  readonly drift: number;
  /** A shifted model's extra drift (src/sim/shift.ts); absent for the spec as written. */
  readonly shift?: DriftShift;
  readonly candidates: readonly Candidate[];
  readonly commands: readonly string[];
  /** FAIL_TO_PASS and PASS_TO_PASS of the instance, for the expectation. */
  readonly failToPass: readonly string[];
  readonly passToPass: readonly string[];
  /** Lets a generic client that sends no instance header be matched by its prompt. */
  readonly problemStatement: string;
}

/** Reads `<baseDir>/<sim>` for an instance. Every problem names the file and the field. */
export async function loadSimSpec(instance: Instance): Promise<LoadedSimSpec> {
  if (!instance.sim) {
    throw new InputError(
      `Instance ${instance.instance_id} has no \`sim\` spec, so the simulated agent cannot work on it.`,
    );
  }
  const file = path.resolve(instance.baseDir, instance.sim);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(
      `Cannot read the sim spec ${file} of instance ${instance.instance_id}: ${errorMessage(err)}.`,
      file,
      undefined,
      err,
    );
  }
  return parseSimSpec(text, file, instance);
}

export async function parseSimSpec(text: string, file: string, instance: Instance): Promise<LoadedSimSpec> {
  const parsed = simSpecSchema.safeParse(parseYamlText(text, file));
  if (!parsed.success) throw fieldError(file, parsed.error.issues[0]);
  const spec = parsed.data;
  const fail = (field: string, message: string): InputError => new InputError(`${file}: ${field}: ${message}.`, file);

  if (spec.instance_id !== instance.instance_id) {
    throw fail('instance_id', `is ${spec.instance_id} but the spec belongs to instance ${instance.instance_id}`);
  }
  if (spec.explore.distribution !== 'fixed' && spec.explore.min > spec.explore.max) {
    throw fail('explore.min', `${spec.explore.min} is greater than explore.max ${spec.explore.max}`);
  }
  const tests = new Set([...instance.FAIL_TO_PASS, ...instance.PASS_TO_PASS]);
  const candidates: Candidate[] = [];
  for (const [name, c] of Object.entries(spec.candidates)) {
    c.fails.forEach((test, i) => {
      if (!tests.has(test))
        throw fail(`candidates.${name}.fails[${i}]`, `${test} is in neither FAIL_TO_PASS nor PASS_TO_PASS`);
    });
    candidates.push({
      name,
      patch: await readPatch(file, name, c.patch, instance),
      weight: c.weight,
      fails: c.fails,
      ...(c.description === undefined ? {} : { description: c.description }),
    });
  }
  if (candidates.every((c) => c.weight === 0)) throw fail('candidates', 'every weight is 0');
  return {
    file,
    instanceId: spec.instance_id,
    explore: spec.explore,
    pmf: explorePmf(spec.explore),
    median: exploreMedian(spec.explore),
    drift: spec.drift,
    candidates,
    commands: spec.commands ?? defaultCommands(instance.patch),
    failToPass: instance.FAIL_TO_PASS,
    passToPass: instance.PASS_TO_PASS,
    problemStatement: instance.problem_statement,
  };
}

async function readPatch(file: string, name: string, patch: string | null, instance: Instance): Promise<string | null> {
  if (patch === null) return null;
  if (patch === 'gold') return instance.patch;
  const patchFile = path.resolve(path.dirname(file), patch);
  try {
    return await readFile(patchFile, 'utf8');
  } catch (err) {
    throw new InputError(
      `${file}: candidates.${name}.patch: cannot read ${patchFile}: ${errorMessage(err)}.`,
      file,
      undefined,
      err,
    );
  }
}

function fieldError(file: string, issue: z.core.$ZodIssue | undefined): InputError {
  const field = issue?.path.length ? issue.path.map(String).join('.') : '(top level)';
  return new InputError(`${file}: ${field}: ${issue?.message ?? 'invalid'}.`, file);
}
