import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { repoRoot } from '../src/paths.ts';
import { writeReport, type ReportTimings } from '../src/report/write.ts';
import { syntheticRecords } from '../src/stats/synthetic.ts';
import { createRunDir } from '../src/store/run-dir.ts';
import { fmtMs, row, sample } from './util.ts';

export interface ReportBenchOptions {
  readonly tasks?: number;
  readonly unrolls?: number;
  readonly tests?: number;
  /** Timed repetitions of each measurement (medians are reported). */
  readonly repeats?: number;
}

/**
 * `hotmess report` end to end on a seeded synthetic run (default 500 tasks × 30 unrolls × 50 tests, 1000
 * bootstrap resamples) written as unrolls.jsonl in a temporary run directory: the library call, split into
 * reading unrolls.jsonl, statistics and rendering, and the CLI process, beside the CLI's bare start-up time.
 */
export async function benchReport(opts: ReportBenchOptions = {}): Promise<Record<string, number>> {
  const shape = { tasks: opts.tasks ?? 500, unrolls: opts.unrolls ?? 30, tests: opts.tests ?? 50 };
  const repeats = opts.repeats ?? 3;
  const records = syntheticRecords({ ...shape, seed: 1, runId: 'bench-report' });
  const root = await mkdtemp(path.join(tmpdir(), 'hotmess-bench-report-'));
  try {
    const run = await createRunDir({
      root,
      runId: 'bench-report',
      config: { model: 'synthetic', unrolls: shape.unrolls },
      seeds: { base: 1 },
    });
    await run.appendUnrolls(records);
    await run.close();
    const bytes = (await stat(path.join(run.dir, 'unrolls.jsonl'))).size;
    console.log(
      `report: ${shape.tasks} tasks × ${shape.unrolls} unrolls × ${shape.tests} tests (${records.length} records, unrolls.jsonl ${(bytes / 1e6).toFixed(1)} MB), 1000 bootstrap resamples`,
    );

    // Baseline: reading the file and JSON.parse of every line, with no validation and no statistics.
    const file = path.join(run.dir, 'unrolls.jsonl');
    const bare = await sample(
      repeats,
      async () =>
        (await readFile(file, 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as unknown),
      1,
    );
    console.log(row('baseline: read + JSON.parse unrolls.jsonl', bare));
    // Each repetition's parts come from the same call, so that they add up to its total.
    await writeReport(run.dir);
    const calls: ReportTimings[] = [];
    for (let i = 0; i < repeats; i++) calls.push((await writeReport(run.dir)).timings);
    const { totalMs, readMs, statsMs, renderMs } = calls.sort((a, b) => a.totalMs - b.totalMs)[
      Math.floor(calls.length / 2)
    ] as ReportTimings;
    const share = (ms: number): string => `${fmtMs(ms).padStart(16)}   (${((100 * ms) / totalMs).toFixed(0)}%)`;
    console.log(`  ${`writeReport (library call), median of ${repeats}`.padEnd(44)} ${fmtMs(totalMs).padStart(16)}`);
    console.log(`  ${'  of which read + validate unrolls.jsonl'.padEnd(44)} ${share(readMs)}`);
    console.log(`  ${'  of which statistics (computeStats)'.padEnd(44)} ${share(statsMs)}`);
    console.log(`  ${'  of which render + write the 3 files'.padEnd(44)} ${share(renderMs)}`);

    console.log(
      `  ratio writeReport / bare read: ${(totalMs / bare.median).toFixed(1)}x; ${totalMs < 3000 ? 'meets' : 'MISSES'} the goal of < 3 s for the whole report`,
    );
    const bin = path.join(repoRoot, 'bin/hotmess.js');
    const cli = await sample(repeats, () => execa('node', [bin, 'report', run.dir], { cwd: repoRoot }), 1);
    console.log(row('hotmess report (CLI process)', cli));
    const startup = await sample(repeats, () => execa('node', [bin, '--help'], { cwd: repoRoot }), 1);
    console.log(row('hotmess --help (CLI start-up alone)', startup));
    console.log(
      `  the CLI's report takes ${fmtMs(cli.median)}, of which ${fmtMs(startup.median)} is the CLI's start-up (loading its modules)`,
    );
    return {
      bareReadMs: bare.median,
      reportOverBareRead: totalMs / bare.median,
      unrollsJsonlMB: bytes / 1e6,
      libraryMs: totalMs,
      readMs,
      statsMs,
      renderMs,
      readShare: readMs / totalMs,
      cliMs: cli.median,
      cliStartupMs: startup.median,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchReport();
}
