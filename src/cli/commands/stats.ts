import type { Argv, CommandModule } from 'yargs';
import { loadTestLists } from '../../import/import-run.ts';
import { runMeta, simulatedBanner } from '../../report/meta.ts';
import { resolveRunDir } from '../../store/resolve-run.ts';
import { readRunJson, readUnrolls } from '../../store/run-dir.ts';
import { computeStats } from '../../stats/compute.ts';
import { formatStatsTable } from '../../stats/format.ts';
import type { LimitRule } from '../../stats/types.ts';
import { warn } from '../ui.ts';
import { numberOption } from '../number-flags.ts';

interface StatsArgs {
  run: string;
  json: boolean;
  buckets: number;
  'limit-rule': LimitRule;
  unbiased: boolean;
  bootstrap: number;
  seed: number;
  level: number;
  'over-unrolls': boolean;
  instances?: string;
}

/**
 * `hotmess stats <run-dir>`: bias/variance figures of a run, as a table (opening with the calibration banner for a
 * run on the simulated agent) or as JSON (StatsResult plus `simulated`).
 */
export const statsCommand: CommandModule<object, StatsArgs> = {
  builder: (yargs: Argv) =>
    yargs
      .positional('run', { type: 'string', demandOption: true, describe: 'Run directory (or a run id under logs/)' })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print the full result as JSON (StatsResult, plus `simulated`)',
      })
      .option(
        'buckets',
        numberOption('buckets', { kind: 'integer', min: 1 }, { default: 5, describe: 'Equal-count length buckets' }),
      )
      .option('limit-rule', {
        choices: ['no_change', 'grade'] as const,
        default: 'no_change' as const,
        describe: 'Unrolls stopped by a limit: graded as no change (as the paper) or on the diff they left',
      })
      .option('unbiased', {
        type: 'boolean',
        default: false,
        describe: 'Variance V·R/(R−1) and bias² = E − V instead of the plug-in 1/R',
      })
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
      .option('instances', {
        type: 'string',
        describe: 'Dataset file giving test lists to tasks whose unrolls have no per-test results',
      }),
  handler: async (args) => {
    const dir = await resolveRunDir(args.run);
    const run = await readRunJson(dir);
    const read = await readUnrolls(dir);
    for (const warning of read.warnings) process.stderr.write(`hotmess: warning: ${warning}\n`);
    const testLists = args.instances === undefined ? undefined : await loadTestLists(args.instances);
    const result = computeStats(read.records, {
      buckets: args.buckets,
      limitRule: args['limit-rule'],
      unbiased: args.unbiased,
      bootstrap: { resamples: args.bootstrap, seed: args.seed, level: args.level, overUnrolls: args['over-unrolls'] },
      ...(testLists ? { testLists } : {}),
    });
    const { simulated } = runMeta(run, read.records);
    if (args.json) {
      const { format, ...rest } = result;
      process.stdout.write(`${JSON.stringify({ format, simulated, ...rest }, null, 2)}\n`);
    } else {
      const banner = simulated ? warn(`SIMULATED AGENT — CALIBRATION RUN. ${simulatedBanner}`) : undefined;
      process.stdout.write(formatStatsTable(result, `hotmess stats: run ${run.run_id} (${dir})`, banner));
    }
  },
};
