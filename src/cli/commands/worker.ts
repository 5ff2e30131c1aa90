import path from 'node:path';
import pino from 'pino';
import type { Argv, CommandModule } from 'yargs';
import { connectEngine, engineAddress } from '../../docker/engine.ts';
import { defaultStateDir } from '../../images/pulled-state.ts';
import { checkQueueReachable, parseQueueAddress } from '../../queue/connection.ts';
import { installSignalCleanup } from '../../sandbox/registry.ts';
import { numberOption } from '../number-flags.ts';

interface WorkerArgs {
  queue: string;
  concurrency: number;
  'lock-timeout': number;
  'requests-per-minute': number;
  'request-burst': number;
}

export const workerCommand: CommandModule<object, WorkerArgs> = {
  builder: (y: Argv) =>
    y
      .option('queue', { type: 'string', demandOption: true, describe: 'The queue: redis://HOST:PORT[/DB]' })
      .option(
        'concurrency',
        numberOption(
          'concurrency',
          { kind: 'integer', min: 1 },
          { default: 2, describe: 'Unrolls at once on this machine' },
        ),
      )
      .option(
        'lock-timeout',
        numberOption(
          'lock-timeout',
          { kind: 'seconds' },
          {
            default: 30,
            describe: 'Seconds after which the job of a worker that stopped answering goes to another worker',
          },
        ),
      )
      .option(
        'requests-per-minute',
        numberOption(
          'requests-per-minute',
          { kind: 'number', min: 0 },
          {
            default: 0,
            describe: 'Model requests a minute per provider, shared by every worker of the queue (0: no limit)',
          },
        ),
      )
      .option(
        'request-burst',
        numberOption(
          'request-burst',
          { kind: 'integer', min: 1 },
          { default: 4, describe: 'Requests that may go at once under --requests-per-minute' },
        ),
      ) as unknown as Argv<WorkerArgs>,
  handler: async (args) => {
    const address = parseQueueAddress(args.queue);
    await checkQueueReachable(address);
    const { docker } = await connectEngine();
    const [{ startQueueWorker }, { DockerSandboxProvider }, { reapContainers }] = await Promise.all([
      import('../../queue/worker.ts'),
      import('../../sandbox/docker-provider.ts'),
      import('../../sandbox/reaper.ts'),
    ]);
    await reapContainers(docker);
    const worker = await startQueueWorker({
      address,
      concurrency: args.concurrency,
      docker,
      provider: new DockerSandboxProvider(docker),
      cacheDir: path.join(defaultStateDir(), 'queue-tasks'),
      log: pino({ level: 'info' }, pino.destination(2)),
      lockMs: Math.round(args['lock-timeout'] * 1000),
      ...(args['requests-per-minute'] > 0
        ? { rate: { perMinute: args['requests-per-minute'], burst: args['request-burst'] } }
        : {}),
    });
    // A signal removes this worker's containers and exits; its jobs go to other workers once their locks expire.
    installSignalCleanup((signal) => process.stderr.write(`\n${signal}: worker ${worker.id} stops\n`));
    process.stderr.write(
      `worker ${worker.id}: ${args.concurrency} at once on the engine at ${engineAddress()}, taking jobs from ${address.text}\n`,
    );
    await worker.stopped;
  },
};
