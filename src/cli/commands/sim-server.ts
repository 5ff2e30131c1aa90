import pino from 'pino';
import type { Argv, CommandModule } from 'yargs';
import { formatProblem, loadInstances } from '../../instances/load.ts';
import { parseFaultsArg } from '../../sim/faults.ts';
import { parseQuirksArg, quirkNames } from '../../sim/quirks.ts';
import { startSimServer } from '../../sim/server.ts';
import { numberOption } from '../number-flags.ts';
import { simDefaultOption, type SimDefaultArgs } from '../run-options.ts';

interface SimServerArgs extends SimDefaultArgs {
  instances: string[];
  port: number;
  host: string;
  faults?: string;
  quirks?: string;
  strict: boolean;
  'context-window': number;
  'log-level': string;
}

/** `hotmess sim-server`: the loopback model server on its own, for generic clients (openai-compatible:…). */
export const simServerCommand: CommandModule<object, SimServerArgs> = {
  builder: (yargs: Argv) =>
    yargs
      .option('instances', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'Instance file(s) or directory; instances with a `sim` spec or a gold patch are served',
      })
      .option(
        'port',
        numberOption(
          'port',
          { kind: 'integer', min: 0, max: 65_535 },
          {
            default: 0,
            describe: 'Port to listen on (0 picks a free one)',
          },
        ),
      )
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Address to listen on' })
      .option('faults', {
        type: 'string',
        describe:
          'Fault injection, e.g. rate429=0.1,retryAfterSeconds=1,rate500=0.05,rate529=0.05,slowMs=500,slowRate=0.1,malformedToolCallRate=0.05,unknownToolRate=0.05,truncatedBodyRate=0.02',
      })
      .option('quirks', {
        type: 'string',
        describe: `Imitate other servers' replies on every turn, comma-separated: ${quirkNames.join(', ')}`,
      })
      .option('sim-default', {
        ...simDefaultOption,
        describe: 'For instances without a `sim` spec, how often the simulated agent writes the gold patch or nothing',
      })
      .option('context-window', {
        ...numberOption('context-window', { kind: 'integer', min: 1 }, {}),
        default: 200_000,
        describe: 'Prompts estimated above this many tokens get a context-overflow error',
      })
      .option('strict', {
        type: 'boolean',
        default: false,
        describe: 'Refuse to start if any instance record is invalid',
      })
      .option('log-level', {
        choices: ['debug', 'info', 'warn', 'error'],
        default: 'info',
        describe: 'Log level (logs go to stderr as JSON lines; debug adds each request body)',
      }),
  handler: async (args) => {
    const faults = args.faults === undefined ? undefined : parseFaultsArg(args.faults);
    const quirks = args.quirks === undefined ? undefined : parseQuirksArg(args.quirks);
    const log = pino({ level: args['log-level'] }, pino.destination(2));
    const { instances, problems } = await loadInstances(args.instances, { strict: args.strict });
    for (const problem of problems) log.warn({ problem: formatProblem(problem) }, 'instance skipped');
    const server = await startSimServer({
      instances,
      port: args.port,
      host: args.host,
      log,
      contextWindow: args['context-window'],
      ...(faults ? { faults } : {}),
      ...(quirks ? { quirks } : {}),
      ...(args['sim-default'] ? { simDefault: args['sim-default'] } : {}),
    });
    process.stdout.write(`${server.url}\n`);
    process.stderr.write(
      `hotmess sim-server: Anthropic base URL ${server.url}, OpenAI base URL ${server.url}/v1 (Ctrl-C stops it)\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
  },
};
