import { open, type FileHandle } from 'node:fs/promises';
import { RunStoreError } from './errors.ts';
import { errorMessage } from '../errors.ts';

export interface AppendOptions {
  /** fsync after every append (default): a line reported written survives a crash of the machine. */
  readonly fsync?: boolean;
  /** Told about a torn last line repaired on open. */
  readonly onWarning?: (message: string) => void;
}

/**
 * Appends JSON values as whole lines to a JSONL file. Every line goes out in one write() on an O_APPEND
 * descriptor, so a crash can only tear the line being written, never an earlier one; appends from several
 * async callers are queued so that their lines never interleave. A torn last line left by a killed writer is
 * repaired on open, before anything is appended after it: that repair assumes no other writer, which the run
 * lock (run-lock.ts) guarantees for a run's files.
 */
export class JsonlAppender {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private readonly fsync: boolean,
  ) {}

  static async open(file: string, options: AppendOptions = {}): Promise<JsonlAppender> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'a+');
    } catch (err) {
      throw new RunStoreError(`Cannot open ${file} for appending (${errorMessage(err)}).`, file, err);
    }
    try {
      await repairTornTail(handle, file, options.onWarning);
    } catch (err) {
      await handle.close();
      throw new RunStoreError(`Cannot repair the end of ${file} (${errorMessage(err)}).`, file, err);
    }
    return new JsonlAppender(file, handle, options.fsync ?? true);
  }

  /** Appends one value as one line; resolves once it is written (and synced). */
  append(value: unknown): Promise<void> {
    return this.appendMany([value]);
  }

  /** Appends several lines with one write and one sync (bulk writers such as import). */
  appendMany(values: readonly unknown[]): Promise<void> {
    if (this.closed) return Promise.reject(new RunStoreError(`${this.file} is closed for appending.`, this.file));
    const text = values.map((value) => `${JSON.stringify(value)}\n`).join('');
    const done = this.queue.then(() => this.write(Buffer.from(text, 'utf8')));
    this.queue = done.catch(() => undefined);
    return done;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.handle.close();
  }

  private async write(buffer: Buffer): Promise<void> {
    try {
      // A regular file takes the whole buffer in one write(); the loop only guards against a short write.
      let offset = 0;
      while (offset < buffer.length) {
        const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset, null);
        offset += bytesWritten;
      }
      if (this.fsync) await this.handle.sync();
    } catch (err) {
      throw new RunStoreError(`Cannot append to ${this.file} (${errorMessage(err)}).`, this.file, err);
    }
  }
}

const newline = 0x0a;

/**
 * A file not ending in a newline was cut mid-line by a killed writer. A tail that is still complete JSON only
 * lacks its newline, which is added; anything else is moved to `<file>.torn` and cut off, so the next line
 * starts on a line of its own.
 */
async function repairTornTail(handle: FileHandle, file: string, onWarning?: (message: string) => void): Promise<void> {
  const { size } = await handle.stat();
  if (size === 0) return;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  if (last[0] === newline) return;

  const start = await lastNewlineEnd(handle, size);
  const tail = Buffer.alloc(size - start);
  await handle.read(tail, 0, tail.length, start);
  if (isJson(tail.toString('utf8'))) {
    await handle.write('\n', null, 'utf8');
    onWarning?.(`${file}: the last line had no newline; added one.`);
    return;
  }
  const torn = await open(`${file}.torn`, 'a');
  try {
    await torn.write(Buffer.concat([tail, Buffer.from('\n')]));
    await torn.sync();
  } finally {
    await torn.close();
  }
  await handle.truncate(start);
  await handle.sync();
  onWarning?.(
    `${file}: removed a torn last line (${tail.length} bytes, kept in ${file}.torn), left by an interrupted write.`,
  );
}

/** Offset just past the last newline before `size` (0 when there is none), read backwards in chunks. */
async function lastNewlineEnd(handle: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const begin = Math.max(0, end - chunk.length);
    const { bytesRead } = await handle.read(chunk, 0, end - begin, begin);
    const at = chunk.subarray(0, bytesRead).lastIndexOf(newline);
    if (at >= 0) return begin + at + 1;
    end = begin;
  }
  return 0;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
