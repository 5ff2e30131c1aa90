import path from 'node:path';
import { InputError, UsageError } from '../errors.ts';
import type { ImportedColumn } from './columns.ts';
import { parseCsv } from './csv.ts';
import { failureWith, withoutBom } from './problems.ts';
import { importedRecord, type ImportedUnroll } from './record.ts';

/** What a source says about one (run, task). */
export type TableOutcome = 'resolved' | 'unresolved' | 'no_patch' | 'infra';

export interface TableCell {
  readonly run: string;
  readonly task: string;
  readonly outcome: TableOutcome;
  /** The value as written in the source, for messages. */
  readonly raw: string;
}

/** A per-run resolved table: for several runs (columns), which tasks each resolved. */
export interface ResolvedTable {
  /** Runs in the order the source first names them. */
  readonly runs: string[];
  readonly cells: TableCell[];
  /** How the source was read, e.g. "runs → tasks JSON object". */
  readonly shape: string;
  /** One sentence per value that could not be used. */
  readonly problems: string[];
}

/** `runs`: the outer keys of a nested JSON object are runs; `tasks`: they are tasks. */
export type Orientation = 'runs' | 'tasks';

const words: Record<TableOutcome, ReadonlySet<string>> = {
  resolved: new Set(['1', 'true', 't', 'resolved', 'pass', 'passed', 'yes', 'y', 'success', 'full', '✓', '✔', '✅']),
  unresolved: new Set([
    '0',
    'false',
    'f',
    'failed',
    'fail',
    'unresolved',
    'no',
    'n',
    'failure',
    'partial',
    'not_resolved',
    '✗',
    '✘',
    '❌',
  ]),
  // The agent produced no patch: nothing changed, so unresolved.
  no_patch: new Set(['no_generation', 'no_patch', 'empty_patch', 'none']),
  // Nobody knows the outcome: the evaluation itself failed.
  infra: new Set(['no_logs', 'error', 'infra_error', 'infra', 'report_missing']),
};

const runFields = ['run_id', 'run', 'system', 'run_name', 'model_name_or_path'];
const taskFields = ['instance_id', 'task', 'task_id', 'instance'];
const outcomeFields = ['resolved', 'outcome', 'status', 'result'];

/** SWE-bench-style instance ids (`owner__repo-123`): how the task level of a nested object is recognised. */
const instanceIdLike = /^[^_\s][^\s]*__[^\s]+$/;

/**
 * Reads a per-run resolved table in any of the shapes seen in public multi-run data:
 * - a nested JSON object runs → tasks → value (kkkkkk0725 `per_run_results.json`) or tasks → runs → value
 *   (stone16 `per_instance.json`); which level holds the tasks is recognised by their instance-id form,
 *   or given by `orientation`;
 * - rows (JSONL, a JSON array, or CSV with a header) with a run, a task and an outcome field (composio
 *   `runs_summary.jsonl`: run_id, instance_id, resolved, report_missing);
 * - a wide CSV: a task column, then one column per run.
 * - a wide CSV: a task column, then one column per run; or one row per run, when the header cells are instance
 *   ids and the first column's values are not (a table written transposed).
 * Values: true/1/1.0/"resolved"/✓/Y/T and false/0/0.0/"failed"/✗/N/F (and similar words, in any case);
 * "no_generation" counts as no patch; null with `report_missing`, "no_logs" or "error" mean the evaluation failed
 * (infrastructure).
 */
export function parseResolvedTable(file: string, source: string, orientation?: Orientation): ResolvedTable {
  const text = withoutBom(source);
  const trimmed = text.trimStart();
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || !(trimmed.startsWith('{') || trimmed.startsWith('['))) {
    return fromCsv(file, parseCsv(file, text, ext === '.tsv' ? '\t' : ','));
  }
  if (trimmed.startsWith('[')) {
    const rows = parseJson(file, text);
    if (!Array.isArray(rows)) throw new InputError(`${file} is not a JSON array of rows.`, file);
    return fromRows(
      file,
      rows.map((value, i) => ({ value, where: `${file}[${i}]` })),
      'JSON array of rows',
    );
  }
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    return fromRows(file, jsonLines(file, text), 'JSON Lines rows');
  }
  if (!isObject(whole)) throw new InputError(`${file} holds no runs: expected an object, rows or CSV.`, file);
  return fromNested(file, whole, orientation);
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file} is not valid JSON (${(err as Error).message}).`, file, undefined, err);
  }
}

function jsonLines(file: string, text: string): { value: unknown; where: string }[] {
  const rows: { value: unknown; where: string }[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push({ value: JSON.parse(line) as unknown, where: `${file}:${i + 1}` });
    } catch (err) {
      throw new InputError(`${file}:${i + 1} is not valid JSON (${(err as Error).message}).`, file, i + 1, err);
    }
  });
  return rows;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects the cells of a table, keeping the first value of a (run, task) named twice. */
export class TableBuilder {
  readonly runs: string[] = [];
  readonly cells: TableCell[] = [];
  readonly problems: string[] = [];
  private readonly seen = new Set<string>();

  add(run: string, task: string, value: unknown, where: string, infraFlag = false): void {
    const outcome = infraFlag ? 'infra' : outcomeOf(value);
    if (outcome === undefined) {
      if (value !== null && value !== undefined && value !== '')
        this.problems.push(`${where}: cannot read ${JSON.stringify(value)} as resolved or not; skipped.`);
      return;
    }
    const key = `${run}\u0000${task}`;
    if (this.seen.has(key)) {
      this.problems.push(`${where}: run ${run} names ${task} again; the first value is kept.`);
      return;
    }
    this.seen.add(key);
    if (!this.runs.includes(run)) this.runs.push(run);
    this.cells.push({ run, task, outcome, raw: String(value) });
  }

  done(shape: string): ResolvedTable {
    return { runs: this.runs, cells: this.cells, shape, problems: this.problems };
  }
}

function outcomeOf(value: unknown): TableOutcome | undefined {
  if (typeof value === 'boolean') return value ? 'resolved' : 'unresolved';
  if (typeof value === 'number') return value === 1 ? 'resolved' : value === 0 ? 'unresolved' : undefined;
  if (typeof value !== 'string') return undefined;
  // U+FE0F is the emoji variation selector some editors append to ✔ and ✅.
  const word = value
    .trim()
    .toLowerCase()
    .replace(/\uFE0F/g, '');
  // pandas writes a 0/1 column that holds a blank as floats: 1.0, 0.0.
  if (/^[01]\.0*$/.test(word)) return word.startsWith('1') ? 'resolved' : 'unresolved';
  for (const outcome of ['resolved', 'unresolved', 'no_patch', 'infra'] as const)
    if (words[outcome].has(word)) return outcome;
  return undefined;
}

function fromNested(file: string, data: Record<string, unknown>, orientation: Orientation | undefined): ResolvedTable {
  const outer = Object.entries(data).filter(([key]) => !key.startsWith('_'));
  const inner = outer.flatMap(([, value]) => (isObject(value) ? Object.keys(value) : []));
  if (inner.length === 0) throw new InputError(`${file} is an object without nested run/task values.`, file);
  const outerIds = outer.every(([key]) => instanceIdLike.test(key));
  const innerIds = inner.every((key) => instanceIdLike.test(key));
  const orient = orientation ?? (outerIds && !innerIds ? 'tasks' : innerIds && !outerIds ? 'runs' : undefined);
  if (orient === undefined) {
    throw new UsageError(
      `Cannot tell runs from tasks in ${file}: say which the outer keys are with --orientation runs|tasks.`,
    );
  }
  const table = new TableBuilder();
  for (const [key, value] of outer) {
    if (!isObject(value)) {
      table.problems.push(`${file}: "${key}" is not an object of values; skipped.`);
      continue;
    }
    for (const [innerKey, cell] of Object.entries(value)) {
      const [run, task] = orient === 'runs' ? [key, innerKey] : [innerKey, key];
      table.add(run, task, cell, `${file}: ${key}.${innerKey}`);
    }
  }
  return table.done(orient === 'runs' ? 'JSON object runs → tasks' : 'JSON object tasks → runs');
}

function fromRows(file: string, rows: { value: unknown; where: string }[], shape: string): ResolvedTable {
  const table = new TableBuilder();
  for (const { value, where } of rows) {
    if (!isObject(value)) throw new InputError(`${where} is not an object with run, task and outcome fields.`, file);
    const run = pick(value, runFields);
    const task = pick(value, taskFields);
    const outcomeField = outcomeFields.find((f) => f in value);
    if (run === undefined || task === undefined || outcomeField === undefined) {
      throw new InputError(
        `${where} lacks a run (${runFields.join('/')}), task (${taskFields.join('/')}) or outcome (${outcomeFields.join('/')}) field.`,
        file,
      );
    }
    table.add(run, task, value[outcomeField], where, value.report_missing === true || value.report_missing === 'true');
  }
  return table.done(shape);
}

function pick(row: Record<string, unknown>, fields: readonly string[]): string | undefined {
  for (const field of fields) {
    const value = row[field];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

function fromCsv(file: string, rows: string[][]): ResolvedTable {
  const [header, ...body] = rows;
  if (header === undefined || header.length < 2)
    throw new InputError(`${file} has no CSV header with a task column and run columns.`, file);
  const names = header.map((h) => h.trim());
  const lower = names.map((h) => h.toLowerCase());
  const runAt = lower.findIndex((h) => runFields.includes(h));
  const taskAt = lower.findIndex((h) => taskFields.includes(h));
  const outcomeAt = lower.findIndex((h) => outcomeFields.includes(h));
  if (runAt >= 0 && taskAt >= 0 && outcomeAt >= 0) {
    const objects = body.map((cells, i) => ({
      value: Object.fromEntries(lower.map((h, k) => [h, cells[k] ?? ''])),
      where: `${file}:${i + 2}`,
    }));
    return fromRows(file, objects, 'CSV rows');
  }
  const table = new TableBuilder();
  const taskColumn = taskAt >= 0 ? taskAt : 0;
  if (taskAt < 0 && looksTransposed(names, body)) {
    body.forEach((cells, i) => {
      const run = cells[0]?.trim();
      if (!run) return;
      names.forEach((task, k) => {
        if (k > 0) table.add(run, task, cells[k] ?? '', `${file}:${i + 2} (${task})`);
      });
    });
    return table.done('CSV, one row per run');
  }
  body.forEach((cells, i) => {
    const task = cells[taskColumn]?.trim();
    if (!task) return;
    names.forEach((run, k) => {
      if (k !== taskColumn) table.add(run, task, cells[k] ?? '', `${file}:${i + 2} (${run})`);
    });
  });
  return table.done('CSV, one column per run');
}

/** Header cells after the first are all instance ids while no first-column value is one: runs are rows. */
function looksTransposed(names: readonly string[], body: readonly string[][]): boolean {
  const ids = names.slice(1);
  return (
    ids.length > 0 &&
    ids.every((n) => instanceIdLike.test(n)) &&
    body.every((cells) => !instanceIdLike.test(cells[0]?.trim() ?? ''))
  );
}

export interface TableImportOptions {
  /** Runs (columns) to import, in this order; default all, in the order the source names them. */
  readonly runs?: readonly string[];
  /**
   * A task some selected run has no value for: `skip` (default) leaves that unroll out; `fail` counts it as
   * unresolved, as SWE-bench's fixed denominator does for a task without a valid patch.
   */
  readonly missing?: 'skip' | 'fail';
  /** Model name recorded on every unroll; default the run's name. */
  readonly model?: string;
  readonly source: string;
}

/**
 * One unroll per (selected run, task): run k of the selection is unroll k, and each unroll has the single test
 * "resolved" (a FAIL_TO_PASS test, so that "no change" fails it), marked `resolved_only`.
 */
export function resolvedTableUnrolls(
  table: ResolvedTable,
  options: TableImportOptions,
): { unrolls: ImportedUnroll[]; missing: number; columns: ImportedColumn[] } {
  const runs = options.runs ?? table.runs;
  const unknown = runs.filter((run) => !table.runs.includes(run));
  if (unknown.length > 0) {
    throw new UsageError(`No run named ${unknown.join(', ')} in ${options.source}; it has ${table.runs.join(', ')}.`);
  }
  const twice = [...new Set(runs.filter((run, k) => runs.indexOf(run) !== k))];
  if (twice.length > 0)
    throw new UsageError(`--runs names ${twice.join(', ')} more than once; each run can be imported once.`);
  if (runs.length === 0) throw failureWith(`${options.source} holds no runs.`, table.problems, options.source);
  const byKey = new Map(table.cells.map((cell) => [`${cell.run}\u0000${cell.task}`, cell]));
  const tasks = [...new Set(table.cells.filter((cell) => runs.includes(cell.run)).map((cell) => cell.task))].sort();
  const unrolls: ImportedUnroll[] = [];
  let missing = 0;
  for (const task of tasks) {
    runs.forEach((run, unroll) => {
      const cell = byKey.get(`${run}\u0000${task}`);
      if (cell === undefined) missing++;
      if (cell === undefined && options.missing !== 'fail') return;
      const outcome: TableOutcome = cell?.outcome ?? 'no_patch';
      const common = {
        instance_id: task,
        unroll,
        model: options.model ?? run,
        source: `${options.source}#${run}`,
        resolved_only: true,
      };
      if (outcome === 'infra') {
        unrolls.push({
          record: importedRecord({
            ...common,
            grading_status: 'error',
            tests: [],
            resolution: 'NO',
            infra_error: `the source records "${cell?.raw}"`,
          }),
        });
        return;
      }
      const pass = outcome === 'resolved';
      unrolls.push({
        record: importedRecord({
          ...common,
          grading_status: outcome === 'no_patch' ? 'no_patch' : 'graded',
          tests: [
            {
              id: 'resolved',
              category: 'FAIL_TO_PASS',
              status: outcome === 'no_patch' ? 'MISSING' : pass ? 'PASSED' : 'FAILED',
              pass,
            },
          ],
          resolution: pass ? 'FULL' : 'NO',
        }),
      });
    });
  }
  const columns = runs.map((name, unroll) => ({
    name,
    unrolls: unrolls.filter((u) => u.record.unroll === unroll).length,
    tasks: table.cells.filter((cell) => cell.run === name).length,
  }));
  return { unrolls, missing, columns };
}
