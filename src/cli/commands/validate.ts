import type { Argv, CommandModule } from 'yargs';
import { connectEngine } from '../../docker/engine.ts';
import { HotmessError, ImageBuildError } from '../../errors.ts';
import { DockerSandboxProvider } from '../../sandbox/docker-provider.ts';
import { reapContainers } from '../../sandbox/reaper.ts';
import { installSignalCleanup } from '../../sandbox/registry.ts';
import { validationRows, validationSummary, verdict } from '../../validate/format.ts';
import { validateInstances } from '../../validate/validate.ts';
import { instanceOptions, selectInstances, timeoutMsFrom, type InstanceArgs } from '../run-options.ts';
import { bad, ok, stderrProgress, table } from '../ui.ts';
import { numberOption } from '../number-flags.ts';

interface ValidateArgs extends InstanceArgs {
  repeat: number;
  concurrency: number;
  'test-timeout': number;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  builder: (y: Argv) =>
    instanceOptions(y)
      .option(
        'repeat',
        numberOption(
          'repeat',
          { kind: 'integer', min: 1 },
          {
            default: 1,
            describe: 'Grade every patch this many times and name flaky tests',
          },
        ),
      )
      .option(
        'concurrency',
        numberOption('concurrency', { kind: 'integer', min: 1 }, { default: 2, describe: 'Gradings at once' }),
      )
      .option(
        'test-timeout',
        numberOption(
          'test-timeout',
          { kind: 'seconds' },
          {
            default: 600,
            describe: 'Seconds before a test command is killed',
          },
        ),
      ) as unknown as Argv<ValidateArgs>,
  handler: async (args) => {
    const testTimeoutMs = timeoutMsFrom('test-timeout', args['test-timeout']);
    const instances = await selectInstances(args, (line) => process.stderr.write(`${line}\n`));
    const { docker } = await connectEngine();
    installSignalCleanup();
    // Containers of a killed earlier run would hold memory and pids the gradings need.
    await reapContainers(docker);
    process.stderr.write(`validating ${instances.length} task(s), each patch graded ${args.repeat} time(s)\n`);
    const report = await validateInstances({ docker, provider: new DockerSandboxProvider(docker) }, instances, {
      repeat: args.repeat,
      concurrency: args.concurrency,
      testTimeoutMs,
      onProgress: stderrProgress,
      onCheck: (c) => process.stderr.write(`  ${c.ok ? ok('ok') : bad(verdict(c))}  ${c.instance_id} ${c.check}\n`),
    });
    const rows = validationRows(report).map((r) =>
      r.cells.map((cell, i) => (i === r.cells.length - 1 ? (r.ok ? ok(cell) : bad(cell)) : cell)),
    );
    process.stdout.write(`${table([['task', 'check', 'expected', 'observed', 'result'], ...rows])}\n`);
    for (const f of report.flakyTests) process.stdout.write(`flaky: ${f.instance_id} ${f.test}\n`);
    process.stdout.write(`${validationSummary(report)}\n`);
    const failed = report.checks.filter((c) => !c.ok);
    const unbuilt = failed.filter((c) => verdict(c) === 'BUILD FAILED').length;
    const mismatched = failed.length - unbuilt;
    if (mismatched > 0) {
      const also = unbuilt > 0 ? `, and ${unbuilt} task(s) could not be built` : '';
      throw new HotmessError(
        'validation_failed',
        `${mismatched} of ${report.checks.length} checks do not match what the tasks declare${also}.`,
        { exitCode: 1 },
      );
    }
    if (unbuilt > 0)
      throw new ImageBuildError(
        `The image of ${unbuilt} task(s) could not be built, so they were not checked (reasons in the table).`,
        undefined,
        '',
      );
  },
};
