import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../errors.ts';
import { logsDir } from '../../paths.ts';
import { readHistory, type HistoryLine } from '../../sweeps/history.ts';

interface SweepArgs {
  file: string;
  name?: string;
  resume: boolean;
  id?: string;
  out?: string;
  json: boolean;
  keep: boolean;
  queue?: string;
}

/**
 * `hotmess sweep <sweep.yaml>` runs a sweep (exit 1 on a regression, 75 when one is already running);
 * `hotmess sweep history <name>` prints the history of a sweep.
 */
export const sweepCommand: CommandModule<object, SweepArgs> = {
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'The sweep file (YAML), or `history`' })
      .positional('name', { type: 'string', describe: 'With `history`: the sweep name' })
      .option('resume', {
        type: 'boolean',
        default: false,
        describe: 'Go on with the unfinished sweep of this name (killed in the night); a new one when there is none',
      })
      .option('id', { type: 'string', describe: "The new sweep's id (default: today's UTC date)" })
      .option('out', { type: 'string', describe: 'Parent of sweeps/ (default logs/, or $HOTMESS_LOGS)' })
      .option('json', { type: 'boolean', default: false, describe: 'history: print the JSON lines' })
      .option('keep', {
        type: 'boolean',
        default: false,
        describe: 'Keep the agent containers afterwards (debugging)',
      })
      .option('queue', {
        type: 'string',
        describe: "Hand every cell's unrolls to hotmess workers on redis://HOST:PORT[/DB] instead of running them here",
      }) as unknown as Argv<SweepArgs>,
  handler: async (args) => {
    const root = args.out ?? logsDir();
    if (args.file === 'history') {
      if (args.name === undefined) throw new UsageError('Name the sweep: hotmess sweep history <name>.');
      return printHistory(path.join(root, 'sweeps', args.name), args.name, args.json);
    }
    if (args.name !== undefined) throw new UsageError(`hotmess sweep takes one sweep file, not also ${args.name}.`);
    const warn = (line: string) => process.stderr.write(`${line}\n`);
    // A bad sweep file is named before anything needs the Docker engine.
    const { loadSweepFile } = await import('../../sweeps/schema.ts');
    await loadSweepFile(args.file);
    const { installSignalCleanup } = await import('../../sandbox/registry.ts');
    const { runNightly } = await import('../../sweeps/nightly.ts');
    const { breachLines, formatVerdictTable } = await import('../../sweeps/verdict-table.ts');
    const { checkQueueReachable, parseQueueAddress } = await import('../../queue/connection.ts');
    const queue = args.queue === undefined ? undefined : parseQueueAddress(args.queue);
    // With a queue, the workers' engines run the cells: this process needs none.
    if (queue) await checkQueueReachable(queue);
    const engine = queue ? undefined : await localEngine(args.keep);
    const interrupt = new AbortController();
    installSignalCleanup((signal) => {
      interrupt.abort();
      warn(`\n${signal}: removing this sweep's containers; go on with --resume`);
    });
    const result = await runNightly({
      file: args.file,
      resume: args.resume,
      ...(args.id === undefined ? {} : { id: args.id }),
      logsRoot: root,
      ...(queue ? { queue } : engine),
      signal: interrupt.signal,
      onNote: warn,
      onCell: (cell, index, total, dir) => warn(`cell ${index + 1}/${total} ${cell.name}: ${dir}`),
    });
    const status = result.regression ? 'REGRESSION' : 'no regression';
    process.stdout.write(
      `hotmess sweep ${result.name} ${result.sweepId}: ${status}\n\n${formatVerdictTable(result.cells)}\n`,
    );
    const breaches = breachLines(result.cells);
    if (breaches.length > 0) process.stdout.write(`\n${breaches.map((b) => `  ${b}`).join('\n')}\n`);
    process.stdout.write(
      `\nΔ: against the same cell of the previous sweep, on shared tasks, 95% paired bootstrap interval, r = per-task correlation.\n` +
        `verdict: ${result.verdictFile}\ntrend page: ${result.trendPage}\nhistory: ${path.join(result.sweepRoot, 'history.jsonl')}\n`,
    );
    if (result.webhook !== null)
      warn(result.webhook === 'sent' ? 'webhook: verdict sent' : `warning: ${result.webhook}`);
    if (result.regression) process.exitCode = 1;
  },
};

async function localEngine(keep: boolean) {
  const { connectEngine } = await import('../../docker/engine.ts');
  const { DockerSandboxProvider } = await import('../../sandbox/docker-provider.ts');
  const { docker } = await connectEngine();
  return { docker, provider: new DockerSandboxProvider(docker, { keep }) };
}

async function printHistory(sweepRoot: string, name: string, json: boolean): Promise<void> {
  const { lines, problems } = await readHistory(sweepRoot);
  for (const problem of problems) process.stderr.write(`hotmess: warning: ${problem}\n`);
  if (lines.length === 0) throw new UsageError(`Sweep ${name} has no history in ${sweepRoot}.`);
  if (json) {
    process.stdout.write(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    return;
  }
  const estimate = (e: HistoryLine['figures']['resolve_rate']) =>
    e.value === null
      ? '—'
      : `${e.value.toFixed(3)}${e.lo === null || e.hi === null ? '' : ` [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]`}`;
  const rows = [
    [
      'date',
      'sweep',
      'cell',
      'model',
      'tasks',
      'R',
      'resolve rate',
      'test pass',
      'incoherence',
      'pass@1',
      'pass^R',
      'flips',
      'Δ resolve',
      'verdict',
    ],
    ...lines.map((l) => {
      const d = l.comparison?.figures.resolve_rate;
      return [
        l.date.slice(0, 16).replace('T', ' '),
        l.sweep_id,
        l.cell,
        l.model,
        String(l.tasks),
        String(l.unrolls),
        estimate(l.figures.resolve_rate),
        estimate(l.figures.test_pass_rate),
        estimate(l.figures.incoherence),
        (l.reliability.pass_at_k[0] ?? 0).toFixed(3),
        (l.reliability.pass_hat_k.at(-1) ?? 0).toFixed(3),
        `${Math.round(l.reliability.flip_share * 100)}%`,
        d === undefined || d.value === null ? '—' : estimate(d),
        l.verdict === 'no_baseline' ? 'first' : l.verdict,
      ];
    }),
  ];
  const widths = (rows[0] ?? []).map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  process.stdout.write(
    `${rows
      .map((r) =>
        r
          .map((c, j) => c.padEnd(widths[j] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n')}\n`,
  );
  process.stdout.write(`\ntrend page: ${path.join(sweepRoot, 'trend.html')}\n`);
}
