import type { Argv, CommandModule } from 'yargs';
import { connectEngine } from '../../docker/engine.ts';
import { ImageBuildError, UsageError } from '../../errors.ts';
import type { Instance } from '../../instances/schema.ts';
import { ProgressReporter } from '../../run/progress.ts';
import { openResumedRun } from '../../run/resume-plan.ts';
import type { SweepConfig, SweepHooks, SweepRequest } from '../../run/sweep.ts';
import { checkQueueReachable, parseQueueAddress, type QueueAddress } from '../../queue/connection.ts';
import { installSignalCleanup } from '../../sandbox/registry.ts';
import { writeAndPrintReport } from './report.ts';
import {
  diskBudgetFlag,
  imageSourceFlags,
  pullProgressLine,
  runImageOptionsFrom,
  type ImageSourceArgs,
} from '../image-options.ts';
import { computeStats } from '../../stats/compute.ts';
import { formatStatsTable } from '../../stats/format.ts';
import {
  instanceOptions,
  instanceSourceOf,
  limitOptions,
  limitsFrom,
  modelOptions,
  modelOptionsFrom,
  selectInstances,
  type InstanceArgs,
  type LimitArgs,
  type ModelArgs,
} from '../run-options.ts';
import { numberOption } from '../number-flags.ts';

interface RunArgs extends InstanceArgs, ModelArgs, LimitArgs, ImageSourceArgs {
  unrolls: number;
  concurrency: number;
  seed: number;
  'run-id'?: string;
  out?: string;
  resume?: string;
  keep: boolean;
  'infra-retries': number;
  'grade-cache': boolean;
  report: boolean;
  'dry-run': boolean;
  'max-run-cost'?: number;
  queue?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  builder: (y: Argv) =>
    diskBudgetFlag(imageSourceFlags(limitOptions(modelOptions(instanceOptions(y)))))
      .option(
        'unrolls',
        numberOption('unrolls', { kind: 'integer', min: 1 }, { alias: 'R', default: 10, describe: 'Unrolls per task' }),
      )
      .option(
        'concurrency',
        numberOption(
          'concurrency',
          { kind: 'integer', min: 1 },
          {
            alias: 'C',
            default: 2,
            describe: 'Unrolls running at once',
          },
        ),
      )
      .option(
        'seed',
        numberOption(
          'seed',
          { kind: 'integer' },
          {
            default: 0,
            describe: "Run seed: every unroll's seed derives from it, the task and the unroll index",
          },
        ),
      )
      .option('run-id', { type: 'string', describe: 'Name of the run directory (default: a timestamp)' })
      .option('out', { type: 'string', describe: 'Parent directory of runs (default logs/, or $HOTMESS_LOGS)' })
      .option('resume', {
        type: 'string',
        describe:
          'Resume this run (directory or id): finished unrolls are kept, the rest run; other flags but --concurrency are taken from it',
      })
      .option('keep', { type: 'boolean', default: false, describe: 'Keep the agent containers afterwards (debugging)' })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe:
          'Print what the run would do (tasks, unrolls, images to pull and their sizes, the most it may cost) and stop; nothing is started or written',
      })
      .option(
        'max-run-cost',
        numberOption(
          'max-run-cost',
          { kind: 'number', min: 0, above: true },
          {
            describe:
              'Dollars the whole run may spend (its unrolls of earlier sessions count): once reached no unroll starts, those running finish, and the run stops for --resume (exit 7); also taken with --resume',
          },
        ),
      )
      .option('queue', {
        type: 'string',
        describe:
          'Enqueue the unrolls on redis://HOST:PORT[/DB] for hotmess worker processes to run, instead of running them here',
      })
      .option('report', {
        type: 'boolean',
        default: false,
        describe: 'Write the report (report.html, .md, .json) when the run ends, and print its headline table',
      })
      .option('grade-cache', {
        type: 'boolean',
        default: false,
        describe:
          'Grade each distinct patch of a task once and reuse the result (only for deterministic tests: check with validate --repeat)',
      })
      .option(
        'infra-retries',
        numberOption(
          'infra-retries',
          { kind: 'integer', min: 0 },
          {
            default: 2,
            describe: 'Retries of an unroll whose model API, sandbox or grader failed',
          },
        ),
      ) as unknown as Argv<RunArgs>,
  handler: async (args) => {
    const warn = (line: string) => process.stderr.write(`${line}\n`);
    if (args['dry-run'] && args.resume) throw new UsageError('--dry-run plans a new run: leave out --resume.');
    // The instances first: a bad selection or a dataset not in the cache is told before the engine is needed.
    const selected = args.resume ? undefined : await selectInstances(args, warn);
    const queue = args.queue === undefined ? undefined : parseQueueAddress(args.queue);
    // With a queue, the workers' engines do the work: this process needs none (but to plan a dry run).
    if (queue) await checkQueueReachable(queue);
    const docker = queue && !args['dry-run'] ? undefined : (await connectEngine()).docker;
    // A signal stops the sweep before the containers go, so that unrolls cut short are left to --resume
    // rather than recorded as sandbox failures.
    const interrupt = new AbortController();
    installSignalCleanup((signal) => {
      interrupt.abort();
      warn(`\n${signal}: removing this run's containers; resume with --resume`);
    });

    let config: SweepConfig;
    let run: SweepRequest['run'];
    let instances: Instance[];
    if (args.resume) {
      const resumed = await openResumedRun(args.resume);
      ({ config, instances } = resumed);
      run = { kind: 'resume', dir: resumed.dir };
    } else {
      instances = selected as Instance[];
      config = {
        instancesSource: (await instanceSourceOf(args)).label,
        ...(args.dataset === undefined ? {} : { dataset: args.dataset }),
        instanceIds: instances.map((i) => i.instance_id),
        model: args.model,
        modelOptions: await modelOptionsFrom(args),
        unrolls: args.unrolls,
        seed: args.seed,
        limits: limitsFrom(args),
        testTimeoutMs: Math.round(args['test-timeout'] * 1000),
        infraRetries: args['infra-retries'],
        execMode: args['exec-mode'],
        gradeCache: args['grade-cache'],
        images: runImageOptionsFrom(args),
      };
      run = {
        kind: 'new',
        ...(args.out ? { root: args.out } : {}),
        ...(args['run-id'] ? { runId: args['run-id'] } : {}),
      };
    }

    if (args['dry-run']) {
      const { planRun } = await import('../../run/dry-run.ts');
      const { formatDryRun } = await import('../dry-run.ts');
      const plan = await planRun({
        docker: docker ?? (await connectEngine()).docker,
        instances,
        config,
        concurrency: args.concurrency,
        maxRunCostUsd: args['max-run-cost'],
      });
      process.stdout.write(formatDryRun(plan));
      return;
    }

    let reporter: ProgressReporter | undefined;
    const pullShown = new Map<string, number>();
    const hooks: SweepHooks = {
      onNote: (text) => (reporter ? reporter.note(text) : warn(text)),
      // On a terminal, a pull's layers every few seconds; off it, hotmess.log has them.
      onPullProgress: (p) => {
        if (!process.stderr.isTTY || Date.now() - (pullShown.get(p.image) ?? 0) < 3000) return;
        pullShown.set(p.image, Date.now());
        const line = pullProgressLine(p);
        if (reporter) reporter.note(line);
        else warn(line);
      },
      onProgress: (state) => {
        if (!reporter) {
          reporter = new ProgressReporter(state);
          reporter.start();
        }
        reporter.update();
      },
    };
    const common = { instances, config, run, signal: interrupt.signal, hooks };
    // Loaded here, not at start-up: the sweep pulls in the model SDKs and the Docker client, which every other
    // command (and --help) would otherwise wait for.
    const result = docker
      ? await (
          await import('../../run/sweep.ts')
        ).runSweep({
          ...common,
          docker,
          provider: new (await import('../../sandbox/docker-provider.ts')).DockerSandboxProvider(docker, {
            keep: args.keep,
          }),
          concurrency: args.concurrency,
          ...(args['max-run-cost'] === undefined ? {} : { maxRunCostUsd: args['max-run-cost'] }),
        })
      : await (
          await import('../../queue/coordinator.ts')
        ).runQueued({
          ...common,
          address: queue as QueueAddress,
          ...(args['max-run-cost'] === undefined ? {} : { maxRunCostUsd: args['max-run-cost'] }),
        });
    reporter?.stop();
    const { state, runDir, skipped } = result;
    warn(`run ${runDir.runId}: ${state.done}/${state.total} unrolls in ${runDir.dir}`);
    if (skipped.length)
      warn(
        `${skipped.length} tasks not run, for an infrastructure reason (their images could not be pulled or built; not the agent's failures): ${skipped.map((s) => s.instance_id).join(', ')}`,
      );
    if (skipped.length > 0 && state.total === 0) {
      throw new ImageBuildError(
        `No task could run: the image of every selected task could not be pulled or built (reasons above, full logs in ${runDir.dir}/hotmess.log).`,
        undefined,
        '',
      );
    }
    if (args.report) {
      await writeAndPrintReport(runDir.dir);
    } else {
      const read = await runDir.readUnrolls();
      const stats = computeStats(read.records, { bootstrap: { resamples: 1000, seed: 0 } });
      process.stdout.write(
        formatStatsTable(stats, `hotmess run ${runDir.runId} (${config.model}, R=${config.unrolls})`),
      );
    }
    process.stdout.write(`\nrun directory: ${runDir.dir}\n`);
  },
};
