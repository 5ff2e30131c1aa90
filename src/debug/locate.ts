import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { artifactPath, pathSegment, runFiles } from '../store/layout.ts';
import { resolveRunDir } from '../store/resolve-run.ts';
import { readRunJson, readUnrolls } from '../store/run-dir.ts';
import type { RunJson } from '../store/run-json.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';
import { readTrajectory, type StoredTrajectory } from './trajectory-file.ts';

/** A run directory read back for debugging: its run.json and its records (nothing is locked or written). */
export interface DebugRun {
  readonly dir: string;
  readonly run: RunJson;
  readonly records: UnrollRecord[];
}

/** A run by path or id; an unknown run fails with one sentence. */
export async function openDebugRun(run: string): Promise<DebugRun> {
  const dir = await resolveRunDir(run);
  const json = await readRunJson(dir);
  const { records } = await readUnrolls(dir);
  return { dir, run: json, records };
}

/** Unroll numbers of a task that have a record or a trajectory file (a `run-one --step` quit leaves only the latter). */
async function knownUnrolls(run: DebugRun, instanceId: string): Promise<number[]> {
  const numbers = new Set(run.records.filter((r) => r.instance_id === instanceId).map((r) => r.unroll));
  const dir = path.join(run.dir, runFiles.trajectories, pathSegment(instanceId));
  const files = await readdir(dir).catch(() => [] as string[]);
  for (const file of files) {
    const m = /^(\d+)\.json$/.exec(file);
    if (m) numbers.add(Number(m[1]));
  }
  return [...numbers].sort((a, b) => a - b);
}

/** The task's records, in unroll order; an instance the run never ran fails with one sentence naming a few it did. */
export async function taskOf(
  run: DebugRun,
  instanceId: string,
): Promise<{ records: UnrollRecord[]; unrolls: number[] }> {
  const unrolls = await knownUnrolls(run, instanceId);
  if (unrolls.length === 0) {
    const ids = [...new Set(run.records.map((r) => r.instance_id))].sort();
    const named = ids.length === 0 ? 'it has no unroll records yet' : `its tasks: ${listSome(ids)}`;
    throw new InputError(`Instance ${instanceId} is not in run ${run.run.run_id} (${named}).`);
  }
  const records = run.records.filter((r) => r.instance_id === instanceId).sort((a, b) => a.unroll - b.unroll);
  return { records, unrolls };
}

export interface LocatedUnroll {
  readonly record: UnrollRecord | undefined;
  readonly trajectory: StoredTrajectory;
  readonly trajectoryFile: string;
}

/** One unroll: its record (if the run wrote one) and its trajectory; an unroll the task does not have fails with one sentence. */
export async function unrollOf(run: DebugRun, instanceId: string, unroll: number): Promise<LocatedUnroll> {
  const { records, unrolls } = await taskOf(run, instanceId);
  if (!unrolls.includes(unroll)) {
    throw new InputError(
      `Task ${instanceId} of run ${run.run.run_id} has no unroll ${unroll} (its unrolls: ${ranges(unrolls)}).`,
    );
  }
  const trajectoryFile = artifactPath(run.dir, 'trajectory', instanceId, unroll);
  const record = records.find((r) => r.unroll === unroll);
  const present = await stat(trajectoryFile).then(
    () => true,
    () => false,
  );
  // A record without its trajectory: an imported run, or an infrastructure failure before the agent ran.
  if (!present && record) {
    const why = record.imported
      ? 'it was imported from another tool, which keeps no trajectories'
      : record.infra_error
        ? `it failed before the agent ran (${record.infra_error.split('\n')[0]})`
        : 'its trajectory file is missing';
    throw new InputError(`Unroll ${unroll} of ${instanceId} has no trajectory to show: ${why}.`, trajectoryFile);
  }
  return { record, trajectory: await readTrajectory(trajectoryFile), trajectoryFile };
}

/** `0–4, 7` */
export function ranges(numbers: readonly number[]): string {
  const parts: string[] = [];
  let start = numbers[0];
  let prev = start;
  for (const n of [...numbers.slice(1), Number.NaN]) {
    if (prev !== undefined && n === prev + 1) {
      prev = n;
      continue;
    }
    if (start !== undefined && prev !== undefined) parts.push(start === prev ? `${start}` : `${start}–${prev}`);
    start = n;
    prev = n;
  }
  return parts.join(', ');
}

function listSome(ids: readonly string[]): string {
  return ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`;
}
