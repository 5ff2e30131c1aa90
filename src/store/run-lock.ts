import { randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { readFileSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { HotmessError, errorMessage } from '../errors.ts';
import { processAlive } from '../process-alive.ts';
import { RunStoreError } from './errors.ts';

export const lockFileName = 'run.lock';

/** Another live process is writing this run (a second `--resume`, or a sweep still going). */
export class RunLockedError extends HotmessError {
  constructor(
    message: string,
    readonly lockFile: string,
  ) {
    super('run_locked', message, { exitCode: 1 });
  }
}

const ownerSchema = z.object({ pid: z.number().int(), host: z.string(), since: z.string() });
type Owner = z.infer<typeof ownerSchema>;

/** Lock files this process holds, removed on exit however the process ends short of SIGKILL. */
const held = new Map<string, string>();
let exitHookInstalled = false;

function removeHeldLocks(): void {
  for (const [file, content] of held) {
    try {
      if (readFileSync(file, 'utf8') === content) unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  }
  held.clear();
}

export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

/**
 * One writer per run directory: unrolls.jsonl is appended by one process, and the repair of a torn last line
 * (left by a killed writer) is only safe with no other writer at work. The lock file names its owner; a lock
 * whose owner on this host is gone (a killed run) is taken over, with a warning.
 */
export async function acquireRunLock(
  dir: string,
  onWarning: (message: string) => void,
  fileName = lockFileName,
): Promise<RunLock> {
  const file = path.join(dir, fileName);
  const owner: Owner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  const content = `${JSON.stringify(owner)}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await tryCreate(file, content)) {
      held.set(file, content);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once('exit', removeHeldLocks);
      }
      return { file, release: () => release(file, content) };
    }
    const current = await readOwner(file);
    if (current === 'gone') continue;
    if (current !== 'unreadable' && current.pid === process.pid && current.host === owner.host) {
      throw new RunLockedError(`Run ${dir} is already open for writing in this process.`, file);
    }
    if (current !== 'unreadable' && (current.host !== owner.host || processAlive(current.pid))) {
      throw new RunLockedError(
        `Run ${dir} is being written by process ${current.pid} on ${current.host} (since ${current.since}); wait for it to end, or delete ${file} if that process is gone.`,
        file,
      );
    }
    const who = current === 'unreadable' ? 'an unreadable owner' : `process ${current.pid}, which is gone`;
    onWarning(`${file}: took over the lock of ${who} (an interrupted run).`);
    await unlink(file).catch(() => undefined);
  }
  throw new RunLockedError(`Run ${dir} is being opened by another process at this moment; try again.`, file);
}

/** Creates the lock file whole or not at all: written aside, then hard-linked into place (fails if it exists). */
async function tryCreate(file: string, content: string): Promise<boolean> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, content);
    await link(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new RunStoreError(`Cannot create the run lock ${file} (${errorMessage(err)}).`, file, err);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function readOwner(file: string): Promise<Owner | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new RunStoreError(`Cannot read the run lock ${file} (${errorMessage(err)}).`, file, err);
  }
  try {
    const parsed = ownerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

async function release(file: string, content: string): Promise<void> {
  if (!held.has(file)) return;
  held.delete(file);
  try {
    if ((await readFile(file, 'utf8')) === content) await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new RunStoreError(`Cannot release the run lock ${file} (${errorMessage(err)}).`, file, err);
  }
}
