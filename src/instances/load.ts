import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, errorMessage } from '../errors.ts';
import { findRecordLines } from './record-lines.ts';
import { instanceSchema, type Instance } from './schema.ts';

/**
 * One record that could not be loaded. `line` is the 1-based line where the record starts (its JSONL line, or
 * the line of its opening brace in a JSON array). `field` is the dotted path of the offending field.
 */
export interface LoadProblem {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
  readonly instanceId?: string;
  readonly message: string;
}

export interface LoadResult {
  readonly instances: Instance[];
  readonly problems: LoadProblem[];
}

export interface LoadOptions {
  /** Throw an InputError listing every problem instead of loading the good records. */
  readonly strict?: boolean;
  /** Only these instances: other records are neither validated nor returned (a one-id lookup in a large set). */
  readonly only?: ReadonlySet<string>;
}

/** A record and the line it starts on, before validation. */
interface RawRecord {
  readonly value: unknown;
  readonly line: number;
}

const instanceFileExtensions = ['.jsonl', '.json', '.parquet'];

/**
 * Loads SWE-bench-style instances from JSONL files, JSON array files, Parquet files (a row's number stands for
 * its line), or directories of them (every *.jsonl, *.json and *.parquet directly inside, in sorted order). Every record is validated; bad ones and duplicate instance_ids are
 * returned as problems while the rest load, unless `strict`.
 */
export async function loadInstances(pathOrPaths: string | readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const inputs = typeof pathOrPaths === 'string' ? [pathOrPaths] : pathOrPaths;
  if (inputs.length === 0) throw new InputError('No instance file was given.');
  const files: string[] = [];
  for (const input of inputs) files.push(...(await instanceFilesOf(path.resolve(input))));

  const instances: Instance[] = [];
  const problems: LoadProblem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const { records, problems: fileProblems } = file.endsWith('.parquet')
      ? // Loaded only for Parquet: the reader and its decompressors would slow every `hotmess grade` start.
        { records: await (await import('./parquet.ts')).readParquetRecords(file), problems: [] as LoadProblem[] }
      : await readJsonRecords(file, options.only);
    for (const raw of records) {
      if (options.only && !options.only.has(idOf(raw.value) ?? '')) continue;
      const checked = validateRecord(file, raw);
      if ('problem' in checked) {
        fileProblems.push(checked.problem);
        continue;
      }
      const id = checked.instance.instance_id;
      const first = seen.get(id);
      if (first !== undefined) {
        fileProblems.push({ ...where(file, raw), instanceId: id, field: 'instance_id', message: `duplicate instance_id ${id} (first seen at ${first})` });
        continue;
      }
      seen.set(id, formatPlace(file, raw.line));
      instances.push(checked.instance);
    }
    // In file order, so that "the first problem" is the first one met reading the file.
    problems.push(...fileProblems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  }
  if (options.strict && problems.length > 0) {
    throw new InputError(strictMessage(problems), problems[0]?.file, problems[0]?.line);
  }
  return { instances, problems };
}

/** Loads the file(s) and returns the one instance with this id, or throws an InputError naming what is known. */
export async function loadInstance(pathOrPaths: string | readonly string[], instanceId: string, options: LoadOptions = {}): Promise<Instance> {
  // Validating only the record wanted is what makes `hotmess grade` of one log fast on a 500-record dataset;
  // when it is not found or broken (or --strict), the whole load says what is known of the files.
  if (!options.strict) {
    const [found] = (await loadInstances(pathOrPaths, { only: new Set([instanceId]) })).instances;
    if (found) return found;
  }
  const { instances, problems } = await loadInstances(pathOrPaths, options);
  const found = instances.find((instance) => instance.instance_id === instanceId);
  if (found) return found;
  const broken = problems.find((problem) => problem.instanceId === instanceId);
  if (broken) throw new InputError(`Instance ${instanceId} is invalid: ${formatProblem(broken)}.`, broken.file, broken.line);
  const [first] = problems;
  // A file that would not parse holds the id unseen: say so, or the message sends the user looking for a typo.
  const skipped = first ? `; ${problems.length} problem${problems.length === 1 ? '' : 's'}, the first: ${formatProblem(first)}` : '';
  throw new InputError(`No instance ${instanceId} in ${describeInputs(pathOrPaths)} (${instances.length} instances loaded${skipped}).`, first?.file, first?.line);
}

/** `file:line: field: message`. */
export function formatProblem(problem: LoadProblem): string {
  const field = problem.field ? `${problem.field}: ` : '';
  return `${formatPlace(problem.file, problem.line)}: ${field}${problem.message}`;
}

/** Splits one file's text into raw records: a JSON array, a single JSON object, or JSON Lines. */
export function parseInstanceFile(
  file: string,
  text: string,
  only?: ReadonlySet<string>,
): { records: RawRecord[]; problems: LoadProblem[] } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return parseJsonArray(file, text);
  if (file.endsWith('.json') && trimmed.startsWith('{')) {
    try {
      return { records: [{ value: JSON.parse(text) as unknown, line: 1 }], problems: [] };
    } catch {
      // A .json file holding one object per line: read it as JSON Lines below.
    }
  }
  return parseJsonLines(file, text, only);
}

function parseJsonArray(file: string, text: string): { records: RawRecord[]; problems: LoadProblem[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { records: [], problems: [{ file, line: lineOfJsonError(text, err), message: `invalid JSON: ${oneLine(errorMessage(err))}` }] };
  }
  if (!Array.isArray(parsed)) return { records: [], problems: [{ file, message: 'expected a JSON array of instance records' }] };
  const lines = arrayElementLines(text);
  return { records: parsed.map((value: unknown, index) => ({ value, line: lines[index] ?? 1 })), problems: [] };
}

/**
 * The 1-based line on which each top-level element of a JSON array starts. The text is known to be valid JSON,
 * so a scan that skips strings and counts brackets finds every element's first character.
 */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line += 1;
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
    if (expectElement && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth += 1;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth -= 1;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}

/** The id of a JSON line written the usual way; a line where it is not found this way is parsed in full. */
const lineIdPattern = /"instance_id"\s*:\s*"([^"\\]*)"/;

function parseJsonLines(
  file: string,
  text: string,
  only?: ReadonlySet<string>,
): { records: RawRecord[]; problems: LoadProblem[] } {
  const records: RawRecord[] = [];
  const problems: LoadProblem[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '') return;
    const id = only ? lineIdPattern.exec(line)?.[1] : undefined;
    if (id !== undefined && !only?.has(id)) return;
    try {
      records.push({ value: JSON.parse(line) as unknown, line: i + 1 });
    } catch (err) {
      problems.push({ file, line: i + 1, message: `invalid JSON: ${oneLine(errorMessage(err))}` });
    }
  });
  return { records, problems };
}

function validateRecord(file: string, raw: RawRecord): { instance: Instance } | { problem: LoadProblem } {
  const result = instanceSchema.safeParse(raw.value);
  if (result.success) return { instance: { ...result.data, baseDir: path.dirname(file) } };
  const [issue, ...others] = result.error.issues;
  const instanceId = idOf(raw.value);
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  return {
    problem: {
      ...where(file, raw),
      ...(instanceId === undefined ? {} : { instanceId }),
      ...(field === undefined ? {} : { field }),
      message: (issue?.message ?? 'invalid record') + (others.length > 0 ? ` (and ${others.length} more issues)` : ''),
    },
  };
}

function idOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as Record<string, unknown>).instance_id;
  return typeof id === 'string' ? id : undefined;
}

function where(file: string, raw: RawRecord): Pick<LoadProblem, 'file' | 'line'> {
  return { file, line: raw.line };
}

function formatPlace(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`;
}

async function instanceFilesOf(input: string): Promise<string[]> {
  let info;
  try {
    info = await stat(input);
  } catch {
    throw new InputError(`Instance file ${input} does not exist.`, input);
  }
  if (!info.isDirectory()) return [input];
  const names = (await readdir(input, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && instanceFileExtensions.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) throw new InputError(`Directory ${input} holds no *.jsonl, *.json or *.parquet instance files.`, input);
  return names.map((name) => path.join(input, name));
}

/** A JSON or JSON Lines file's records: a lookup of some ids reads only the lines holding them when it can. */
async function readJsonRecords(
  file: string,
  only: ReadonlySet<string> | undefined,
): Promise<{ records: RawRecord[]; problems: LoadProblem[] }> {
  const quick = only ? await readable(file, () => findRecordLines(file, only)) : undefined;
  if (quick) return { records: quick, problems: [] };
  // Bytes, then one decode: Node 20 decodes a file read with an encoding chunk by chunk, several times slower.
  const bytes = await readable(file, () => readFile(file));
  return parseInstanceFile(file, bytes.toString('utf8'), only);
}

async function readable<T>(file: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw new InputError(`Cannot read instance file ${file}: ${errorMessage(err)}.`, file, undefined, err);
  }
}

/** Some engines quote the offending text, line breaks and all, in a JSON syntax error. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}

/** Newer engines name the line or a character position of a JSON syntax error; older ones neither. */
function lineOfJsonError(text: string, err: unknown): number | undefined {
  const message = errorMessage(err);
  const line = /line (\d+) column/.exec(message);
  if (line) return Number(line[1]);
  const position = /position (\d+)/.exec(message);
  if (!position) return undefined;
  return text.slice(0, Number(position[1])).split('\n').length;
}

function strictMessage(problems: readonly LoadProblem[]): string {
  const shown = problems.slice(0, 5).map(formatProblem).join('; ');
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  return `${problems.length} bad instance record${problems.length === 1 ? '' : 's'}: ${shown}${more}.`;
}

function describeInputs(pathOrPaths: string | readonly string[]): string {
  return typeof pathOrPaths === 'string' ? pathOrPaths : pathOrPaths.join(', ');
}
