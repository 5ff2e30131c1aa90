import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { z } from 'zod';
import { errorMessage } from '../errors.ts';
import type { Instance } from '../instances/schema.ts';
import { RunStoreError } from '../store/errors.ts';
import { sweepFileSchema } from './schema.ts';

/** logs/sweeps/<name>/<id>/sweep.json: what a sweep is, so that `--resume` goes on with the same one. */
export const sweepStateSchema = z.object({
  format: z.literal('hotmess.sweep/1'),
  name: z.string(),
  id: z.string(),
  file: z.string(),
  /** The sweep file as it was when the sweep started (a resume does not pick up later edits). */
  spec: sweepFileSchema,
  instances: z.string(),
  instance_ids: z.array(z.string()).min(1),
  seed: z.number().int(),
  tasks_revision: z.string().nullable(),
  task_set_hash: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
});
export type SweepState = z.output<typeof sweepStateSchema>;

export const stateFileName = 'sweep.json';

export async function writeState(dir: string, state: SweepState): Promise<void> {
  const file = path.join(dir, stateFileName);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 1)}\n`);
    await rename(`${file}.tmp`, file);
  } catch (err) {
    throw new RunStoreError(`Cannot write ${file} (${errorMessage(err)}).`, file, err);
  }
}

async function readState(dir: string): Promise<SweepState | null> {
  try {
    const parsed = sweepStateSchema.safeParse(JSON.parse(await readFile(path.join(dir, stateFileName), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The latest sweep under `sweepRoot` that never finished (killed in the night), if any. */
export async function unfinishedSweep(sweepRoot: string): Promise<{ dir: string; state: SweepState } | null> {
  const names = await readdir(sweepRoot, { withFileTypes: true }).catch(() => []);
  const open: { dir: string; state: SweepState }[] = [];
  for (const entry of names) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(sweepRoot, entry.name);
    const state = await readState(dir);
    if (state !== null && state.finished_at === null) open.push({ dir, state });
  }
  open.sort((a, b) => (a.state.started_at < b.state.started_at ? -1 : 1));
  return open.at(-1) ?? null;
}

/** The date (UTC) as the sweep's id, with -2, -3… when that day already has one. */
export function newSweepId(sweepRoot: string, now: Date, wanted?: string): string {
  const base = wanted ?? now.toISOString().slice(0, 10);
  if (!existsSync(path.join(sweepRoot, base))) return base;
  for (let n = 2; ; n++) if (!existsSync(path.join(sweepRoot, `${base}-${n}`))) return `${base}-${n}`;
}

/** `git rev-parse HEAD` where the task set lives; null outside a git work tree. */
export async function tasksRevision(instancesSource: string): Promise<string | null> {
  const cwd =
    existsSync(instancesSource) && !instancesSource.match(/\.(jsonl?|json)$/)
      ? instancesSource
      : path.dirname(instancesSource);
  const result = await execa('git', ['rev-parse', 'HEAD'], { cwd, reject: false });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** sha256 over what defines the selected tasks: ids, commits, patches and test lists. */
export function taskSetHash(instances: readonly Instance[]): string {
  const hash = createHash('sha256');
  for (const i of [...instances].sort((a, b) => (a.instance_id < b.instance_id ? -1 : 1)))
    hash.update(JSON.stringify([i.instance_id, i.base_commit, i.patch, i.test_patch, i.FAIL_TO_PASS, i.PASS_TO_PASS]));
  return hash.digest('hex');
}
