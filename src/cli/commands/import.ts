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
  command: 'import <inputs..>',
  describe: 'Import runs made elsewhere: official-harness run folders (report.json per instance) or a per-run resolved table',
  builder: (yargs: Argv) =>
    yargs
      .positional('inputs', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'Several run folders (each <instance_id>/report.json), or one table file (JSON, JSONL or CSV)',
      })
      .option('dataset', { type: 'string', describe: 'Harness folders: dataset file whose test lists grade reports without test results' })
      .option('runs', {
        type: 'string',
        describe:
          'Table: comma-separated runs (columns) to import, in unroll order (default all). A table often holds several configurations ' +
          '(a baseline beside perturbed variants, or other agents): pick the repeats of one, e.g. --runs i0_run1,i0_run2,i0_run3',
      })
      .option('missing', {
        choices: ['skip', 'fail'] as const,
        default: 'skip' as const,
        describe: 'Table: a task a run has no value for is left out (skip) or counted unresolved (fail)',
      })
      .option('orientation', { choices: ['runs', 'tasks'] as const, describe: 'Table: whether the outer keys of a nested JSON object are runs or tasks' })
      .option('model', { type: 'string', describe: 'Model name recorded on every unroll' })
      .option('run-id', { type: 'string', describe: 'Id of the new run (default: timestamp and random suffix)' })
      .option('out', { type: 'string', describe: 'Directory to create the run in (default logs/)' }),
  handler: async (args) => {
    const result = await importRun({
      source: await sourceOf(args),
      ...(args.model ? { model: args.model } : {}),
      ...(args['run-id'] ? { runId: args['run-id'] } : {}),
      ...(args.out ? { root: args.out } : {}),
      onWarning: (message) => process.stderr.write(`hotmess: warning: ${message}\n`),
    });
    for (const problem of result.problems) process.stderr.write(`hotmess: warning: ${problem}\n`);
    if (result.columns.length > 0) process.stderr.write(columnList(result.columns));
    const mixed = args.runs === undefined ? mixedColumnsWarning(result.columns) : null;
    if (mixed !== null) process.stderr.write(`hotmess: warning: ${mixed}\n`);
    const missing = result.missing > 0 ? `, ${result.missing} (run, task) pairs without a value ${args.missing === 'fail' ? 'counted unresolved' : 'skipped'}` : '';
    process.stdout.write(
      `Imported ${result.unrolls} unrolls of ${result.instances} instances from ${result.runs} runs into ${result.runDir}` +
        ` (${result.infraErrors} infrastructure failures${missing}${result.resolvedOnly ? '; resolved only: one test per task' : ''}).\n`,
    );
  },
};

/** The columns imported, one a line, so that a reader sees what became the unrolls. */
function columnList(columns: readonly ImportedColumn[]): string {
  const width = Math.max(...columns.map((c) => c.name.length));
  const digits = String(Math.max(...columns.map((c) => c.unrolls))).length;
  const lines = columns.map((c, k) => {
    const covered = c.tasks === c.unrolls ? '' : ` (${c.tasks} with a value in the table)`;
    return `  unroll ${k}: ${c.name.padEnd(width)}  ${String(c.unrolls).padStart(digits)} unrolls${covered}`;
  });
  return `Columns imported (${columns.length}):\n${lines.join('\n')}\n`;
}

async function sourceOf(args: ImportArgs): Promise<ImportSource> {
  const kinds = await Promise.all(args.inputs.map(async (input) => ((await statOf(input)).isDirectory() ? 'dir' : 'file')));
  if (kinds.every((k) => k === 'dir')) {
    if (args.runs !== undefined || args.orientation !== undefined) throw new UsageError('--runs and --orientation apply to a table file, not to run folders.');
    return { kind: 'harness', folders: args.inputs, ...(args.dataset ? { dataset: args.dataset } : {}) };
  }
  const [file] = args.inputs;
  if (args.inputs.length !== 1 || file === undefined) throw new UsageError('Give either several run folders or one table file, not a mix.');
  if (args.dataset !== undefined) throw new UsageError('--dataset applies to run folders, not to a resolved table.');
  return {
    kind: 'table',
    file,
    missing: args.missing,
    ...(args.runs ? { runs: args.runs.split(',').map((r) => r.trim()).filter((r) => r !== '') } : {}),
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
