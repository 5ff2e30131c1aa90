import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, errorMessage } from '../errors.ts';

/** How much of the start of a file is looked at for NUL bytes, as git does to tell binary files. */
const sniffBytes = 8000;

/**
 * A test log as the harness wrote it (test_output.txt), read as text. An empty file or a binary one is refused
 * with a sentence saying so: graded, either would pass for a log whose patch failed to apply.
 */
export async function readTestLog(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.resolve(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${errorMessage(err)})`;
    throw new InputError(`Log file ${file} ${reason}.`, file);
  }
  return testLogText(file, bytes);
}

/** The text of a log's bytes, or an InputError when they cannot be a test log. */
export function testLogText(file: string, bytes: Buffer): string {
  if (bytes.subarray(0, sniffBytes).includes(0)) {
    throw new InputError(`Log file ${file} is not a test log: it is binary (it holds NUL bytes).`, file);
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') {
    throw new InputError(`Log file ${file} is not a test log: it is ${bytes.length === 0 ? 'empty' : 'blank'}.`, file);
  }
  return text;
}
