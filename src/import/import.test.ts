import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { readRunJson, readUnrolls } from '../store/run-dir.ts';
import { computeStats } from '../stats/compute.ts';
import { columnPrefix, mixedColumnsWarning } from './columns.ts';
import { importRun } from './import-run.ts';
import { parseResolvedTable } from './resolved-table.ts';

const swebench = path.join(path.resolve(repoRoot, '../shared'), 'swebench');
const haveShared = existsSync(swebench);
if (!haveShared) console.log(`skipping import tests on real data: ${swebench} is absent`);

const harnessLogs = path.join(swebench, 'harness-logs');
const multiRun = path.join(swebench, 'multi-run');
const composioFolders = haveShared
  ? readdirSync(harnessLogs)
      .filter((d) => d.startsWith('composio_langgraph__'))
      .sort()
      .map((d) => path.join(harnessLogs, d))
  : [];

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-import-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const noBootstrap = { bootstrap: { resamples: 0 } } as const;

/** The decomposition of one task from its per-unroll 0/1 rows, by the definitions. */
function decomposition(rows: number[][]): { error: number; bias2: number; variance: number } {
  const R = rows.length;
  const T = (rows[0] as number[]).length;
  let error = 0;
  let bias2 = 0;
  let variance = 0;
  for (let j = 0; j < T; j++) {
    const p = rows.reduce((s, row) => s + (row[j] as number), 0) / R;
    bias2 += (1 - p) ** 2;
    for (const row of rows) {
      error += (1 - (row[j] as number)) ** 2;
      variance += ((row[j] as number) - p) ** 2;
    }
  }
  return { error: error / (R * T), bias2: bias2 / T, variance: variance / (R * T) };
}

interface Report {
  patch_successfully_applied: boolean;
  tests_status?: Record<'FAIL_TO_PASS' | 'PASS_TO_PASS', { success: string[]; failure: string[] }>;
}

describe.skipIf(!haveShared)('import of official-harness run folders', () => {
  it('turns the composio runs into one unroll per (folder, instance) with the statistics of their reports', async () => {
    const result = await importRun({
      source: { kind: 'harness', folders: composioFolders },
      root,
      runId: 'composio',
      model: 'langgraph',
    });
    expect(result).toMatchObject({
      unrolls: 102,
      instances: 12,
      runs: 38,
      infraErrors: 0,
      resolvedOnly: false,
      missing: 38 * 12 - 102,
    });
    // Each run re-ran a few of the instances: the rest are left out, with one warning.
    expect(result.problems).toEqual([
      expect.stringMatching(
        /^38 of 38 runs have no folder for some instance other runs have \(354 \(run, instance\) pairs;/,
      ),
    ]);
    expect(result.columns.map((c) => c.name)).toEqual(composioFolders);
    const run = await readRunJson(result.runDir);
    expect(run).toMatchObject({ kind: 'import', config: { import: { kind: 'harness' }, model: 'langgraph' } });

    const read = await readUnrolls(result.runDir);
    expect(read.problems).toEqual([]);
    const statuses = read.records.map((r) => r.grading_status);
    expect(statuses.filter((s) => s === 'no_patch')).toHaveLength(13);
    expect(statuses.filter((s) => s === 'graded')).toHaveLength(89);
    expect(
      read.records.every((r) => r.imported?.resolved_only === false && r.actions === 0 && r.run_id === 'composio'),
    ).toBe(true);

    // Independently: each instance's tests are the union of those its reports name; a report without test
    // results (empty patch) counts FAIL_TO_PASS as failing and PASS_TO_PASS as passing.
    const reports = new Map<string, Report[]>();
    for (const folder of composioFolders) {
      for (const id of readdirSync(folder)) {
        const report = (
          JSON.parse(readFileSync(path.join(folder, id, 'report.json'), 'utf8')) as Record<string, Report>
        )[id] as Report;
        reports.set(id, [...(reports.get(id) ?? []), report]);
      }
    }
    const stats = computeStats(read.records, noBootstrap);
    expect(stats.tasks.map((t) => t.instance_id)).toEqual([...reports.keys()].sort());
    for (const [id, list] of reports) {
      const f2p = [
        ...new Set(
          list.flatMap((r) =>
            r.tests_status ? [...r.tests_status.FAIL_TO_PASS.success, ...r.tests_status.FAIL_TO_PASS.failure] : [],
          ),
        ),
      ];
      const p2p = [
        ...new Set(
          list.flatMap((r) =>
            r.tests_status ? [...r.tests_status.PASS_TO_PASS.success, ...r.tests_status.PASS_TO_PASS.failure] : [],
          ),
        ),
      ];
      const rows = list.map((r) => {
        const failed = new Set(
          r.tests_status ? [...r.tests_status.FAIL_TO_PASS.failure, ...r.tests_status.PASS_TO_PASS.failure] : f2p,
        );
        return [...f2p, ...p2p].map((test) => (failed.has(test) ? 0 : 1));
      });
      const expected = decomposition(rows);
      const task = stats.tasks.find((t) => t.instance_id === id);
      expect(task?.unrolls).toBe(list.length);
      expect(task?.error).toBeCloseTo(expected.error, 12);
      expect(task?.bias2).toBeCloseTo(expected.bias2, 12);
      expect(task?.variance).toBeCloseTo(expected.variance, 12);
      expect(task?.resolveRate).toBeCloseTo(
        list.filter(
          (r) =>
            r.tests_status &&
            r.tests_status.FAIL_TO_PASS.failure.length + r.tests_status.PASS_TO_PASS.failure.length === 0,
        ).length / list.length,
        12,
      );
    }
    expect(stats.tasks.find((t) => t.instance_id === 'django__django-14373')).toMatchObject({
      unrolls: 12,
      error: 0,
      resolveRate: 1,
      incoherence: null,
    });

    // The files beside the records: every unroll's patch and test log, and one prediction per patch.
    const firstFolder = composioFolders.findIndex((f) => existsSync(path.join(f, 'django__django-14373')));
    expect(
      await readFile(path.join(result.runDir, 'patches', 'django__django-14373', `${firstFolder}.diff`), 'utf8'),
    ).toBe(
      readFileSync(path.join(composioFolders[firstFolder] as string, 'django__django-14373', 'patch.diff'), 'utf8'),
    );
    expect((await readdir(path.join(result.runDir, 'grading', 'django__django-14373'))).length).toBe(12);
    const predictions = (await readFile(path.join(result.runDir, 'predictions.jsonl'), 'utf8')).trim().split('\n');
    expect(predictions).toHaveLength(102);
    expect(JSON.parse(predictions[0] as string)).toMatchObject({
      model_name_or_path: 'langgraph',
      unroll: expect.any(Number),
    });
  });

  it('with missing: fail, records every instance a run has no folder for as no patch, graded as no change', async () => {
    const result = await importRun({
      source: { kind: 'harness', folders: composioFolders, missing: 'fail' },
      root,
      runId: 'composio-fail',
    });
    expect(result).toMatchObject({ unrolls: 38 * 12, instances: 12, missing: 354, problems: [] });
    const records = (await readUnrolls(result.runDir)).records;
    const absent = records.filter(
      (r) => r.grading_status === 'no_patch' && r.patch_bytes === 0 && !existsSync(r.imported?.source ?? ''),
    );
    expect(absent).toHaveLength(354);
    expect(
      absent.every((r) => r.tests.length > 0 && r.tests.every((t) => t.pass === (t.category === 'PASS_TO_PASS'))),
    ).toBe(true);
  });

  it('takes the test lists of empty-patch reports from the dataset when given', async () => {
    const dataset = path.join(swebench, 'datasets/SWE-bench_Verified.test.jsonl');
    const result = await importRun({
      source: { kind: 'harness', folders: composioFolders, dataset },
      root,
      runId: 'composio-dataset',
    });
    const records = (await readUnrolls(result.runDir)).records;
    const row = JSON.parse(
      readFileSync(dataset, 'utf8')
        .split('\n')
        .find((l) => l.includes('"sympy__sympy-13551"')) as string,
    ) as Record<string, string>;
    const empty = records.find((r) => r.instance_id === 'sympy__sympy-13551' && r.grading_status === 'no_patch');
    expect(empty?.tests.filter((t) => t.category === 'FAIL_TO_PASS').map((t) => t.id)).toEqual(
      JSON.parse(row.FAIL_TO_PASS as string),
    );
    expect(empty?.tests.filter((t) => t.category === 'PASS_TO_PASS').map((t) => t.id)).toEqual(
      JSON.parse(row.PASS_TO_PASS as string),
    );
    expect(empty?.tests.every((t) => t.pass === (t.category === 'PASS_TO_PASS'))).toBe(true);
  });

  it('grades a harness timeout as all failures and a patch that did not apply as no change', async () => {
    const source = path.join(harnessLogs, '20240620_sweagent_claude3.5sonnet__verified');
    const folder = path.join(root, 'sources', 'sweagent-subset');
    for (const id of ['sphinx-doc__sphinx-7985', 'django__django-16877', 'django__django-11099', '_submission']) {
      await cp(path.join(source, id), path.join(folder, id), { recursive: true });
    }
    const result = await importRun({ source: { kind: 'harness', folders: [folder] }, root, runId: 'sweagent-subset' });
    const records = (await readUnrolls(result.runDir)).records;
    expect(records.map((r) => [r.instance_id, r.grading_status])).toEqual([
      ['django__django-11099', 'graded'],
      ['django__django-16877', 'patch_failed'],
      ['sphinx-doc__sphinx-7985', 'test_timeout'],
    ]);
    // Alone in its run, neither has test lists without a dataset; the timeout and the failed patch say so.
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toMatch(/no test lists for django__django-16877/);
  });
});

describe.skipIf(!haveShared)('import of per-run resolved tables', () => {
  const kkkkkk = path.join(multiRun, 'kkkkkk0725_swebench-reliability-study/scored/per_run_results.json');
  const baseline = ['i0_run1', 'i0_run2', 'i0_run3', 'i0_run4', 'i0_run5'];

  it('reads kkkkkk0725 per_run_results.json (runs → tasks) and reproduces its resolve rates and per-task figures', async () => {
    const result = await importRun({
      source: { kind: 'table', file: kkkkkk, runs: baseline, missing: 'fail' },
      root,
      runId: 'kkkkkk-fail',
    });
    expect(result).toMatchObject({ unrolls: 500, instances: 100, runs: 5, missing: 4, resolvedOnly: true });
    const stats = computeStats((await readUnrolls(result.runDir)).records, noBootstrap);
    expect(stats.resolvedOnly).toBe(true);
    // The study's own figures: 79/75/77/76/72 % over n = 100, a task missing from a run counting as unresolved.
    expect(stats.overall.resolveRate?.value).toBeCloseTo((79 + 75 + 77 + 76 + 72) / 500, 12);

    const data = JSON.parse(readFileSync(kkkkkk, 'utf8')) as Record<string, Record<string, number>>;
    for (const task of stats.tasks) {
      const p = baseline.reduce((s, run) => s + (data[run]?.[task.instance_id] ?? 0), 0) / 5;
      expect(task.error).toBeCloseTo(1 - p, 12);
      expect(task.bias2).toBeCloseTo((1 - p) ** 2, 12);
      expect(task.variance).toBeCloseTo(p * (1 - p), 12);
    }
    const threeOfFive = stats.tasks.filter((t) => Math.abs(t.resolveRate - 0.6) < 1e-12);
    expect(threeOfFive.length).toBeGreaterThan(0);
    for (const task of threeOfFive) {
      expect(task.error).toBeCloseTo(0.4, 12);
      expect(task.bias2).toBeCloseTo(0.16, 12);
      expect(task.variance).toBeCloseTo(0.24, 12);
      expect(task.incoherence).toBeCloseTo(0.6, 12);
    }
  });

  it('skips (run, task) pairs without a value by default', async () => {
    const result = await importRun({
      source: { kind: 'table', file: kkkkkk, runs: baseline },
      root,
      runId: 'kkkkkk-skip',
    });
    expect(result).toMatchObject({ unrolls: 496, missing: 4 });
    expect(result.columns.map((c) => [c.name, c.unrolls, c.tasks])).toEqual([
      ['i0_run1', 99, 99],
      ['i0_run2', 97, 97],
      ['i0_run3', 100, 100],
      ['i0_run4', 100, 100],
      ['i0_run5', 100, 100],
    ]);
    const stats = computeStats((await readUnrolls(result.runDir)).records, noBootstrap);
    expect(stats.counts.unrollsPerTask).toEqual({ min: 3, max: 5 });
  });

  it('reads composio runs_summary.jsonl rows, a missing report being an infrastructure failure', async () => {
    const file = path.join(multiRun, 'composio_langgraph_agent/runs_summary.jsonl');
    const rows = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { run_id: string; instance_id: string; resolved: boolean | null });
    const result = await importRun({ source: { kind: 'table', file }, root, runId: 'composio-table' });
    expect(result).toMatchObject({ unrolls: 506, runs: 64, instances: 186, infraErrors: 40 });
    const stats = computeStats((await readUnrolls(result.runDir)).records, noBootstrap);
    expect(stats.counts.infraErrors).toBe(40);
    const counted = rows.filter((r) => r.resolved !== null);
    const byTask = new Map<string, boolean[]>();
    for (const r of counted) byTask.set(r.instance_id, [...(byTask.get(r.instance_id) ?? []), r.resolved as boolean]);
    expect(stats.counts.tasks).toBe(byTask.size);
    const mean = [...byTask.values()].reduce((s, v) => s + v.filter(Boolean).length / v.length, 0) / byTask.size;
    expect(stats.overall.resolveRate?.value).toBeCloseTo(mean, 12);
  });

  it('reads stone16 per_instance.json (tasks → runs) with its no_generation and no_logs values', async () => {
    const result = await importRun({
      source: { kind: 'table', file: path.join(multiRun, 'stone16_swe-bench-harness-eval/per_instance.json') },
      root,
      runId: 'stone16',
    });
    expect(result).toMatchObject({ unrolls: 3500, runs: 7, instances: 500, infraErrors: 1 });
    const records = (await readUnrolls(result.runDir)).records;
    expect(records.filter((r) => r.grading_status === 'no_patch')).toHaveLength(5);
    expect(records.filter((r) => r.resolution === 'FULL')).toHaveLength(2586);
  });

  it('reads wide and long CSV the same as JSON', async () => {
    const wide = path.join(root, 'wide.csv');
    const long = path.join(root, 'long.csv');
    await writeFile(wide, 'instance_id,run a,run b\na__a-1,1,0\n"b__b-2",resolved,failed\n');
    await writeFile(
      long,
      'run,instance_id,resolved\r\nrun a,a__a-1,true\r\nrun b,a__a-1,false\r\nrun a,b__b-2,1\r\nrun b,b__b-2,0\r\n',
    );
    const json = path.join(root, 'nested.json');
    await writeFile(
      json,
      JSON.stringify({ 'run a': { 'a__a-1': 1, 'b__b-2': 1 }, 'run b': { 'a__a-1': 0, 'b__b-2': 0 } }),
    );
    const cells = (file: string) =>
      parseResolvedTable(file, readFileSync(file, 'utf8'))
        .cells.map((c) => `${c.run}/${c.task}/${c.outcome}`)
        .sort();
    expect(cells(wide)).toEqual(cells(json));
    expect(cells(long)).toEqual(cells(json));
    expect(parseResolvedTable(json, readFileSync(json, 'utf8')).shape).toBe('JSON object runs → tasks');
  });

  it('asks for the orientation when runs and tasks cannot be told apart, and names unknown runs', async () => {
    const ambiguous = JSON.stringify({ x: { y: 1 } });
    expect(() => parseResolvedTable('t.json', ambiguous)).toThrow(UsageError);
    expect(parseResolvedTable('t.json', ambiguous, 'tasks').cells).toEqual([
      { run: 'y', task: 'x', outcome: 'resolved', raw: '1' },
    ]);
    await expect(importRun({ source: { kind: 'table', file: kkkkkk, runs: ['nope'] }, root })).rejects.toThrow(
      /No run named nope/,
    );
    expect(parseResolvedTable('t.json', JSON.stringify({ r: { 'a__a-1': 'maybe' } })).problems[0]).toMatch(
      /cannot read "maybe"/,
    );
  });
});

describe('columns of a resolved table', () => {
  const column = (name: string, tasks = 100, unrolls = tasks) => ({ name, unrolls, tasks });

  it('groups names by the configuration their prefix names', () => {
    expect(
      [
        'i0_run1',
        'i0_run5',
        'i1c',
        'i1d',
        'run3',
        'openhands_opus_4_5',
        'sweagent_sonnet_4',
        'langgraph_agent_1725824120N',
        '42',
      ].map(columnPrefix),
    ).toEqual(['i0', 'i0', 'i1c', 'i1d', 'run', 'openhands', 'sweagent', 'langgraph', '42']);
  });

  it('warns of columns that look like several configurations, suggesting --runs for one of them', () => {
    const kkkkkk = [
      column('i0_run1', 99),
      column('i0_run2', 97),
      column('i0_run3'),
      column('i0_run4'),
      column('i0_run5'),
      column('i1c'),
      column('i1d'),
    ];
    expect(mixedColumnsWarning(kkkkkk)).toBe(
      'All 7 columns were imported as unrolls of one agent, but their names have 3 prefixes (i0, i1c, i1d) and they cover between 97 and 100 tasks, ' +
        'so they may be several configurations: pick one with --runs a,b,c (e.g. --runs i0_run1,i0_run2,i0_run3,i0_run4,i0_run5).',
    );
    expect(mixedColumnsWarning([column('run1'), column('run2', 80)])).toMatch(
      /but they cover between 80 and 100 tasks, .* --runs run1,run2\)\.$/,
    );
    // Counted unresolved, a missing value still leaves the column covering fewer tasks.
    expect(mixedColumnsWarning([column('run1', 90, 100), column('run2')])).toMatch(/cover between 90 and 100 tasks/);
  });

  it('is quiet about repeats of one configuration', () => {
    expect(mixedColumnsWarning([column('i0_run1'), column('i0_run2'), column('i0_run3')])).toBeNull();
    expect(mixedColumnsWarning([column('i1c', 3)])).toBeNull();
  });
});
