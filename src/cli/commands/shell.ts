import type { Argv, CommandModule } from 'yargs';
import { err, out as c } from '../../colour.ts';
import { connectEngine } from '../../docker/engine.ts';
import { replayable, actionsOf } from '../../debug/actions.ts';
import { openDebugRun, unrollOf } from '../../debug/locate.ts';
import { actionLine } from '../render-replay.ts';
import { replayActions, replayTarget, startReplaySandbox } from '../../debug/replay.ts';
import { InputError, SandboxError, UsageError } from '../../errors.ts';
import { DockerSandboxProvider } from '../../sandbox/docker-provider.ts';
import { installSignalCleanup } from '../../sandbox/registry.ts';
import { numberOption } from '../number-flags.ts';
import { stderrProgress } from '../ui.ts';

interface ShellArgs {
  run: string;
  instance: string;
  unroll: number;
  at?: number;
  keep: boolean;
  instances?: string;
}

/** `hotmess shell <run> <instance> <unroll> [--at N]`: the sandbox as the agent left it after action N, interactively. */
export const shellCommand: CommandModule<object, ShellArgs> = {
  builder: (y: Argv) =>
    y
      .positional('run', { type: 'string', demandOption: true, describe: 'Run directory or run id' })
      .positional('instance', { type: 'string', demandOption: true, describe: 'Instance id' })
      .positional(
        'unroll',
        numberOption('unroll', { kind: 'integer', min: 0 }, { demandOption: true, describe: 'Unroll' }),
      )
      .option(
        'at',
        numberOption(
          'at',
          { kind: 'integer', min: 0 },
          { describe: 'Replay up to this action (as show numbers them; default: all)' },
        ),
      )
      .option('keep', {
        type: 'boolean',
        default: false,
        describe: 'Keep the container after the shell exits, and print its name',
      })
      .option('instances', {
        type: 'string',
        describe: "The task's instances, if not where run.json says",
      }) as unknown as Argv<ShellArgs>,
  handler: async (args) => {
    const run = await openDebugRun(args.run);
    const { trajectory } = await unrollOf(run, args.instance, args.unroll);
    if (!process.stdin.isTTY)
      throw new UsageError('The shell command needs a terminal: run it from an interactive shell.');
    const total = actionsOf(trajectory).length;
    if (args.at !== undefined && args.at > total)
      throw new InputError(
        `Unroll ${args.unroll} of ${args.instance} has ${total} actions; there is no action ${args.at}.`,
      );
    const { docker } = await connectEngine();
    installSignalCleanup();
    const target = await replayTarget(docker, run, trajectory, {
      ...(args.instances ? { instances: args.instances } : {}),
      progress: stderrProgress,
    });
    const sandbox = await startReplaySandbox(new DockerSandboxProvider(docker, { keep: args.keep }), target, 'shell');
    try {
      const upTo = args.at ?? total;
      const count = replayable(actionsOf(trajectory)).filter((a) => a.index <= upTo).length;
      process.stderr.write(err.dim(`Replaying ${count} commands (actions 1–${upTo})…\n`));
      await replayActions(sandbox, trajectory, {
        upTo,
        onAction: (x) => process.stderr.write(`${actionLine(err, x)}\n`),
      });
      if (!sandbox.openShell)
        throw new SandboxError('shell_unsupported', 'This sandbox cannot open an interactive shell.');
      process.stdout.write(
        c.bold(`Shell in ${sandbox.id.slice(0, 12)} after action ${upTo} of ${total}; exit to leave.\n`),
      );
      await sandbox.openShell();
    } finally {
      await sandbox.close();
    }
    if (args.keep) {
      const name = (await docker.getContainer(sandbox.id).inspect()).Name.replace(/^\//, '');
      process.stdout.write(`Kept container ${name} (${sandbox.id.slice(0, 12)}): docker exec -it ${name} bash\n`);
    } else process.stdout.write(c.dim('The container was removed.\n'));
  },
};
