import type { Argv, CommandModule } from 'yargs';
import { connectEngine } from '../../docker/engine.ts';
import { reapContainers } from '../../sandbox/reaper.ts';

interface ReapArgs {
  all: boolean;
  run?: string;
}

export const reapCommand: CommandModule<object, ReapArgs> = {
  builder: (y: Argv) =>
    y
      .option('all', {
        type: 'boolean',
        default: false,
        describe: 'Also remove the containers of runs still going, here or on other hosts',
      })
      .option('run', { type: 'string', describe: 'Only the containers of this run id' }) as unknown as Argv<ReapArgs>,
  handler: async (args) => {
    const { docker } = await connectEngine();
    const result = await reapContainers(docker, { all: args.all, ...(args.run ? { run: args.run } : {}) });
    for (const id of result.removed) process.stdout.write(`removed  ${id.slice(0, 12)}\n`);
    const kept = result.kept > 0 ? `; kept ${result.kept} of live runs (--all removes them too)` : '';
    process.stdout.write(`${result.removed.length} container(s) removed${kept}\n`);
  },
};
