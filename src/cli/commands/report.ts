import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { loadTestLists } from '../../import/import-run.ts';
import type { ReportOptions } from '../../report/build.ts';
import { headlineTable } from '../../report/headline.ts';
import { pagesDir } from '../../report/pages.ts';
import { writeReport } from '../../report/write.ts';
import type { LimitRule } from '../../stats/types.ts';
import { table, warn } from '../ui.ts';
import { numberOption } from '../number-flags.ts';

/** The statistics flags `report` and `compare` share (the same as `hotmess stats`). */
export interface StatsFlags {
  'limit-rule': LimitRule;
  buckets: number;
  bootstrap: number;
  seed: number;
  level: number;
  'over-unrolls': boolean;
  unbiased: boolean;
  instances?: string;
}

export function statsFlags<T>(yargs: Argv<T>) {
  return yargs
    .option('limit-rule', {
      choices: ['no_change', 'grade'] as const,
      default: 'no_change' as const,
      describe: 'Unrolls stopped by a limit: graded as no change (as the paper) or on the diff they left',
    })
    .option(
      'buckets',
      numberOption('buckets', { kind: 'integer', min: 1 }, { default: 5, describe: 'Equal-count length buckets' }),
    )
    .option('bootstrap', {
      ...numberOption('bootstrap', { kind: 'integer', min: 0 }, {}),
      default: 1000,
      describe: 'Bootstrap resamples over tasks for the confidence intervals (0: none)',
    })
    .option('seed', numberOption('seed', { kind: 'integer' }, { default: 0, describe: 'Bootstrap seed' }))
    .option(
      'level',
      numberOption(
        'level',
        { kind: 'number', min: 0, above: true, max: 1 },
        {
          default: 0.95,
          describe: 'Confidence level of the percentile intervals',
        },
      ),
    )
    .option('over-unrolls', {
      type: 'boolean',
      default: false,
      describe: "Also resample each task's unrolls (two-level bootstrap; slower)",
    })
    .option('unbiased', {
      type: 'boolean',
      default: false,
      describe: 'Variance V·R/(R−1) and bias² = E − V instead of the plug-in 1/R',
    })
    .option('instances', {
      type: 'string',
      describe: 'Dataset file giving test lists to tasks whose unrolls have no per-test results',
    });
}

export async function reportOptions(args: StatsFlags): Promise<ReportOptions> {
  return {
    limitRule: args['limit-rule'],
    buckets: args.buckets,
    bootstrap: args.bootstrap,
    seed: args.seed,
    level: args.level,
    overUnrolls: args['over-unrolls'],
    unbiased: args.unbiased,
    ...(args.instances === undefined ? {} : { testLists: await loadTestLists(args.instances) }),
  };
}

interface ReportArgs extends StatsFlags {
  run: string;
  out?: string;
  pages: boolean;
}

/** `hotmess report <run-dir>`: report.json, report.md and report.html of a run (DESIGN.md §8). */
export const reportCommand: CommandModule<object, ReportArgs> = {
  builder: (yargs: Argv) =>
    statsFlags(
      yargs
        .positional('run', { type: 'string', demandOption: true, describe: 'Run directory (or a run id under logs/)' })
        .option('out', { type: 'string', describe: 'Directory to write the report into (default: the run directory)' })
        .option('pages', {
          type: 'boolean',
          default: true,
          describe:
            'Also write the viewer: a page per task and per unroll under tasks/ (--no-pages: report files only)',
        }),
    ) as unknown as Argv<ReportArgs>,
  handler: async (args) => {
    const options = await reportOptions(args);
    await writeAndPrintReport(args.run, {
      ...options,
      pages: args.pages,
      ...(args.out === undefined ? {} : { out: args.out }),
    });
  },
};

/** Writes the three report files of a run and prints its headline table and their paths (also `run --report`). */
export async function writeAndPrintReport(run: string, options: Parameters<typeof writeReport>[1] = {}): Promise<void> {
  const { report, files, pages } = await writeReport(run, options);
  for (const warning of report.warnings) process.stderr.write(`hotmess: warning: ${warning}\n`);
  const lines: string[] = [];
  if (report.banner !== null) lines.push(warn(`SIMULATED AGENT — CALIBRATION RUN. ${report.banner}`), '');
  if (report.resolvedOnlyBanner !== null) lines.push(`RESOLVED-ONLY DATA. ${report.resolvedOnlyBanner}`, '');
  lines.push(
    `Run ${report.run.runId}: model ${report.run.model}, ${report.stats.counts.tasks} tasks, ${report.stats.counts.used} unrolls`,
    '',
  );
  lines.push(table(headlineTable(report)), '');
  lines.push(`Wrote ${files.json}`, `Wrote ${files.markdown}`, `Wrote ${files.html}`);
  if (pages !== null)
    lines.push(
      `Wrote ${pages.tasks} task pages and ${pages.trajectories} trajectory pages under ${path.join(path.dirname(files.html), pagesDir)}` +
        (pages.unchanged > 0 ? ` (${pages.unchanged} trajectory pages were up to date)` : ''),
    );
  process.stdout.write(`${lines.join('\n')}\n`);
}
