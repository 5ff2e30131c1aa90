import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import { logsDir } from '../paths.ts';

/** A path to a run directory, or else the id of a run under the logs directory. */
export async function resolveRunDir(run: string): Promise<string> {
  for (const candidate of [path.resolve(run), path.join(logsDir(), run)]) {
    try {
      if ((await stat(candidate)).isDirectory()) return candidate;
    } catch {
      // not this one
    }
  }
  throw new UsageError(`No run directory ${run} (looked in the current directory and ${logsDir()}).`);
}
