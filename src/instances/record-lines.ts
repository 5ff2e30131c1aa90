/**
 * A one-id lookup in a large JSON Lines file without decoding the whole file: the id's quoted bytes are found with
 * Buffer.indexOf, and only the lines holding them are decoded and parsed. Decoding and splitting Verified's
 * 9.5 MB was most of the time `hotmess grade` of one log took.
 */

/** A record found this way: its parsed value and its 1-based line. */
export interface FoundRecord {
  readonly value: unknown;
  readonly line: number;
}

const newline = 0x0a;
const lineIdPattern = /"instance_id"\s*:\s*"([^"\\]*)"/;

/**
 * The records of these ids, each from the line whose `instance_id` it is; undefined when the file is not JSON
 * Lines, or when an id is not found so (written another way, escaped, absent or broken), for the full parse to
 * settle and report.
 */
export function findRecordLines(bytes: Buffer, ids: ReadonlySet<string>): FoundRecord[] | undefined {
  const first = bytes.findIndex((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first < 0 || bytes[first] !== 0x7b) return undefined;
  const found: FoundRecord[] = [];
  for (const id of ids) {
    const record = findOne(bytes, id);
    if (!record) return undefined;
    found.push(record);
  }
  return found.sort((a, b) => a.line - b.line);
}

function findOne(bytes: Buffer, id: string): FoundRecord | undefined {
  const needle = Buffer.from(JSON.stringify(id));
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + needle.length)) {
    const start = bytes.lastIndexOf(newline, at) + 1;
    const endAt = bytes.indexOf(newline, at);
    const end = endAt < 0 ? bytes.length : endAt;
    const text = bytes.toString('utf8', start, end);
    if (lineIdPattern.exec(text)?.[1] !== id) continue;
    try {
      return { value: JSON.parse(text) as unknown, line: lineNumberAt(bytes, start) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function lineNumberAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let at = bytes.indexOf(newline); at >= 0 && at < offset; at = bytes.indexOf(newline, at + 1)) line += 1;
  return line;
}
