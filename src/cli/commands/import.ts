import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError, UsageError } from '../../errors.ts';
import { mixedColumnsWarning, type ImportedColumn } from '../../import/columns.ts';
import { importRun, type ImportSource } from '../../import/import-run.ts';
import type { Orientation } from '../../import/resolved-table.ts';

interface ImportArgs {
  inputs: string[];
  dataset?: string;
  runs?: string;
  missing: 'skip' | 'fail';
  orientation?: Orientation;
  model?: string;
  'run-id'?: string;
  out?: string;
}

/** `hotmess import`: results of several runs made elsewhere become one hotmess run directory. */
export const importCommand: CommandModule<object, ImportArgs> = {
  builder: (yargs: Argv) =>
    yargs
      .positional('inputs', {
        type: 'string',
        array: true,
        demandOption: true,
        describe:
          'Run folders (each <instance_id>/report.json) or folders holding them (logs/run_evaluation, 3 levels down); ' +
          'or several official-harness summaries (<model>.<run_id>.json); or one table file (JSON, JSONL or CSV)',
      })
      .option('dataset', {
        type: 'string',
        describe:
          'Harness folders: dataset file whose test lists grade reports without test results and instances a run has no folder for',
      })
      .option('runs', {
        type: 'string',
        describe:
          'Table: comma-separated runs (columns) to import, in unroll order (default all). A table often holds several configurations ' +
          '(a baseline beside perturbed variants, or other agents): pick the repeats of one, e.g. --runs i0_run1,i0_run2,i0_run3',
      })
      .option('missing', {
        choices: ['skip', 'fail'] as const,
        default: 'skip' as const,
        describe:
          'A task a run has no value for (table) or no folder for (harness folders; the harness writes none for an empty patch) ' +
          'is left out, with a warning for folders (skip), or counted unresolved as no patch (fail)',
      })
      .option('orientation', {
        choices: ['runs', 'tasks'] as const,
        describe: 'Table: whether the outer keys of a nested JSON object are runs or tasks',
      })
      .option('model', { type: 'string', describe: 'Model name recorded on every unroll' })
      .option('run-id', { type: 'string', describe: 'Id of the new run (default: timestamp and random suffix)' })
      .option('out', { type: 'string', describe: 'Directory to create the run in (default logs/)' }),
  handler: async (args) => {
    const source = await sourceOf(args);
    const result = await importRun({
      source,
      ...(args.model ? { model: args.model } : {}),
      ...(args['run-id'] ? { runId: args['run-id'] } : {}),
      ...(args.out ? { root: args.out } : {}),
      onWarning: (message) => process.stderr.write(`hotmess: warning: ${message}\n`),
    });
    for (const problem of result.problems) process.stderr.write(`hotmess: warning: ${problem}\n`);
    const folders = source.kind === 'harness';
    process.stderr.write(
      columnList(
        folders ? 'Run folders' : 'Columns',
        folders ? 'with a folder' : 'with a value in the table',
        result.columns,
      ),
    );
    const mixed = args.runs === undefined && !folders ? mixedColumnsWarning(result.columns) : null;
    if (mixed !== null) process.stderr.write(`hotmess: warning: ${mixed}\n`);
    const pairs = folders ? '(run, instance) pairs without a folder' : '(run, task) pairs without a value';
    const missing =
      result.missing > 0
        ? `, ${result.missing} ${pairs} ${args.missing === 'fail' ? 'counted unresolved' : 'skipped'}`
        : '';
    process.stdout.write(
      `Imported ${result.unrolls} unrolls of ${result.instances} instances from ${result.runs} runs into ${result.runDir}` +
        ` (${result.infraErrors} infrastructure failures${missing}${result.resolvedOnly ? '; resolved only: one test per task' : ''}).\n`,
    );
  },
};

/** The columns or run folders imported, one a line, so that a reader sees what became the unrolls. */
function columnList(title: string, covers: string, imported: readonly ImportedColumn[]): string {
  if (imported.length === 0) return '';
  const columns = imported.map((c) => ({ ...c, name: shortPath(c.name) }));
  const width = Math.max(...columns.map((c) => c.name.length));
  const digits = String(Math.max(...columns.map((c) => c.unrolls))).length;
  const lines = columns.map((c, k) => {
    const covered = c.tasks === c.unrolls ? '' : ` (${c.tasks} ${covers})`;
    return `  unroll ${k}: ${c.name.padEnd(width)}  ${String(c.unrolls).padStart(digits)} unrolls${covered}`;
  });
  return `${title} imported (${columns.length}):\n${lines.join('\n')}\n`;
}

/** A run folder's path relative to the working directory when it is below it; a column name as it is. */
function shortPath(name: string): string {
  if (!path.isAbsolute(name)) return name;
  const relative = path.relative(process.cwd(), name);
  return relative === '' || relative.startsWith('..') ? name : relative;
}

async function sourceOf(args: ImportArgs): Promise<ImportSource> {
  const kinds = await Promise.all(
    args.inputs.map(async (input) => ((await statOf(input)).isDirectory() ? 'dir' : 'file')),
  );
  if (kinds.every((k) => k === 'dir')) {
    if (args.runs !== undefined || args.orientation !== undefined)
      throw new UsageError('--runs and --orientation apply to a table file, not to run folders.');
    return {
      kind: 'harness',
      folders: args.inputs,
      missing: args.missing,
      ...(args.dataset ? { dataset: args.dataset } : {}),
    };
  }
  if (kinds.includes('dir')) throw new UsageError('Give either run folders or table files, not a mix.');
  if (args.dataset !== undefined) throw new UsageError('--dataset applies to run folders, not to a resolved table.');
  const runs = args.runs
    ? {
        runs: args.runs
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== ''),
      }
    : {};
  const [file, ...more] = args.inputs;
  if (file === undefined || more.length > 0) {
    if (args.orientation !== undefined)
      throw new UsageError('--orientation applies to one table file, not to harness summaries.');
    return { kind: 'summaries', files: args.inputs, missing: args.missing, ...runs };
  }
  return {
    kind: 'table',
    file,
    missing: args.missing,
    ...runs,
    ...(args.orientation ? { orientation: args.orientation } : {}),
  };
}

async function statOf(input: string): Promise<Stats> {
  try {
    return await stat(path.resolve(input));
  } catch {
    throw new InputError(`${input} does not exist.`, input);
  }
}
