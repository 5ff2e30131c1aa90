import { err, out as c } from '../../colour.ts';
import type { Argv, CommandModule } from 'yargs';
import type { AgentObserver } from '../../agent/agent.ts';
import { connectEngine } from '../../docker/engine.ts';
import { ImageBuildError, UsageError } from '../../errors.ts';
import { artifactPath } from '../../store/layout.ts';
import { terminalStepper } from '../step-prompt.ts';
import { installSignalCleanup } from '../../sandbox/registry.ts';
import {
  instanceOptions,
  instanceSourceOf,
  limitOptions,
  limitsFrom,
  modelOptions,
  modelOptionsFrom,
  selectInstances,
  timeoutMsFrom,
  type InstanceArgs,
  type LimitArgs,
  type ModelArgs,
} from '../run-options.ts';
import { numberOption } from '../number-flags.ts';

interface RunOneArgs extends Omit<InstanceArgs, 'instance-ids'>, ModelArgs, LimitArgs {
  instance: string;
  seed: number;
  keep: boolean;
  step: boolean;
  out?: string;
}

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** Prints each action and a short observation as the agent goes (colour only on a terminal). */
function liveObserver(out: NodeJS.WriteStream): AgentObserver {
  const width = Math.max(60, (out.columns || 100) - 8);
  let action = 0;
  return {
    onTurn: (step, message) => {
      if (message.role === 'assistant' && message.content.trim())
        out.write(c.dim(`      ${oneLine(message.content, width)}\n`));
      if (step.stopReason === 'max_tokens') out.write(c.yellow('      (the reply was cut at the token limit)\n'));
    },
    onAction: (call, observation, record) => {
      action += 1;
      // What ran: a person's edit under --step replaces the proposed command.
      const given = record.arguments;
      const args =
        typeof given === 'string' ? given : typeof given.command === 'string' ? given.command : JSON.stringify(given);
      out.write(`${c.bold(`[${action}]`)} ${c.cyan(call.name)} ${oneLine(args, width)}\n`);
      if (record.rejected) {
        out.write(c.red(`      rejected: ${oneLine(record.rejected, width)}\n`));
        return;
      }
      if (call.name === 'submit') return;
      const status = record.timedOut
        ? c.red('timed out')
        : record.exitCode === 0
          ? c.green('exit 0')
          : c.red(`exit ${record.exitCode ?? '?'}`);
      const body = observation.replace(/^exit code \S+\n?/, '').replace(/<\/?std(out|err)>/g, '');
      out.write(
        `      ${status} · ${Math.round(record.durationMs ?? 0)} ms · ${c.dim(oneLine(body, width - 24) || '(no output)')}\n`,
      );
    },
  };
}

export const runOneCommand: CommandModule<object, RunOneArgs> = {
  builder: (y: Argv) =>
    limitOptions(modelOptions(instanceOptions(y)))
      .option('instance', { type: 'string', demandOption: true, describe: 'The instance id' })
      .option(
        'seed',
        numberOption(
          'seed',
          { kind: 'integer' },
          { default: 0, describe: 'Run seed (the unroll seed derives from it)' },
        ),
      )
      .option('out', { type: 'string', describe: 'Parent directory of runs (default logs/)' })
      .option('keep', {
        type: 'boolean',
        default: false,
        describe: 'Keep the agent container afterwards',
      })
      .option('step', {
        type: 'boolean',
        default: false,
        describe: 'Pause before each action: run, edit, shell, grade now or quit (needs a terminal)',
      }) as unknown as Argv<RunOneArgs>,
  handler: async (args) => {
    const out = process.stdout;
    // Checked before anything is loaded or started.
    const limits = limitsFrom(args);
    if (args.step && !process.stdin.isTTY)
      throw new UsageError('run-one --step needs a terminal: run it from an interactive shell.');
    const stepper = args.step ? terminalStepper() : undefined;
    const testTimeoutMs = timeoutMsFrom('test-timeout', args['test-timeout']);
    const instances = await selectInstances({ ...args, 'instance-ids': [args.instance] }, (l) =>
      process.stderr.write(`${l}\n`),
    );
    const { docker } = await connectEngine();
    installSignalCleanup();
    const model = args.model;
    out.write(`${c.bold('▶')} ${args.instance} · ${model} · seed ${args.seed}\n`);
    // Loaded here, not at start-up: the sweep pulls in the model SDKs and the Docker client, which every other
    // command (and --help) would otherwise wait for.
    const { runSweep } = await import('../../run/sweep.ts');
    const { DockerSandboxProvider } = await import('../../sandbox/docker-provider.ts');
    const result = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker, { keep: args.keep }),
      instances,
      config: {
        instancesSource: (await instanceSourceOf(args)).label,
        ...(args.dataset === undefined ? {} : { dataset: args.dataset }),
        instanceIds: [args.instance],
        model,
        modelOptions: await modelOptionsFrom(args),
        unrolls: 1,
        seed: args.seed,
        limits,
        testTimeoutMs,
        infraRetries: 0,
        execMode: args['exec-mode'],
      },
      concurrency: 1,
      run: { kind: 'new', ...(args.out ? { root: args.out } : {}) },
      observer: stepper ? { ...liveObserver(out), beforeAction: stepper.beforeAction } : liveObserver(out),
      hooks: { onNote: (text) => process.stderr.write(err.dim(`${text}\n`)) },
    });
    if (stepper?.stopped === 'quit') {
      const file = artifactPath(result.runDir.dir, 'trajectory', args.instance, 0);
      out.write(`${c.bold('■')} quit: the trajectory is kept in ${file} (not graded)\n`);
      return;
    }
    const record = (await result.runDir.readUnrolls()).records[0];
    // The sweep skips only a task whose image could not be built.
    if (!record)
      throw new ImageBuildError(
        `The unroll did not run: ${result.skipped[0]?.reason ?? 'unknown reason'}.`,
        undefined,
        '',
      );
    const f2p = record.tests.filter((t) => t.category === 'FAIL_TO_PASS');
    const p2p = record.tests.filter((t) => t.category === 'PASS_TO_PASS');
    out.write(
      `${c.bold('■')} ${record.stop_reason} after ${record.actions} actions, ${record.turns} turns, ${(record.wall_ms / 1000).toFixed(1)} s · ` +
        `tokens in ${record.input_tokens} out ${record.output_tokens}${record.reasoning_tokens ? ` (reasoning ${record.reasoning_tokens})` : ''} · $${record.cost_usd.toFixed(4)}\n`,
    );
    if (record.infra_error) {
      out.write(c.red(`infrastructure failure: ${record.infra_error}\n`));
    } else {
      const colour = record.resolution === 'FULL' ? c.green : record.resolution === 'PARTIAL' ? c.yellow : c.red;
      const detail =
        record.grading_status === 'graded' || record.grading_status === 'no_patch'
          ? `FAIL_TO_PASS ${f2p.filter((t) => t.pass).length}/${f2p.length}, PASS_TO_PASS ${p2p.filter((t) => t.pass).length}/${p2p.length}`
          : record.grading_status;
      out.write(`graded: ${colour(`RESOLVED_${record.resolution}`)} (${detail})\n`);
      for (const t of record.tests.filter((t) => !t.pass))
        out.write(c.dim(`  failing: ${t.id} (${t.category}, ${t.status})\n`));
    }
    out.write(`run directory: ${result.runDir.dir}\n`);
    if (record.infra_error) process.exitCode = 1;
  },
};
