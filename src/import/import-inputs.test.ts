import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../errors.ts';
import { readUnrolls } from '../store/run-dir.ts';
import { computeStats } from '../stats/compute.ts';
import { importRun } from './import-run.ts';
import { parseResolvedTable, resolvedTableUnrolls } from './resolved-table.ts';

// Scratch inputs in the layouts the official harness writes, so that these run without ../shared.
let root: string;
let logs: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-import-inputs-'));
  logs = path.join(root, 'logs');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const f2p = ['t_fix'];
const p2p = ['t_keep'];
/** A v2 report.json of one instance: `fixed` says whether FAIL_TO_PASS passes (PASS_TO_PASS always does). */
function report(id: string, fixed: boolean): string {
  const tests_status = {
    FAIL_TO_PASS: fixed ? { success: f2p, failure: [] } : { success: [], failure: f2p },
    PASS_TO_PASS: { success: p2p, failure: [] },
  };
  return JSON.stringify({
    [id]: { patch_is_None: false, patch_exists: true, patch_successfully_applied: true, resolved: fixed, tests_status },
  });
}

async function instance(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
}

let n = 0;
const runId = () => `inputs-${n++}`;
const outcomes = async (dir: string) =>
  (await readUnrolls(dir)).records
    .map((r) => `${r.unroll}/${r.instance_id}/${r.grading_status}/${r.tests.map((t) => `${t.id}=${t.pass}`).join(',')}`)
    .sort();

describe('harness run folders', () => {
  /** logs/run_evaluation/<run_id>/<model>/<instance>/, as the official harness lays them out. */
  let evaluation: string;
  beforeAll(async () => {
    evaluation = path.join(root, 'nested', 'logs', 'run_evaluation');
    for (const [run, fixed] of [
      ['run1', true],
      ['run2', false],
    ] as const) {
      for (const id of ['a__a-1', 'b__b-2'])
        await instance(path.join(evaluation, run, 'model', id), {
          'report.json': report(id, fixed),
          'patch.diff': 'diff',
        });
    }
  });

  it('finds the runs below run_evaluation/ and below one run_evaluation/<run_id>/, and lists them', async () => {
    const all = await importRun({ source: { kind: 'harness', folders: [evaluation] }, root: logs, runId: runId() });
    expect(all).toMatchObject({ runs: 2, unrolls: 4, instances: 2, missing: 0, problems: [] });
    expect(all.columns).toEqual([
      { name: path.join(evaluation, 'run1', 'model'), unrolls: 2, tasks: 2 },
      { name: path.join(evaluation, 'run2', 'model'), unrolls: 2, tasks: 2 },
    ]);
    expect(
      computeStats((await readUnrolls(all.runDir)).records, { bootstrap: { resamples: 0 } }).overall.resolveRate?.value,
    ).toBe(0.5);
    const one = await importRun({
      source: { kind: 'harness', folders: [path.join(evaluation, 'run2')] },
      root: logs,
      runId: runId(),
    });
    expect(one).toMatchObject({ runs: 1, unrolls: 2, columns: [{ name: path.join(evaluation, 'run2', 'model') }] });
    // Three levels: logs/ → run_evaluation → run_id → model.
    expect(
      (
        await importRun({
          source: { kind: 'harness', folders: [path.dirname(evaluation)] },
          root: logs,
          runId: runId(),
        })
      ).runs,
    ).toBe(2);
  });

  it('refuses a run reached twice, and leaves out a given folder that holds no run', async () => {
    const run1 = path.join(evaluation, 'run1');
    await expect(importRun({ source: { kind: 'harness', folders: [run1, run1] }, root: logs })).rejects.toThrow(
      /would be imported twice \(.*run1 is given twice\)/,
    );
    await expect(importRun({ source: { kind: 'harness', folders: [evaluation, run1] }, root: logs })).rejects.toThrow(
      /reached through both .*run_evaluation and .*run1\)/,
    );
    const empty = path.join(root, 'nested', 'empty');
    await mkdir(empty, { recursive: true });
    const result = await importRun({ source: { kind: 'harness', folders: [run1, empty] }, root: logs, runId: runId() });
    expect(result).toMatchObject({ runs: 1, unrolls: 2 });
    expect(result.problems).toEqual([
      expect.stringMatching(/empty holds no <instance_id>\/report\.json .* so it is not a run; left out\.$/),
    ]);
    await expect(importRun({ source: { kind: 'harness', folders: [empty] }, root: logs })).rejects.toThrow(
      /No <instance_id>\/report\.json was found under .*empty/,
    );
  });

  it('warns of instances a run has no folder for and skips them, or records them as no patch with --missing fail', async () => {
    const full = path.join(root, 'gaps', 'full');
    const gappy = path.join(root, 'gaps', 'gappy');
    await instance(path.join(full, 'a__a-1'), { 'report.json': report('a__a-1', true) });
    await instance(path.join(full, 'b__b-2'), { 'report.json': report('b__b-2', true) });
    await instance(path.join(gappy, 'a__a-1'), { 'report.json': report('a__a-1', true) });
    const skipped = await importRun({
      source: { kind: 'harness', folders: [full, gappy] },
      root: logs,
      runId: runId(),
    });
    expect(skipped).toMatchObject({ unrolls: 3, missing: 1 });
    expect(skipped.problems).toEqual([
      expect.stringMatching(
        /^1 of 2 runs have no folder for some instance other runs have \(1 \(run, instance\) pairs; .*--missing fail/,
      ),
    ]);
    expect(
      computeStats((await readUnrolls(skipped.runDir)).records, { bootstrap: { resamples: 0 } }).overall.resolveRate
        ?.value,
    ).toBe(1);

    const failed = await importRun({
      source: { kind: 'harness', folders: [full, gappy], missing: 'fail' },
      root: logs,
      runId: runId(),
    });
    expect(failed).toMatchObject({ unrolls: 4, missing: 1, problems: [] });
    // The other run's report gives the test lists: no change fails FAIL_TO_PASS and passes PASS_TO_PASS.
    expect(await outcomes(failed.runDir)).toContain('1/b__b-2/no_patch/t_fix=false,t_keep=true');
    expect(
      computeStats((await readUnrolls(failed.runDir)).records, { bootstrap: { resamples: 0 } }).overall.resolveRate
        ?.value,
    ).toBe(0.75);
  });

  it('grades a patch that did not apply (run_instance.log and patch.diff, no report) as no change', async () => {
    const graded = path.join(root, 'apply', 'graded');
    const failed = path.join(root, 'apply', 'failed');
    await instance(path.join(graded, 'a__a-1'), { 'report.json': report('a__a-1', true) });
    await instance(path.join(graded, 'b__b-2'), { 'report.json': report('b__b-2', true) });
    await instance(path.join(graded, 'c__c-3'), { 'report.json': report('c__c-3', true) });
    await instance(path.join(failed, 'a__a-1'), {
      'run_instance.log': 'INFO - >>>>> Patch Apply Failed:\nHunk #1 FAILED\n',
      'patch.diff': 'diff',
    });
    await instance(path.join(failed, 'b__b-2'), { 'patch.diff': 'diff' });
    await instance(path.join(failed, 'c__c-3'), {
      'run_instance.log': 'ERROR - docker: connection reset\n',
      'patch.diff': 'diff',
    });
    const result = await importRun({
      source: { kind: 'harness', folders: [graded, failed] },
      root: logs,
      runId: runId(),
    });
    expect(result).toMatchObject({ unrolls: 6, missing: 0, infraErrors: 1 });
    expect((await outcomes(result.runDir)).filter((o) => o.startsWith('1/'))).toEqual([
      '1/a__a-1/patch_failed/t_fix=false,t_keep=true',
      '1/b__b-2/patch_failed/t_fix=false,t_keep=true',
      '1/c__c-3/error/',
    ]);
  });

  it('fails with the problems that explain why when no report can be used', async () => {
    const broken = path.join(root, 'broken', 'run');
    await instance(path.join(broken, 'a__a-1'), { 'report.json': '{"a__a-1": {"resolv' });
    await expect(importRun({ source: { kind: 'harness', folders: [broken] }, root: logs })).rejects.toThrow(
      /^No usable <instance_id>\/report\.json was found under .*run; 1 input could not be used, the first: .*a__a-1\/report\.json is not valid JSON/,
    );
  });

  it('fails, saying to pass --dataset, when no unroll has test lists, and creates no run', async () => {
    const none = path.join(root, 'none', 'run');
    await instance(path.join(none, 'a__a-1'), {
      'report.json': JSON.stringify({
        'a__a-1': { patch_is_None: true, patch_successfully_applied: false, resolved: false },
      }),
    });
    const id = runId();
    const err = await importRun({ source: { kind: 'harness', folders: [none] }, root: logs, runId: id }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(
      /^None of the 1 unrolls can be analysed \(0 infrastructure failures, 1 without test lists\); pass --dataset /,
    );
    expect(existsSync(path.join(logs, id))).toBe(false);
  });
});

describe('official-harness summaries', () => {
  const summary = (
    ids: Partial<Record<'resolved_ids' | 'unresolved_ids' | 'empty_patch_ids' | 'error_ids', string[]>>,
  ) =>
    JSON.stringify({
      total_instances: 3,
      resolved_ids: [],
      unresolved_ids: [],
      empty_patch_ids: [],
      error_ids: [],
      completed_ids: [],
      submitted_ids: [],
      ...ids,
    });

  it('reads each summary file as one resolved-only run', async () => {
    const dir = path.join(root, 'summaries');
    await mkdir(dir, { recursive: true });
    const files = [
      ['m.run1.json', summary({ resolved_ids: ['a__a-1', 'b__b-2'], empty_patch_ids: ['c__c-3'] })],
      ['m.run2.json', summary({ resolved_ids: ['a__a-1'], unresolved_ids: ['b__b-2'], error_ids: ['c__c-3'] })],
    ].map(([name, text]) => [path.join(dir, name as string), text as string] as const);
    for (const [file, text] of files) await writeFile(file, `\uFEFF${text}`);
    const result = await importRun({
      source: { kind: 'summaries', files: files.map(([f]) => f) },
      root: logs,
      runId: runId(),
    });
    expect(result).toMatchObject({
      runs: 2,
      unrolls: 6,
      instances: 3,
      infraErrors: 1,
      resolvedOnly: true,
      columns: [{ name: 'm.run1' }, { name: 'm.run2' }],
    });
    expect(await outcomes(result.runDir)).toEqual([
      '0/a__a-1/graded/resolved=true',
      '0/b__b-2/graded/resolved=true',
      '0/c__c-3/no_patch/resolved=false',
      '1/a__a-1/graded/resolved=true',
      '1/b__b-2/graded/resolved=false',
      '1/c__c-3/error/',
    ]);
    const one = await importRun({
      source: { kind: 'table', file: files[0]?.[0] as string },
      root: logs,
      runId: runId(),
    });
    expect(one).toMatchObject({ runs: 1, unrolls: 3 });

    const other = path.join(dir, 'table.csv');
    await writeFile(other, 'instance_id,r1\na__a-1,1\n');
    await expect(
      importRun({ source: { kind: 'summaries', files: [files[0]?.[0] as string, other] }, root: logs }),
    ).rejects.toThrow(/table\.csv is not an official-harness summary/);
    await expect(
      importRun({
        source: { kind: 'summaries', files: [files[0]?.[0] as string, files[0]?.[0] as string] },
        root: logs,
      }),
    ).rejects.toThrow(/would both be run m\.run1/);
  });
});

describe('resolved table cells and shapes', () => {
  const cells = (file: string, text: string) =>
    parseResolvedTable(file, text)
      .cells.map((c) => `${c.run}/${c.task}/${c.outcome}`)
      .sort();

  it('reads the spellings pandas, spreadsheets and checkmarks use', () => {
    const yes = ['1.0', '✓', '✔', '✔️', '✅', 'Y', 'y', 'T', 't'];
    const no = ['0.0', '✗', '✘', '❌', 'N', 'n', 'F', 'f'];
    const all = [...yes, ...no];
    const csv = `instance_id,${all.map((_, k) => `r${k}`).join(',')}\na__a-1,${all.join(',')}\n`;
    const table = parseResolvedTable('t.csv', csv);
    expect(table.problems).toEqual([]);
    expect(table.cells.map((c) => c.outcome)).toEqual([...yes.map(() => 'resolved'), ...no.map(() => 'unresolved')]);
  });

  it('strips a UTF-8 byte-order mark from JSON and JSON Lines', () => {
    const nested = JSON.stringify({ r1: { 'a__a-1': 1 } });
    expect(cells('t.json', `\uFEFF${nested}`)).toEqual(cells('t.json', nested));
    const lines =
      '{"run":"r1","instance_id":"a__a-1","resolved":true}\n{"run":"r2","instance_id":"a__a-1","resolved":false}\n';
    expect(cells('t.jsonl', `\uFEFF${lines}`)).toEqual(['r1/a__a-1/resolved', 'r2/a__a-1/unresolved']);
  });

  it('reads a wide CSV with one row per run (instance ids in the header) transposed', () => {
    const wide = 'instance_id,run1,run2\na__a-1,1,0\nb__b-2,0,1\n';
    const transposed = 'run,a__a-1,b__b-2\nrun1,1,0\nrun2,0,1\n';
    expect(cells('t.csv', transposed)).toEqual(cells('t.csv', wide));
    expect(parseResolvedTable('t.csv', transposed).shape).toBe('CSV, one row per run');
  });

  it('refuses a run named twice in --runs, and carries the problems into "holds no runs"', () => {
    const table = parseResolvedTable('t.csv', 'instance_id,run1,run2\na__a-1,1,0\n');
    expect(() => resolvedTableUnrolls(table, { runs: ['run1', 'run1'], source: 't.csv' })).toThrow(UsageError);
    expect(() => resolvedTableUnrolls(table, { runs: ['run1', 'run1'], source: 't.csv' })).toThrow(
      /--runs names run1 more than once/,
    );
    const unreadable = parseResolvedTable('u.csv', 'instance_id,run1\na__a-1,maybe\nb__b-2,perhaps\n');
    expect(() => resolvedTableUnrolls(unreadable, { source: 'u.csv' })).toThrow(
      /^u\.csv holds no runs; 2 inputs could not be used, the first: u\.csv:2 \(run1\): cannot read "maybe"/,
    );
  });
});
