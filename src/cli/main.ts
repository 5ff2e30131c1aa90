import { readFileSync } from 'node:fs';
import path from 'node:path';
import yargs, { type CommandModule } from 'yargs';
import { HotmessError, UsageError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { commandName, commands } from './commands/index.ts';

/** Parses argv, runs one command, and maps typed errors to a one-line message and an exit code. */
export async function main(argv: string[]): Promise<number> {
  let failure: unknown;
  const parser = yargs(argv)
    .scriptName('hotmess')
    // yargs passes itself as the middleware's second argument; its published types leave that out.
    .middleware(lastValueWins as unknown as (argv: Record<string, unknown>) => void, true)
    .usage('$0 <command> [options]\n\nMeasure how AI coding agents fail: bias vs variance over repeated unrolls.')
    .command(await commandModules(argv))
    .demandCommand(1, 'Name a command (see --help).')
    .strict()
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(hotmessVersion())
    .wrap(Math.min(120, process.stdout.columns || 100))
    .fail((msg, err) => {
      // Throw: returning would let yargs go on to run the command's handler with the arguments it rejected.
      // yargs rewraps what an option's check (coerce) throws as its own YError: a usage error, as its own are.
      throw err === undefined || err.name === 'YError' ? new UsageError(err?.message ?? msg) : err;
    })
    .exitProcess(false);
  try {
    await parser.parseAsync();
  } catch (err) {
    failure ??= err;
  }
  // A command may set its own exit status (e.g. `exec` passes on the command's).
  if (failure === undefined) return typeof process.exitCode === 'number' ? process.exitCode : 0;
  return reportFailure(failure);
}

/** package.json's version: named here, since yargs would look for package.json from the working directory. */
function hotmessVersion(): string {
  return (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Every command for yargs; only the one named in argv (its first word not starting with '-') is loaded with its
 * options. The others carry their usage line and description for `--help` and for suggestions after a typo.
 */
async function commandModules(argv: readonly string[]): Promise<CommandModule[]> {
  const named = argv.find((a) => !a.startsWith('-'));
  return Promise.all(
    commands.map(async (entry) => {
      const head = { command: entry.command, describe: entry.describe };
      if (commandName(entry) === named) return { ...(await entry.load()), ...head };
      return { ...head, handler: async (args) => (await entry.load()).handler(args) };
    }),
  );
}

/**
 * A scalar flag given twice takes its last value, as in most CLIs (`npm start -- --unrolls 30` after the main
 * job's own `--unrolls 10`); yargs would make it an array and fail validation. Array flags still accumulate.
 */
function lastValueWins(argv: Record<string, unknown>, y: { getOptions(): { array: string[] } }): void {
  const arrays = new Set(y.getOptions().array);
  const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  for (const [key, value] of Object.entries(argv)) {
    if (key !== '_' && key !== '--' && Array.isArray(value) && !arrays.has(key) && !arrays.has(kebab(key)))
      argv[key] = value.at(-1);
  }
}

function reportFailure(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`hotmess: ${err.message}\nRun 'hotmess --help' for usage.\n`);
    return err.exitCode;
  }
  if (err instanceof HotmessError) {
    process.stderr.write(`hotmess: ${err.message}\n`);
    if (process.env.HOTMESS_DEBUG && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`hotmess: internal error: ${message}\n`);
  if (process.env.HOTMESS_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('Set HOTMESS_DEBUG=1 for the stack trace, and please report it.\n');
  return 70;
}
