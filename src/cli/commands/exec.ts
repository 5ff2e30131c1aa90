import type { Argv, CommandModule } from 'yargs';
import { connectEngine } from '../../docker/engine.ts';
import { UsageError } from '../../errors.ts';
import { ensureBaseImage } from '../../images/base.ts';
import { ensureInstanceImage } from '../../images/instance-image.ts';
import { loadInstance } from '../../instances/load.ts';
import { DockerSandboxProvider } from '../../sandbox/docker-provider.ts';
import { installSignalCleanup } from '../../sandbox/registry.ts';
import { reapContainers } from '../../sandbox/reaper.ts';
import { stderrProgress } from '../ui.ts';
import { numberOption } from '../number-flags.ts';

interface ExecArgs {
  command?: string[];
  image?: string;
  instances?: string;
  instance?: string;
  user?: string;
  workdir?: string;
  timeout: number;
  keep: boolean;
  mode: 'persistent' | 'exec';
}

/** `hotmess exec -- CMD`: runs one command in a fresh sandbox (the base image, an image, or an instance's). */
export const execCommand: CommandModule<object, ExecArgs> = {
  builder: (y: Argv) =>
    y
      .positional('command', { type: 'string', array: true, describe: 'The command (joined with spaces, run by bash)' })
      .option('image', { type: 'string', describe: 'Image to use (default: the base image)' })
      .option('instances', { type: 'string', describe: 'Instance file or directory, with --instance' })
      .option('instance', { type: 'string', describe: "Use this instance's image (built if missing)" })
      .option('user', { type: 'string', describe: 'User to run as (default: the image’s)' })
      .option('workdir', { type: 'string', describe: 'Working directory (default /testbed)' })
      .option(
        'timeout',
        numberOption(
          'timeout',
          { kind: 'seconds' },
          { default: 600, describe: 'Seconds before the command is killed' },
        ),
      )
      .option('mode', {
        choices: ['persistent', 'exec'] as const,
        default: 'exec' as const,
        describe: 'One exec for the command, or a persistent shell',
      })
      .option('keep', { type: 'boolean', default: false, describe: 'Keep the container afterwards' }),
  handler: async (args) => {
    // Words after `--` land in `_` (after the command name itself).
    const rest = (args as unknown as { _: (string | number)[] })._.slice(1).map(String);
    const cmd = [...(args.command ?? []), ...rest].join(' ');
    if (!cmd) throw new UsageError('Give a command to run, e.g. hotmess exec -- python3 --version');
    if (args.instance && !args.instances)
      throw new UsageError('--instance needs --instances (the file that defines it).');
    const { docker } = await connectEngine();
    installSignalCleanup();
    await reapContainers(docker);
    let image = args.image;
    let user = 'hotmess';
    let workdir = '/testbed';
    if (args.instance && args.instances) {
      const img = await ensureInstanceImage(docker, await loadInstance(args.instances, args.instance), stderrProgress);
      ({ tag: image, user, workdir } = img);
    } else if (!image) {
      image = (await ensureBaseImage(docker, stderrProgress)).tag;
    } else {
      user = 'root';
    }
    const sandbox = await new DockerSandboxProvider(docker, { keep: args.keep }).start(
      image,
      { user: args.user ?? user, workdir: args.workdir ?? workdir, execMode: args.mode },
      { run: `exec-${process.pid}` },
    );
    try {
      const result = await sandbox.exec(cmd, { timeoutMs: args.timeout * 1000 });
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      if (args.keep) process.stderr.write(`kept container ${sandbox.id.slice(0, 12)}\n`);
      process.exitCode = result.timedOut ? 124 : (result.exitCode ?? 1);
    } finally {
      await sandbox.close();
    }
  },
};
