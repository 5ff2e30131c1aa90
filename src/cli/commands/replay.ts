import type { Argv, CommandModule } from 'yargs';
import { out as c } from '../../colour.ts';
import { connectEngine } from '../../docker/engine.ts';
import { openDebugRun, unrollOf } from '../../debug/locate.ts';
import { actionLine, renderReplayReport } from '../render-replay.ts';
import { replayTarget, replayUnroll } from '../../debug/replay.ts';
import { DockerSandboxProvider } from '../../sandbox/docker-provider.ts';
import { installSignalCleanup } from '../../sandbox/registry.ts';
import { numberOption } from '../number-flags.ts';
import { stderrProgress } from '../ui.ts';

interface ReplayArgs {
  run: string;
  instance: string;
  unroll: number;
  instances?: string;
  exact: boolean;
  grade: boolean;
  json: boolean;
}

/** `hotmess replay <run> <instance> <unroll>`: the recorded actions again, without the model; divergences; grade. */
export const replayCommand: CommandModule<object, ReplayArgs> = {
  builder: (y: Argv) =>
    y
      .positional('run', { type: 'string', demandOption: true, describe: 'Run directory or run id' })
      .positional('instance', { type: 'string', demandOption: true, describe: 'Instance id' })
      .positional(
        'unroll',
        numberOption('unroll', { kind: 'integer', min: 0 }, { demandOption: true, describe: 'Unroll' }),
      )
      .option('instances', { type: 'string', describe: "The task's instances, if not where run.json says" })
      .option('exact', {
        type: 'boolean',
        default: false,
        describe: 'Compare outputs byte for byte (by default test runners’ timings such as "in 0.03s" are masked)',
      })
      .option('grade', {
        type: 'boolean',
        default: true,
        describe: 'Grade the final state and compare with the record (--no-grade: only replay the actions)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print the comparison as JSON',
      }) as unknown as Argv<ReplayArgs>,
  handler: async (args) => {
    const run = await openDebugRun(args.run);
    const { record, trajectory } = await unrollOf(run, args.instance, args.unroll);
    const { docker } = await connectEngine();
    installSignalCleanup();
    const target = await replayTarget(docker, run, trajectory, {
      ...(args.instances ? { instances: args.instances } : {}),
      progress: stderrProgress,
    });
    if (!args.json)
      process.stdout.write(
        `Replaying ${args.instance} unroll ${args.unroll} of run ${run.run.run_id} in a fresh sandbox of ${target.image.tag} (no model):\n`,
      );
    const testTimeout = run.run.config.testTimeoutMs;
    const report = await replayUnroll({ docker, provider: new DockerSandboxProvider(docker) }, target, record, {
      exact: args.exact,
      grade: args.grade,
      ...(typeof testTimeout === 'number' ? { testTimeoutMs: testTimeout } : {}),
      onAction: (x) => {
        if (!args.json) process.stdout.write(`${actionLine(c, x)}\n`);
      },
    });
    if (args.json) process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
    else process.stdout.write(renderReplayReport(c, report));
    if (report.divergences > 0 || !report.samePatch || (report.grade !== null && !report.grade.agrees))
      process.exitCode = 1;
  },
};
