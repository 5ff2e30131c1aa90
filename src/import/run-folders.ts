import type { Dirent } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { InputError, errorMessage } from '../errors.ts';

/** Files the harness writes into an instance folder; any one makes a folder an instance's. */
export const instanceFiles = ['report.json', 'test_output.txt', 'run_instance.log', 'patch.diff'] as const;

/** How far below a given folder runs are looked for: `logs/` → run_evaluation → run_id → model_name. */
const maxDepth = 3;

export interface RunFolders {
  /** Absolute paths of the run folders, in the order given, those found below one folder sorted by path. */
  readonly runs: string[];
  /** One sentence per given folder that holds no run. */
  readonly problems: string[];
}

/**
 * The run folders under the given folders (none found is an error): a folder whose children are instance folders is a run; any other
 * folder is descended into (at most three levels), since the official harness nests runs as
 * `logs/run_evaluation/<run_id>/<model_name>/<instance_id>/`. A run reached twice (a folder given twice, or given
 * beside a folder holding it) is refused: it would count one run's unrolls twice.
 */
export async function findRunFolders(folders: readonly string[]): Promise<RunFolders> {
  const runs: string[] = [];
  const problems: string[] = [];
  const reachedFrom = new Map<string, string>();
  for (const given of folders) {
    const found = await runsUnder(path.resolve(given), maxDepth);
    if (found.length === 0) {
      problems.push(
        `${given} holds no <instance_id>/report.json (nor do its folders, ${maxDepth} levels down), so it is not a run; left out.`,
      );
      continue;
    }
    for (const run of found) {
      const real = await realpath(run);
      const earlier = reachedFrom.get(real);
      if (earlier !== undefined) {
        const how =
          earlier === given ? `${given} is given twice` : `it is reached through both ${earlier} and ${given}`;
        throw new InputError(`The run folder ${run} would be imported twice (${how}); give each run once.`, run);
      }
      reachedFrom.set(real, given);
      runs.push(run);
    }
  }
  if (runs.length === 0)
    throw new InputError(
      `No <instance_id>/report.json was found under ${folders.join(', ')} (nor in their folders, ${maxDepth} levels down).`,
    );
  return { runs, problems };
}

async function runsUnder(dir: string, depth: number): Promise<string[]> {
  const children = (await subfolders(dir)).map((name) => path.join(dir, name));
  for (const child of children) if (await isInstanceFolder(child)) return [dir];
  if (depth === 0) return [];
  const nested: string[] = [];
  for (const child of children) nested.push(...(await runsUnder(child, depth - 1)));
  return nested;
}

/** Sub-folder names, sorted, less the harness's own side folders (_submission, …) and hidden ones. */
export async function subfolders(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new InputError(`Run folder ${dir} cannot be read (${errorMessage(err)}).`, dir, undefined, err);
  }
  return entries
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

async function isInstanceFolder(dir: string): Promise<boolean> {
  try {
    const names = await readdir(dir);
    return instanceFiles.some((file) => names.includes(file));
  } catch {
    return false;
  }
}
