import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/paths.ts';
import { simulatedBanner } from '../../src/report/meta.ts';
import { createRunDir } from '../../src/store/run-dir.ts';
import { syntheticRecords } from '../../src/stats/synthetic.ts';
import type { StatsResult } from '../../src/stats/types.ts';

const swebench = path.join(path.resolve(repoRoot, '../shared'), 'swebench');
const haveShared = existsSync(swebench);
if (!haveShared) console.log(`skipping hotmess import CLI tests: ${swebench} is absent`);

function hotmess(...args: string[]) {
  return execa('node', [path.join(repoRoot, 'bin/hotmess.js'), ...args], {
    cwd: repoRoot,
    reject: false,
    env: { HOTMESS_LOGS: root, NO_COLOR: '1' },
  });
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('hotmess stats', () => {
  it('prints the headline table and, with --json, the deterministic StatsResult of a run', async () => {
    const run = await createRunDir({ root, runId: 'synthetic', config: {}, seeds: { base: 1 } });
    await run.appendUnrolls(syntheticRecords({ tasks: 40, unrolls: 6, tests: 5, seed: 2, runId: 'synthetic' }));
    await run.close();

    const table = await hotmess('stats', 'synthetic', '--buckets', '3', '--bootstrap', '100');
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^hotmess stats: run synthetic/);
    expect(table.stdout).toMatch(/\noverall +40 +0\.\d{3} \[/);
    expect(table.stdout.match(/\n {2}[123]: /g)).toHaveLength(9);

    const args = [
      'stats',
      run.dir,
      '--json',
      '--bootstrap',
      '200',
      '--seed',
      '3',
      '--limit-rule',
      'grade',
      '--unbiased',
    ];
    const first = await hotmess(...args);
    expect(first.exitCode).toBe(0);
    const result = JSON.parse(first.stdout) as StatsResult;
    expect(result.options).toEqual({
      buckets: 5,
      limitRule: 'grade',
      unbiased: true,
      bootstrap: { resamples: 200, seed: 3, level: 0.95, overUnrolls: false },
    });
    expect(result.overall.tasks).toBe(40);
    expect((await hotmess(...args)).stdout).toBe(first.stdout);
  });

  it('opens the table of a run on the simulated agent with the calibration banner, and flags it in --json', async () => {
    const run = await createRunDir({ root, runId: 'sim-stats', config: { model: 'sim' }, seeds: { base: 1 } });
    await run.appendUnrolls(
      syntheticRecords({ tasks: 8, unrolls: 4, tests: 3, seed: 4, runId: 'sim-stats' }).map((r) => ({
        ...r,
        model: 'sim',
      })),
    );
    await run.close();
    const table = await hotmess('stats', 'sim-stats', '--bootstrap', '0');
    expect(table.exitCode).toBe(0);
    const [first, second] = table.stdout.split('\n');
    expect(first).toBe(`SIMULATED AGENT — CALIBRATION RUN. ${simulatedBanner}`);
    expect(second).toMatch(/^hotmess stats: run sim-stats/);
    const json = await hotmess('stats', 'sim-stats', '--json', '--bootstrap', '0');
    expect(json.stdout).not.toContain('SIMULATED AGENT');
    expect(JSON.parse(json.stdout)).toMatchObject({ format: 'hotmess.stats/1', simulated: true });

    const real = await hotmess('stats', 'synthetic', '--bootstrap', '0');
    expect(real.stdout).not.toContain('SIMULATED');
    expect(JSON.parse((await hotmess('stats', 'synthetic', '--json', '--bootstrap', '0')).stdout)).toMatchObject({
      simulated: false,
    });
  });

  it('says which run directory does not exist, and rejects bad options', async () => {
    const missing = await hotmess('stats', path.join(root, 'nope'));
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^hotmess: No run directory .*nope/);
    const empty = await createRunDir({ root, runId: 'empty', config: {}, seeds: { base: 0 } });
    const nothing = await hotmess('stats', empty.dir);
    expect(nothing.exitCode).toBe(2);
    expect(nothing.stderr).toMatch(/Nothing to analyse: there are no unroll records/);
    const badBuckets = await hotmess('stats', 'synthetic', '--buckets', '0');
    expect(badBuckets.exitCode).toBe(2);
  });
});

describe('hotmess import of scratch inputs', () => {
  it('finds the runs below logs/run_evaluation, names them, and refuses one given twice', async () => {
    const evaluation = path.join(root, 'scratch', 'logs', 'run_evaluation');
    for (const run of ['r1', 'r2']) {
      const dir = path.join(evaluation, run, 'model', 'a__a-1');
      await mkdir(dir, { recursive: true });
      const tests_status = {
        FAIL_TO_PASS: { success: ['t'], failure: [] },
        PASS_TO_PASS: { success: [], failure: [] },
      };
      await writeFile(
        path.join(dir, 'report.json'),
        JSON.stringify({ 'a__a-1': { patch_successfully_applied: true, resolved: true, tests_status } }),
      );
    }
    const found = await hotmess('import', evaluation, '--run-id', 'scratch-nested');
    expect(found.exitCode).toBe(0);
    expect(found.stderr).toBe(
      `Run folders imported (2):\n  unroll 0: ${path.join(evaluation, 'r1', 'model')}  1 unrolls\n  unroll 1: ${path.join(evaluation, 'r2', 'model')}  1 unrolls`,
    );
    expect(found.stdout).toMatch(/^Imported 2 unrolls of 1 instances from 2 runs /);
    const twice = await hotmess('import', evaluation, path.join(evaluation, 'r1'));
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toMatch(/^hotmess: The run folder .*r1\/model would be imported twice/);
  });

  it('imports several official-harness summaries as several runs, and refuses a column named twice', async () => {
    const dir = path.join(root, 'scratch', 'summaries');
    await mkdir(dir, { recursive: true });
    const files = ['m.run1.json', 'm.run2.json'].map((name) => path.join(dir, name));
    await writeFile(
      files[0] as string,
      JSON.stringify({ resolved_ids: ['a__a-1'], unresolved_ids: ['b__b-2'], error_ids: [], empty_patch_ids: [] }),
    );
    await writeFile(
      files[1] as string,
      JSON.stringify({ resolved_ids: [], unresolved_ids: ['a__a-1'], error_ids: [], empty_patch_ids: ['b__b-2'] }),
    );
    const imported = await hotmess('import', ...files, '--run-id', 'scratch-summaries');
    expect(imported.exitCode).toBe(0);
    expect(imported.stdout).toMatch(/^Imported 4 unrolls of 2 instances from 2 runs .*resolved only/);
    const stats = JSON.parse(
      (await hotmess('stats', 'scratch-summaries', '--json', '--bootstrap', '0')).stdout,
    ) as StatsResult;
    expect(stats.overall.resolveRate?.value).toBe(0.25);
    const twice = await hotmess('import', ...files, '--runs', 'm.run1,m.run1');
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr).toMatch(/--runs names m\.run1 more than once/);
  });
});

describe.skipIf(!haveShared)('hotmess import', () => {
  it('imports harness run folders and a resolved table', async () => {
    const logs = path.join(swebench, 'harness-logs');
    const folders = readdirSync(logs)
      .filter((d) => d.startsWith('composio_langgraph__'))
      .map((d) => path.join(logs, d));
    const harness = await hotmess('import', ...folders, '--run-id', 'composio');
    expect(harness.exitCode).toBe(0);
    expect(harness.stdout).toBe(
      `Imported 102 unrolls of 12 instances from 38 runs into ${path.join(root, 'composio')} (0 infrastructure failures, 354 (run, instance) pairs without a folder skipped).`,
    );
    const stderr = harness.stderr.split('\n');
    expect(stderr[0]).toMatch(
      /^hotmess: warning: 38 of 38 runs have no folder for some instance other runs have .* --missing fail counts them as no patch\.$/,
    );
    expect(stderr[1]).toBe('Run folders imported (38):');
    expect(stderr.slice(2).filter((l) => /^ {2}unroll \d+: \//.test(l))).toHaveLength(38);
    const stats = JSON.parse((await hotmess('stats', 'composio', '--json', '--bootstrap', '0')).stdout) as StatsResult;
    expect(stats.counts).toMatchObject({ tasks: 12, used: 102, gradingStatus: { graded: 89, no_patch: 13 } });

    const table = path.join(swebench, 'multi-run/kkkkkk0725_swebench-reliability-study/scored/per_run_results.json');
    const imported = await hotmess(
      'import',
      table,
      '--runs',
      'i0_run1,i0_run2',
      '--missing',
      'fail',
      '--out',
      path.join(root, 'tables'),
    );
    expect(imported.exitCode).toBe(0);
    expect(imported.stdout).toMatch(
      /^Imported 198 unrolls of 99 instances from 2 runs .* 2 \(run, task\) pairs without a value counted unresolved; resolved only/,
    );
    // Columns picked with --runs are listed, and not second-guessed.
    expect(imported.stderr).toBe(
      'Columns imported (2):\n  unroll 0: i0_run1  99 unrolls\n  unroll 1: i0_run2  99 unrolls (97 with a value in the table)',
    );
  });

  it('lists the columns of a resolved table and warns when they look like several configurations', async () => {
    const table = path.join(swebench, 'multi-run/kkkkkk0725_swebench-reliability-study/scored/per_run_results.json');
    const all = await hotmess('import', table, '--run-id', 'kkkkkk-all');
    expect(all.exitCode).toBe(0);
    expect(all.stdout).toMatch(/^Imported 696 unrolls of 100 instances from 7 runs /);
    const lines = all.stderr.trimEnd().split('\n');
    expect(lines.slice(0, 8)).toEqual([
      'Columns imported (7):',
      '  unroll 0: i0_run1   99 unrolls',
      '  unroll 1: i0_run2   97 unrolls',
      '  unroll 2: i0_run3  100 unrolls',
      '  unroll 3: i0_run4  100 unrolls',
      '  unroll 4: i0_run5  100 unrolls',
      '  unroll 5: i1c      100 unrolls',
      '  unroll 6: i1d      100 unrolls',
    ]);
    expect(lines.slice(8)).toEqual([
      expect.stringMatching(
        /^hotmess: warning: All 7 columns were imported as unrolls of one agent, but their names have 3 prefixes \(i0, i1c, i1d\) .* --runs i0_run1,i0_run2,i0_run3,i0_run4,i0_run5\)\.$/,
      ),
    ]);

    const baseline = await hotmess('import', table, '--runs', 'i0_run3,i0_run4,i0_run5', '--run-id', 'kkkkkk-baseline');
    expect(baseline.exitCode).toBe(0);
    expect(baseline.stderr).not.toContain('warning');

    const help = await hotmess('import', '--help');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      '--runs Table: comma-separated runs (columns) to import, in unroll order (default all). A table often holds several configurations',
    );
  });

  it('gives an imported run without lengths one note on the missing median split', async () => {
    const stats = JSON.parse(
      (await hotmess('stats', 'kkkkkk-all', '--json', '--bootstrap', '0')).stdout,
    ) as StatsResult;
    expect(stats.medianSplit).toBeNull();
    expect(stats.notes.filter((n) => n.includes('median'))).toEqual([
      'Imported runs record no action or token counts, so there are no length buckets and no median split.',
    ]);
    const table = await hotmess('stats', 'kkkkkk-all', '--bootstrap', '0');
    expect(table.stdout).toContain('\nFAIL_TO_PASS / PASS_TO_PASS   not applicable: resolved only\n');
    expect(table.stdout).not.toContain('FAIL_TO_PASS tests only');
  });

  it('refuses options that do not fit the inputs', async () => {
    const logs = path.join(swebench, 'harness-logs');
    const wrong = await hotmess('import', path.join(logs, 'composio_langgraph__langgraph_agent'), '--runs', 'a');
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toMatch(/--runs and --orientation apply to a table file/);
    const absent = await hotmess('import', path.join(root, 'absent.json'));
    expect(absent.exitCode).toBe(2);
    expect(absent.stderr).toMatch(/absent\.json does not exist/);
  });
});
