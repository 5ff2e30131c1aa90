import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readTaskPatches } from '../debug/patches.ts';
import { summariseTask } from '../debug/summary.ts';
import { readTrajectory } from '../debug/trajectory-file.ts';
import { errorMessage } from '../errors.ts';
import { RunStoreError } from '../store/errors.ts';
import { artifactPath, pathSegment } from '../store/layout.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';
import { taskPageHtml, trajectoryPageHtml } from './pages-html.ts';

/** The folder of per-task pages beside report.html. */
export const pagesDir = 'tasks';

export function taskPageHref(instanceId: string): string {
  return `${pagesDir}/${encodeURIComponent(instanceId)}/index.html`;
}

export interface PagesWritten {
  readonly tasks: number;
  /** Trajectory pages written now, and those left as they were (newer than their trajectory). */
  readonly trajectories: number;
  readonly unchanged: number;
}

async function mtime(file: string): Promise<number | undefined> {
  return stat(file).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
}

/**
 * The viewer: `tasks/<instance>/index.html` for every task (its unrolls, patch groups and test matrix) and
 * `tasks/<instance>/<unroll>.html` for every unroll with a trajectory. A trajectory page is written only when it is
 * missing or older than its trajectory, so a report written again costs only the new unrolls; each page holds one
 * trajectory, so a browser never loads more than the one it shows.
 */
export async function writeTaskPages(
  runDir: string,
  runId: string,
  records: readonly UnrollRecord[],
  outDir: string,
): Promise<PagesWritten> {
  const byTask = new Map<string, UnrollRecord[]>();
  for (const r of records) {
    const list = byTask.get(r.instance_id);
    if (list) list.push(r);
    else byTask.set(r.instance_id, [r]);
  }
  let trajectories = 0;
  let unchanged = 0;
  for (const [instanceId, list] of byTask) {
    const dir = path.join(outDir, pagesDir, pathSegment(instanceId));
    await mkdir(dir, { recursive: true }).catch((err: unknown) => {
      throw new RunStoreError(`Cannot create ${dir} (${errorMessage(err)}).`, dir, err);
    });
    const sorted = [...list].sort((a, b) => a.unroll - b.unroll);
    const withTrajectory = new Set<number>();
    // A task's unrolls at once: most of the time goes to file system calls.
    const written = await Promise.all(
      sorted.map(async (record, i) => {
        const source = artifactPath(runDir, 'trajectory', instanceId, record.unroll);
        const sourceTime = await mtime(source);
        if (sourceTime === undefined) return 'none';
        withTrajectory.add(record.unroll);
        const target = path.join(dir, `${record.unroll}.html`);
        const targetTime = await mtime(target);
        if (targetTime !== undefined && targetTime >= sourceTime) return 'unchanged';
        const trajectory = await readTrajectory(source);
        const log = await readFile(artifactPath(runDir, 'grading', instanceId, record.unroll), 'utf8').catch(() => '');
        const neighbours = {
          ...(i > 0 ? { prev: sorted[i - 1]?.unroll } : {}),
          ...(i < sorted.length - 1 ? { next: sorted[i + 1]?.unroll } : {}),
        };
        await save(target, trajectoryPageHtml(runId, trajectory, record, log, neighbours));
        return 'written';
      }),
    );
    trajectories += written.filter((w) => w === 'written').length;
    unchanged += written.filter((w) => w === 'unchanged').length;
    const summary = summariseTask(instanceId, sorted, await readTaskPatches(runDir, instanceId, sorted));
    await save(path.join(dir, 'index.html'), taskPageHtml(runId, summary, withTrajectory));
  }
  return { tasks: byTask.size, trajectories, unchanged };
}

async function save(file: string, content: string): Promise<void> {
  try {
    await writeFile(file, content);
  } catch (err) {
    throw new RunStoreError(`Cannot write ${file} (${errorMessage(err)}).`, file, err);
  }
}
