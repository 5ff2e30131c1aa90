import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRunDir, readUnrolls } from '../src/store/run-dir.ts';
import { computeStats } from '../src/stats/compute.ts';
import { syntheticRecords } from '../src/stats/synthetic.ts';
import { fmtMs, row, sample } from './util.ts';

export interface StatsBenchOptions {
  readonly tasks?: number;
  readonly unrolls?: number;
  readonly tests?: number;
  readonly resamples?: number;
  /** Timed repetitions per figure (medians are reported). */
  readonly repeats?: number;
}

/**
 * computeStats on a seeded synthetic run (default 500 tasks × 30 unrolls × 50 tests, 1000 bootstrap resamples),
 * in memory and end to end (unrolls.jsonl written to a temporary run directory, then read back and computed).
 */
export async function benchStats(opts: StatsBenchOptions = {}): Promise<Record<string, number>> {
  const shape = { tasks: opts.tasks ?? 500, unrolls: opts.unrolls ?? 30, tests: opts.tests ?? 50 };
  const resamples = opts.resamples ?? 1000;
  const repeats = opts.repeats ?? 9;
  const records = syntheticRecords({ ...shape, seed: 1, runId: 'bench' });
  console.log(
    `stats: ${shape.tasks} tasks × ${shape.unrolls} unrolls × ${shape.tests} tests (${records.length} records), ${resamples} bootstrap resamples`,
  );

  // Baseline: one pass over every test outcome, the least any statistic of these records must do.
  const onePass = await sample(
    repeats,
    async () => {
      let passed = 0;
      for (const r of records) for (const t of r.tests) passed += t.pass ? 1 : 0;
      return passed;
    },
    3,
  );
  console.log(row('baseline: one pass over every test outcome', onePass));
  const bootstrap = { resamples, seed: 1 };
  const noCi = await sample(repeats, async () => computeStats(records, { bootstrap: { resamples: 0 } }), 3);
  console.log(row('computeStats without bootstrap', noCi));
  const inMemory = await sample(repeats, async () => computeStats(records, { bootstrap }), 3);
  console.log(row(`computeStats, ${resamples} resamples over tasks`, inMemory));
  console.log(
    `  ratio computeStats / one pass: ${(inMemory.median / onePass.median).toFixed(1)}x; ${inMemory.median < 100 ? 'meets' : 'MISSES'} the goal of < 100 ms in memory`,
  );
  const overUnrolls = await sample(
    1,
    async () => computeStats(records, { bootstrap: { resamples: 100, seed: 1, overUnrolls: true } }),
    0,
  );
  console.log(row('computeStats, 100 resamples over tasks and unrolls', overUnrolls));

  const root = await mkdtemp(path.join(tmpdir(), 'hotmess-bench-stats-'));
  try {
    const run = await createRunDir({ root, runId: 'bench', config: { bench: 'stats' }, seeds: { base: 1 } });
    const start = performance.now();
    await run.appendUnrolls(records);
    await run.close();
    const writeMs = performance.now() - start;
    const bytes = (await stat(path.join(run.dir, 'unrolls.jsonl'))).size;
    console.log(
      `  ${'write unrolls.jsonl (validated, one fsync)'.padEnd(44)} ${fmtMs(writeMs).padStart(16)}   (${(bytes / 1e6).toFixed(1)} MB)`,
    );
    const read = await sample(Math.max(3, Math.floor(repeats / 2)), async () => readUnrolls(run.dir), 1);
    console.log(row('read + validate unrolls.jsonl', read));
    const endToEnd = await sample(
      Math.max(3, Math.floor(repeats / 2)),
      async () => computeStats((await readUnrolls(run.dir)).records, { bootstrap }),
      1,
    );
    console.log(row('read + computeStats (end to end)', endToEnd));
    return {
      onePassMs: onePass.median,
      statsOverOnePass: inMemory.median / onePass.median,
      statsNoBootstrapMs: noCi.median,
      statsInMemoryMs: inMemory.median,
      statsOverUnrolls100Ms: overUnrolls.median,
      unrollsWriteMs: writeMs,
      unrollsReadMs: read.median,
      statsEndToEndMs: endToEnd.median,
      unrollsJsonlMB: bytes / 1e6,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchStats();
}
