import { open } from 'node:fs/promises';

/**
 * A lookup of some ids in a large JSON Lines file without decoding, or even holding, the whole file: the file is
 * read in chunks through one reused buffer, each line's first `"instance_id"` is read from its bytes, and only the
 * lines of the ids wanted are decoded and parsed. Reading Verified's 9.5 MB into a fresh buffer, then decoding and
 * splitting it, was most of the time `hotmess grade` of one log took.
 */

/** A record found this way: its parsed value and its 1-based line. */
export interface FoundRecord {
  readonly value: unknown;
  readonly line: number;
}

const chunkBytes = 1 << 20;
const newline = 0x0a;
const idKey = Buffer.from('"instance_id"');
const idValue = /^\s*:\s*"([^"\\]*)"/;
/** Room after the key for the colon, blanks and the id itself. */
const idWindow = 512;

/**
 * The records of these ids, in file order, each from the first line whose `instance_id` it is; undefined when the
 * file is not JSON Lines, or when an id is not found so (written another way, escaped, absent, or its line
 * broken), for the full parse to settle and report. Reading stops once every id is found.
 */
export async function findRecordLines(file: string, ids: ReadonlySet<string>): Promise<FoundRecord[] | undefined> {
  const found = new Map<string, FoundRecord>();
  const handle = await open(file);
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let partial: Buffer[] = [];
    let line = 1;
    let sawRecord = false;
    const take = (bytes: Buffer): boolean => {
      if (!sawRecord) {
        const first = bytes.findIndex((b) => b !== 0x20 && b !== 0x09 && b !== 0x0d);
        if (first >= 0 && bytes[first] !== 0x7b) return false;
        sawRecord = first >= 0;
      }
      const record = recordOfLine(bytes, ids, found);
      if (record === 'broken') return false;
      if (record) found.set(record.id, { value: record.value, line });
      line += 1;
      return true;
    };
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const view = chunk.subarray(0, bytesRead);
      let start = 0;
      for (let end = view.indexOf(newline); end >= 0; end = view.indexOf(newline, start)) {
        const piece = view.subarray(start, end);
        const whole = partial.length === 0 ? piece : Buffer.concat([...partial, piece]);
        partial = [];
        if (!take(whole)) return undefined;
        if (found.size === ids.size) return inFileOrder(found);
        start = end + 1;
      }
      // The buffer is reused: the start of a line that goes on in the next chunk is copied out.
      if (start < bytesRead) partial.push(Buffer.from(view.subarray(start)));
    }
    if (partial.length > 0 && !take(Buffer.concat(partial))) return undefined;
    return found.size === ids.size ? inFileOrder(found) : undefined;
  } finally {
    await handle.close();
  }
}

/** The wanted record a line holds, if any; 'broken' when its id is wanted but the line does not say so as JSON. */
function recordOfLine(
  bytes: Buffer,
  ids: ReadonlySet<string>,
  found: ReadonlyMap<string, FoundRecord>,
): { id: string; value: unknown } | 'broken' | undefined {
  const key = bytes.indexOf(idKey);
  if (key < 0) return undefined;
  const after = key + idKey.length;
  const id = idValue.exec(bytes.toString('utf8', after, Math.min(bytes.length, after + idWindow)))?.[1];
  if (id === undefined || !ids.has(id) || found.has(id)) return undefined;
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    // The first "instance_id" of the line may sit in a nested object: only the record's own counts.
    const own = typeof value === 'object' && value !== null && (value as Record<string, unknown>).instance_id;
    return own === id ? { id, value } : 'broken';
  } catch {
    return 'broken';
  }
}

function inFileOrder(found: ReadonlyMap<string, FoundRecord>): FoundRecord[] {
  return [...found.values()].sort((a, b) => a.line - b.line);
}
