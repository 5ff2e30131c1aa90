import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HotmessError } from '../errors.ts';
import { acquireRunLock, RunLockedError, type RunLock } from '../store/run-lock.ts';

/** A second start of a sweep while one is still going (cron stacking nights): refused, exit 75 (try later). */
export class SweepLockedError extends HotmessError {
  constructor(message: string) {
    super('sweep_locked', message, { exitCode: 75 });
  }
}

export const sweepLockName = 'sweep.lock';

/**
 * One lock per sweep name, logs/sweeps/<name>/sweep.lock, naming its owner; the lock of a killed sweep (its
 * process gone) is taken over, so that `--resume` goes on after a crash.
 */
export async function lockSweep(sweepRoot: string, name: string, onWarning: (m: string) => void): Promise<RunLock> {
  await mkdir(sweepRoot, { recursive: true });
  try {
    return await acquireRunLock(sweepRoot, onWarning, sweepLockName);
  } catch (err) {
    if (!(err instanceof RunLockedError)) throw err;
    const owner = await readFile(err.lockFile, 'utf8').then(
      (text) => JSON.parse(text) as { pid?: number; host?: string; since?: string },
      () => ({}) as { pid?: number; host?: string; since?: string },
    );
    const who =
      owner.pid === undefined
        ? 'another process'
        : `process ${owner.pid} on ${owner.host ?? '?'} (since ${owner.since ?? '?'})`;
    throw new SweepLockedError(
      `Sweep ${name} is already running in ${who}, so this start is refused; its lock is ${path.join(sweepRoot, sweepLockName)}.`,
    );
  }
}
