import type { Argv, CommandModule } from 'yargs';
import { actionCapacity } from '../../agent/limits.ts';
import { UsageError } from '../../errors.ts';
import { expectSpec, type SpecExpectation } from '../../sim/expected.ts';
import { simPlayable, simSpecFor } from '../../sim/default-spec.ts';
import {
  instanceOptions,
  selectInstances,
  simDefaultOption,
  type InstanceArgs,
  type SimDefaultArgs,
} from '../run-options.ts';
import { table } from '../ui.ts';
import { numberOption } from '../number-flags.ts';

interface ExpectedArgs extends InstanceArgs, SimDefaultArgs {
  unrolls: number;
  'max-actions': number;
  'max-messages': number;
  json: boolean;
}

/**
 * The simulated agent's exact ground truth, without a run: per task the true error, bias², variance and
 * incoherence its spec implies, and what the plug-in estimator over R unrolls is expected to report
 * (variance × (R−1)/R), so that a sim run can be judged against it.
 */
export const expectedCommand: CommandModule<object, ExpectedArgs> = {
  builder: (y: Argv) =>
    instanceOptions(y)
      .option('unrolls', {
        alias: 'R',
        ...numberOption('unrolls', { kind: 'integer', min: 1 }, {}),
        default: 10,
        describe: 'Unrolls per task of the run to compare with (the plug-in variance is (R−1)/R of the true one)',
      })
      .option('max-actions', {
        ...numberOption('max-actions', { kind: 'integer', min: 0 }, {}),
        default: 250,
        describe: 'Action limit of the run (past it an unroll counts as no change)',
      })
      .option(
        'max-messages',
        numberOption(
          'max-messages',
          { kind: 'integer', min: 1 },
          { default: 250, describe: 'Message limit of the run' },
        ),
      )
      .option('sim-default', {
        ...simDefaultOption,
        describe: 'For instances without a `sim` spec: the mix of gold patch and no patch the run uses',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print every expectation as JSON',
      }) as unknown as Argv<ExpectedArgs>,
  handler: async (args) => {
    const instances = await selectInstances(args, (line) => process.stderr.write(`${line}\n`));
    const withSpec = instances.filter(simPlayable);
    if (withSpec.length === 0)
      throw new UsageError(`None of the ${instances.length} selected instances has a \`sim\` spec or a gold patch.`);
    if (withSpec.length < instances.length)
      process.stderr.write(
        `${instances.length - withSpec.length} selected instances have neither a \`sim\` spec nor a gold patch and are left out.\n`,
      );
    const capacity = actionCapacity({ maxActions: args['max-actions'], maxMessages: args['max-messages'] });
    const expectations = await Promise.all(
      withSpec.map(async (i) => expectSpec(await simSpecFor(i, args['sim-default']), { actionLimit: capacity })),
    );
    if (args.json) {
      process.stdout.write(
        `${JSON.stringify({ format: 'hotmess.expected/1', actionLimit: capacity, tasks: expectations }, null, 1)}\n`,
      );
      return;
    }
    process.stdout.write(`${table(expectedRows(expectations, args.unrolls))}\n`);
  },
};

/** The table rows: a header, one row per task, and the set as a ratio of sums. */
export function expectedRows(tasks: readonly SpecExpectation[], unrolls: number): string[][] {
  const plugIn = (unrolls - 1) / unrolls;
  const f = (x: number) => x.toFixed(3);
  const ratio = (v: number, e: number) => (e > 0 ? f(v / e) : '—');
  const rows = [
    [
      'task',
      'E[actions]',
      'P(limit)',
      'P(resolve)',
      'error',
      'bias²',
      'variance',
      'incoherence',
      `measured at R=${unrolls}`,
    ],
  ];
  for (const t of tasks) {
    rows.push([
      t.instanceId,
      t.expectedExecutedActions.toFixed(1),
      f(t.limitHitProbability),
      f(t.resolveProbability),
      f(t.error),
      f(t.bias2),
      f(t.variance),
      ratio(t.variance, t.error),
      ratio(plugIn * t.variance, t.error),
    ]);
  }
  const sum = (pick: (t: SpecExpectation) => number) => tasks.reduce((s, t) => s + pick(t), 0);
  const n = tasks.length;
  const [e, b, v] = [sum((t) => t.error), sum((t) => t.bias2), sum((t) => t.variance)];
  rows.push([
    `all ${n} tasks`,
    (sum((t) => t.expectedExecutedActions) / n).toFixed(1),
    f(sum((t) => t.limitHitProbability) / n),
    f(sum((t) => t.resolveProbability) / n),
    f(e / n),
    f(b / n),
    f(v / n),
    ratio(v, e),
    ratio(plugIn * v, e),
  ]);
  return rows;
}
