import type { Argv, CommandModule } from 'yargs';
import { compareRuns, renderCompareMarkdown, writeCompareHtml } from '../../report/compare.ts';
import { reportOptions, statsFlags, type StatsFlags } from './report.ts';

interface CompareArgs extends StatsFlags {
  runs: string[];
  out?: string;
}

/** `hotmess compare <run-dir>...`: runs side by side, as markdown on stdout and optionally an HTML file. */
export const compareCommand: CommandModule<object, CompareArgs> = {
  builder: (yargs: Argv) =>
    statsFlags(
      yargs
        .positional('runs', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'Run directories (or run ids under logs/)',
        })
        .option('out', { type: 'string', describe: 'Also write the comparison as a self-contained HTML file' }),
    ),
  handler: async (args) => {
    const runs = await compareRuns(args.runs, await reportOptions(args));
    for (const run of runs)
      for (const warning of run.report.warnings) process.stderr.write(`hotmess: warning: ${warning}\n`);
    process.stdout.write(renderCompareMarkdown(runs));
    if (args.out !== undefined) process.stderr.write(`Wrote ${await writeCompareHtml(args.out, runs)}\n`);
  },
};
