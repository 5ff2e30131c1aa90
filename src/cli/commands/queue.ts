import type { Argv, CommandModule } from 'yargs';
import { checkQueueReachable, parseQueueAddress } from '../../queue/connection.ts';

interface StatusArgs {
  queue: string;
  json: boolean;
}

const status: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'The workers alive (host, concurrency, current jobs) and each run’s jobs: waiting, active, done, failed',
  builder: (y: Argv) =>
    y
      .option('queue', { type: 'string', demandOption: true, describe: 'The queue: redis://HOST:PORT[/DB]' })
      .option('json', { type: 'boolean', default: false, describe: 'As JSON' }) as unknown as Argv<StatusArgs>,
  handler: async (args) => {
    const address = parseQueueAddress(args.queue);
    await checkQueueReachable(address);
    const [{ Queue }, { connectRedis, redisOptions }, { queueStatus, formatQueueStatus }, { queueName }] =
      await Promise.all([
        import('bullmq'),
        import('../../queue/connection.ts'),
        import('../../queue/status.ts'),
        import('../../queue/names.ts'),
      ]);
    const redis = connectRedis(address);
    const queue = new Queue(queueName, { connection: redisOptions(address) });
    try {
      const result = await queueStatus(redis, queue);
      process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatQueueStatus(result));
    } finally {
      await queue.close();
      redis.disconnect();
    }
  },
};

export const queueCommand: CommandModule = {
  builder: (y: Argv) => y.command(status).demandCommand(1, 'Name a queue command: status.'),
  handler: () => {},
};
