import type { Argv, CommandModule } from 'yargs';
import { out as c } from '../../colour.ts';
import { transcript } from '../../debug/actions.ts';
import { openDebugRun, taskOf, unrollOf } from '../../debug/locate.ts';
import { readTaskPatches } from '../../debug/patches.ts';
import { renderSummary, renderTrajectory } from '../render-show.ts';
import { summariseTask } from '../../debug/summary.ts';
import { numberOption } from '../number-flags.ts';
import { writePaged } from '../pager.ts';

interface ShowArgs {
  run: string;
  instance: string;
  unroll?: number;
  json: boolean;
  pager: boolean;
}

/** `hotmess show <run> <instance> [unroll]`: a task's unrolls side by side, or one unroll's whole trajectory. */
export const showCommand: CommandModule<object, ShowArgs> = {
  builder: (y: Argv) =>
    y
      .positional('run', { type: 'string', demandOption: true, describe: 'Run directory or run id' })
      .positional('instance', { type: 'string', demandOption: true, describe: 'Instance id' })
      .positional(
        'unroll',
        numberOption('unroll', { kind: 'integer', min: 0 }, { describe: 'Show this unroll’s trajectory' }),
      )
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of text' })
      .option('pager', {
        type: 'boolean',
        default: true,
        describe: 'Page long output on a terminal ($PAGER or less; --no-pager: never)',
      }) as unknown as Argv<ShowArgs>,
  handler: async (args) => {
    const run = await openDebugRun(args.run);
    if (args.unroll === undefined) {
      const { records } = await taskOf(run, args.instance);
      const summary = summariseTask(args.instance, records, await readTaskPatches(run.dir, args.instance, records));
      if (args.json)
        return void process.stdout.write(`${JSON.stringify({ run: run.run.run_id, ...summary }, null, 1)}\n`);
      return writePaged(renderSummary(c, run.run.run_id, summary), { pager: args.pager });
    }
    const { record, trajectory } = await unrollOf(run, args.instance, args.unroll);
    if (args.json) {
      const { messages: _messages, steps: _steps, ...meta } = trajectory;
      const json = {
        run: run.run.run_id,
        record: record ?? null,
        trajectory: meta,
        transcript: transcript(trajectory),
      };
      return void process.stdout.write(`${JSON.stringify(json, null, 1)}\n`);
    }
    return writePaged(renderTrajectory(c, trajectory, record), { pager: args.pager });
  },
};
