import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, errorMessage } from '../errors.ts';
import { formatProblem, loadInstances } from '../instances/load.ts';
import { createRunDir } from '../store/run-dir.ts';
import type { TaskTestLists } from '../stats/matrix.ts';
import type { ImportedColumn } from './columns.ts';
import { readHarnessRuns } from './harness-reports.ts';
import { parseHarnessSummary, summariesTable } from './harness-summary.ts';
import { failureWith } from './problems.ts';
import type { ImportedUnroll } from './record.ts';
import { parseResolvedTable, resolvedTableUnrolls, type Orientation, type ResolvedTable } from './resolved-table.ts';
import { findRunFolders } from './run-folders.ts';

export type ImportSource =
  /** Official-harness run folders (`<run>/<instance_id>/report.json`), or folders holding them; run k = unroll k. */
  | {
      readonly kind: 'harness';
      readonly folders: readonly string[];
      readonly dataset?: string;
      readonly missing?: 'skip' | 'fail';
    }
  /** A per-run resolved table (JSON, JSONL or CSV), run k of the selection = unroll k. */
  | {
      readonly kind: 'table';
      readonly file: string;
      readonly runs?: readonly string[];
      readonly missing?: 'skip' | 'fail';
      readonly orientation?: Orientation;
    }
  /** Official-harness summaries (`<model>.<run_id>.json`), one run each, resolved only; file k = unroll k. */
  | {
      readonly kind: 'summaries';
      readonly files: readonly string[];
      readonly runs?: readonly string[];
      readonly missing?: 'skip' | 'fail';
    };

export interface ImportOptions {
  readonly source: ImportSource;
  readonly model?: string;
  /** Parent directory of the new run (default logs/). */
  readonly root?: string;
  readonly runId?: string;
  readonly onWarning?: (message: string) => void;
}

export interface ImportResult {
  readonly runDir: string;
  readonly runId: string;
  readonly unrolls: number;
  readonly instances: number;
  /** Source runs (folders or table columns) imported. */
  readonly runs: number;
  /** Imported unrolls that are infrastructure failures (kept in the run, left out of the statistics). */
  readonly infraErrors: number;
  readonly resolvedOnly: boolean;
  /** (run, task) pairs without a value (tables) or a folder (harness), skipped or counted unresolved per `missing`. */
  readonly missing: number;
  /** The runs imported, in unroll order: table columns, or run folders (their path as the name). */
  readonly columns: readonly ImportedColumn[];
  /** Sentences about inputs that could not be used as they are. */
  readonly problems: string[];
}

/** `hotmess import`: converts another tool's results of several runs into a new hotmess run directory. */
export async function importRun(options: ImportOptions): Promise<ImportResult> {
  const { source } = options;
  let unrolls: ImportedUnroll[];
  let problems: string[];
  let runs: readonly string[];
  let missing = 0;
  let columns: readonly ImportedColumn[] = [];
  if (source.kind === 'harness') {
    const dataset = source.dataset === undefined ? undefined : await loadTestLists(source.dataset);
    const found = await findRunFolders(source.folders);
    const read = await readHarnessRuns({
      folders: found.runs,
      missing: source.missing ?? 'skip',
      ...(dataset ? { dataset } : {}),
      ...(options.model ? { model: options.model } : {}),
    });
    ({ unrolls, missing } = read);
    problems = [...found.problems, ...read.problems];
    runs = found.runs;
    columns = read.runs;
  } else {
    const file =
      source.kind === 'table' ? path.resolve(source.file) : source.files.map((f) => path.resolve(f)).join(', ');
    const table =
      source.kind === 'table' ? await readTable(file, source.orientation) : await readSummaries(source.files);
    runs = source.runs ?? table.runs;
    const converted = resolvedTableUnrolls(table, {
      runs,
      missing: source.missing ?? 'skip',
      source: file,
      ...(options.model ? { model: options.model } : {}),
    });
    ({ unrolls, missing, columns } = converted);
    problems = table.problems;
  }
  if (unrolls.length === 0) throw failureWith('The sources hold no unroll to import.', problems);
  assertUsable(unrolls, source);

  const run = await createRunDir({
    kind: 'import',
    config: { import: describeSource(source, runs), model: options.model ?? null },
    seeds: { base: 0 },
    ...(options.root ? { root: options.root } : {}),
    ...(options.runId ? { runId: options.runId } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  try {
    await run.appendUnrolls(unrolls.map((u) => ({ ...u.record, run_id: run.runId })));
    for (const u of unrolls) {
      const { instance_id: id, unroll } = u.record;
      if (u.patch !== undefined) await run.writePatch(id, unroll, u.patch);
      if (u.testLog !== undefined) await run.writeGradingLog(id, unroll, u.testLog);
    }
    const predictions = unrolls
      .filter((u) => u.patch !== undefined)
      .map((u) => ({
        instance_id: u.record.instance_id,
        model_name_or_path: u.record.model,
        model_patch: u.patch as string,
        unroll: u.record.unroll,
      }));
    if (predictions.length > 0) await run.appendPredictions(predictions);
  } finally {
    await run.close();
  }
  return {
    runDir: run.dir,
    runId: run.runId,
    unrolls: unrolls.length,
    instances: new Set(unrolls.map((u) => u.record.instance_id)).size,
    runs: runs.length,
    infraErrors: unrolls.filter((u) => u.record.infra_error !== null).length,
    resolvedOnly: source.kind !== 'harness',
    missing,
    columns,
    problems,
  };
}

/** The source as run.json records it: absolute paths, and the runs actually imported. */
function describeSource(source: ImportSource, runs: readonly string[]): Record<string, unknown> {
  if (source.kind === 'harness') {
    return {
      kind: 'harness',
      folders: runs,
      dataset: source.dataset === undefined ? null : path.resolve(source.dataset),
      missing: source.missing ?? 'skip',
    };
  }
  if (source.kind === 'summaries') {
    return {
      kind: 'summaries',
      files: source.files.map((f) => path.resolve(f)),
      runs,
      missing: source.missing ?? 'skip',
    };
  }
  return {
    kind: 'table',
    file: path.resolve(source.file),
    runs,
    missing: source.missing ?? 'skip',
    orientation: source.orientation ?? null,
  };
}

/**
 * Refuses an import the statistics could not use: every unroll an infrastructure failure or without tests
 * (reports without test results, and no test lists to grade them by).
 */
function assertUsable(unrolls: readonly ImportedUnroll[], source: ImportSource): void {
  if (unrolls.some((u) => u.record.infra_error === null && u.record.tests.length > 0)) return;
  const infra = unrolls.filter((u) => u.record.infra_error !== null).length;
  const untested = unrolls.length - infra;
  const hint =
    untested > 0 && source.kind === 'harness'
      ? source.dataset === undefined
        ? '; pass --dataset <SWE-bench dataset file> so that reports without test results (e.g. patch_is_None) are graded by its FAIL_TO_PASS/PASS_TO_PASS'
        : '; the dataset has none of their instances either'
      : '';
  throw new InputError(
    `None of the ${unrolls.length} unrolls can be analysed (${infra} infrastructure failures, ${untested} without test lists)${hint}.`,
  );
}

/** One table file: a per-run resolved table, or a single official-harness summary (one run). */
async function readTable(file: string, orientation: Orientation | undefined): Promise<ResolvedTable> {
  const text = await readText(file);
  const summary = parseHarnessSummary(file, text);
  return summary === undefined ? parseResolvedTable(file, text, orientation) : summariesTable([{ file, summary }]);
}

/** Several files, each an official-harness summary: several runs, not a mix. */
async function readSummaries(files: readonly string[]): Promise<ResolvedTable> {
  const summaries = [];
  for (const given of files) {
    const file = path.resolve(given);
    const summary = parseHarnessSummary(file, await readText(file));
    if (summary === undefined) {
      throw new InputError(
        `${given} is not an official-harness summary (resolved_ids, unresolved_ids, …); several files must all be, or give one table file.`,
        file,
      );
    }
    summaries.push({ file, summary });
  }
  return summariesTable(summaries);
}

/** FAIL_TO_PASS / PASS_TO_PASS of every valid record of a dataset file (SWE-bench JSONL or JSON). */
export async function loadTestLists(file: string): Promise<Map<string, TaskTestLists>> {
  const { instances, problems } = await loadInstances(file);
  // Lists asked for and none read: going on would analyse the run as if no file had been given.
  if (instances.length === 0) {
    const first =
      problems[0] === undefined ? '' : ` (${problems.length} bad record(s), the first: ${formatProblem(problems[0])})`;
    throw new InputError(`${file} holds no valid instance to take test lists from${first}.`, file);
  }
  return new Map(instances.map((i) => [i.instance_id, { FAIL_TO_PASS: i.FAIL_TO_PASS, PASS_TO_PASS: i.PASS_TO_PASS }]));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${errorMessage(err)})`;
    throw new InputError(`${file} ${reason}.`, file);
  }
}
