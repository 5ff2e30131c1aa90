import type { Argv, CommandModule } from 'yargs';
import { connectEngine } from '../../docker/engine.ts';
import { reapContainers, type ReapResult } from '../../sandbox/reaper.ts';

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
        describe: 'Also remove the containers of live runs, of owners that cannot be told, and those kept with --keep',
      })
      .option('run', { type: 'string', describe: 'Only the containers of this run id' }) as unknown as Argv<ReapArgs>,
  handler: async (args) => {
    const { docker } = await connectEngine();
    const result = await reapContainers(docker, { all: args.all, ...(args.run ? { run: args.run } : {}) });
    for (const id of result.removed) process.stdout.write(`removed  ${id.slice(0, 12)}\n`);
    process.stdout.write(`${result.removed.length} container(s) removed${leftAlone(result)}\n`);
  },
};

function leftAlone(result: ReapResult): string {
  const parts = [
    result.alive > 0 ? `${result.alive} of live runs` : '',
    result.unknown > 0 ? `${result.unknown} whose owner cannot be told from here (another user or machine)` : '',
    result.kept > 0 ? `${result.kept} kept with --keep` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? `; left ${parts.join(', ')} (--all removes them too)` : '';
}
