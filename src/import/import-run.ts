import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, errorMessage } from '../errors.ts';
import { loadInstances } from '../instances/load.ts';
import { createRunDir } from '../store/run-dir.ts';
import type { TaskTestLists } from '../stats/matrix.ts';
import type { ImportedColumn } from './columns.ts';
import { readHarnessRuns } from './harness-reports.ts';
import type { ImportedUnroll } from './record.ts';
import { parseResolvedTable, resolvedTableUnrolls, type Orientation } from './resolved-table.ts';

export type ImportSource =
  /** Official-harness run folders (`<folder>/<instance_id>/report.json`), folder k = unroll k. */
  | { readonly kind: 'harness'; readonly folders: readonly string[]; readonly dataset?: string }
  /** A per-run resolved table (JSON, JSONL or CSV), run k of the selection = unroll k. */
  | {
      readonly kind: 'table';
      readonly file: string;
      readonly runs?: readonly string[];
      readonly missing?: 'skip' | 'fail';
      readonly orientation?: Orientation;
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
  /** For tables: (run, task) pairs without a value, skipped or counted unresolved per `missing`. */
  readonly missing: number;
  /** For tables: the columns imported, in unroll order (harness folders are named one by one on the command line: none). */
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
    const read = await readHarnessRuns({ folders: source.folders, ...(dataset ? { dataset } : {}), ...(options.model ? { model: options.model } : {}) });
    ({ unrolls, problems } = read);
    runs = source.folders.map((folder) => path.resolve(folder));
  } else {
    const file = path.resolve(source.file);
    const table = parseResolvedTable(file, await readText(file), source.orientation);
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
  if (unrolls.length === 0) throw new InputError('The sources hold no unroll to import.');

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
      .map((u) => ({ instance_id: u.record.instance_id, model_name_or_path: u.record.model, model_patch: u.patch as string, unroll: u.record.unroll }));
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
    resolvedOnly: source.kind === 'table',
    missing,
    columns,
    problems,
  };
}

/** The source as run.json records it: absolute paths, and the runs actually imported. */
function describeSource(source: ImportSource, runs: readonly string[]): Record<string, unknown> {
  if (source.kind === 'harness') {
    return { kind: 'harness', folders: runs, dataset: source.dataset === undefined ? null : path.resolve(source.dataset) };
  }
  return { kind: 'table', file: path.resolve(source.file), runs, missing: source.missing ?? 'skip', orientation: source.orientation ?? null };
}

/** FAIL_TO_PASS / PASS_TO_PASS of every valid record of a dataset file (SWE-bench JSONL or JSON). */
export async function loadTestLists(file: string): Promise<Map<string, TaskTestLists>> {
  const { instances } = await loadInstances(file);
  return new Map(instances.map((i) => [i.instance_id, { FAIL_TO_PASS: i.FAIL_TO_PASS, PASS_TO_PASS: i.PASS_TO_PASS }]));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${errorMessage(err)})`;
    throw new InputError(`${file} ${reason}.`, file);
  }
}
