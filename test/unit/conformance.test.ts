/**
 * Conformance: re-grading the official harness's own logs must reproduce its report.json files.
 *
 * Test lists: the dataset record's FAIL_TO_PASS/PASS_TO_PASS (Verified, else Lite), because they keep the
 * dataset order the reports use and include tests the v2 rules drop as SKIPPED. When a report names a test its
 * dataset record lacks (a label was fixed after the run: astropy-7606, pylint-7080), the report's own
 * success + failure lists are used instead, since they were the instance's lists at the time.
 * `patch_is_None` is an input of get_eval_report (the prediction's patch was None), so it is read from the report.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { TestLists } from '../../src/grading/grade.ts';
import { evaluateLog } from '../../src/grading/log-eval.ts';
import { getLogParser, parserNameFor } from '../../src/grading/parsers/registry.ts';
import { gradeLog, type OfficialReportEntry } from '../../src/grading/report.ts';
import { deriveTestLists } from '../../src/grading/transitions.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { loadInstances } from '../../src/instances/load.ts';
import { repoRoot } from '../../src/paths.ts';

const shared = path.resolve(repoRoot, '../shared');
const swebench = path.join(shared, 'swebench');
const haveShared = existsSync(swebench);
if (!haveShared) console.log(`skipping conformance tests: ${swebench} is absent`);

const knownDifferences = z
  .array(z.object({ case: z.string(), field: z.string(), reason: z.string().min(10) }))
  .parse(
    JSON.parse(readFileSync(fileURLToPath(new URL('conformance-known-differences.json', import.meta.url)), 'utf8')),
  );

const category = z.object({ success: z.array(z.string()), failure: z.array(z.string()) });
const reportEntry = z.object({
  patch_is_None: z.boolean(),
  patch_exists: z.boolean(),
  patch_successfully_applied: z.boolean(),
  resolved: z.boolean(),
  tests_status: z
    .object({ FAIL_TO_PASS: category, PASS_TO_PASS: category, FAIL_TO_FAIL: category, PASS_TO_FAIL: category })
    .optional(),
});
type ReportEntry = z.infer<typeof reportEntry>;

const indexRow = z.object({ system: z.string(), instance_id: z.string(), files: z.array(z.string()) });

/** The fields where `got` differs from the official entry, e.g. `resolved` or `PASS_TO_PASS.failure`. */
function differences(got: OfficialReportEntry, want: ReportEntry): string[] {
  const flags = ['patch_is_None', 'patch_exists', 'patch_successfully_applied', 'resolved'] as const;
  const fields: string[] = flags.filter((f) => got[f] !== want[f]);
  if ((got.tests_status === undefined) !== (want.tests_status === undefined)) return [...fields, 'tests_status'];
  for (const cat of ['FAIL_TO_PASS', 'PASS_TO_PASS', 'FAIL_TO_FAIL', 'PASS_TO_FAIL'] as const) {
    for (const list of ['success', 'failure'] as const) {
      if (JSON.stringify(got.tests_status?.[cat][list]) !== JSON.stringify(want.tests_status?.[cat][list]))
        fields.push(`${cat}.${list}`);
    }
  }
  return fields;
}

function reportLists(entry: ReportEntry): TestLists {
  const ts = entry.tests_status;
  return {
    FAIL_TO_PASS: ts ? [...ts.FAIL_TO_PASS.success, ...ts.FAIL_TO_PASS.failure] : [],
    PASS_TO_PASS: ts ? [...ts.PASS_TO_PASS.success, ...ts.PASS_TO_PASS.failure] : [],
  };
}

function listsFor(instance: Instance, entry: ReportEntry): { lists: TestLists; source: 'dataset' | 'report' } {
  const fromReport = reportLists(entry);
  const covered = (reported: readonly string[], dataset: readonly string[]) =>
    reported.every((id) => dataset.includes(id));
  if (
    covered(fromReport.FAIL_TO_PASS, instance.FAIL_TO_PASS) &&
    covered(fromReport.PASS_TO_PASS, instance.PASS_TO_PASS)
  ) {
    return { lists: instance, source: 'dataset' };
  }
  return { lists: fromReport, source: 'report' };
}

function readEntry(file: string, id?: string): ReportEntry {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return reportEntry.parse(id === undefined ? json : json[id]);
}

/** Every disagreement seen, as `case: field`, so that a known difference that no longer occurs is caught. */
const observed = new Set<string>();

/** Checks the disagreements against the known-differences file; returns those it does not excuse. */
function unexplained(disagreements: ReadonlyMap<string, string[]>): string[] {
  const all = [...disagreements].flatMap(([key, fields]) => fields.map((field) => `${key}: ${field}`));
  for (const d of all) observed.add(d);
  const excused = new Set(knownDifferences.map((d) => `${d.case}: ${d.field}`));
  return all.filter((d) => !excused.has(d));
}

describe.skipIf(!haveShared)('conformance with the official harness', () => {
  it('reproduces every report.json under harness-logs/ (v2 rules, detected)', async () => {
    const byId = new Map<string, Instance>();
    for (const name of ['SWE-bench_Lite.dev.jsonl', 'SWE-bench_Lite.test.jsonl', 'SWE-bench_Verified.test.jsonl']) {
      for (const instance of (await loadInstances(path.join(swebench, 'datasets', name), { strict: true })).instances) {
        byId.set(instance.instance_id, instance);
      }
    }
    const rows = readFileSync(path.join(swebench, 'harness-logs/INDEX.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => indexRow.parse(JSON.parse(line)))
      .filter((row) => row.files.includes('report.json') && row.files.includes('test_output.txt'));
    const disagreements = new Map<string, string[]>();
    const fromReport: string[] = [];
    for (const row of rows) {
      const dir = path.join(swebench, 'harness-logs', row.system, row.instance_id);
      const key = `${row.system}/${row.instance_id}`;
      const want = readEntry(path.join(dir, 'report.json'), row.instance_id);
      const instance = byId.get(row.instance_id);
      if (!instance) throw new Error(`${row.instance_id} is in no bundled dataset`);
      const { lists, source } = listsFor(instance, want);
      if (source === 'report') fromReport.push(key);
      const log = readFileSync(path.join(dir, 'test_output.txt'), 'utf8');
      const grade = gradeLog({ ...instance, ...lists, log_parser: undefined }, log, {
        era: 'auto',
        modelPatch: want.patch_is_None ? null : readFileSync(path.join(dir, 'patch.diff'), 'utf8'),
      });
      expect(grade.parser).toBe(parserNameFor({ repo: instance.repo }));
      if (grade.evaluation) expect(grade.evaluation.era).toBe('v2');
      const fields = differences(grade.report[row.instance_id]!, want);
      if (fields.length > 0) disagreements.set(key, fields);
    }
    const reproduced = rows.length - disagreements.size;
    const withTests = rows.filter(
      (row) =>
        readEntry(path.join(swebench, 'harness-logs', row.system, row.instance_id, 'report.json'), row.instance_id)
          .tests_status,
    ).length;
    console.log(
      `conformance: ${reproduced}/${rows.length} harness-logs reports reproduced (${withTests} with tests_status; ` +
        `lists read from the report for ${fromReport.join(', ') || 'none'})`,
    );
    expect(rows.length).toBe(429);
    expect(unexplained(disagreements)).toEqual([]);
    // Exactly the two relabelled instances: a fallback that widened could hide a loader or list bug.
    expect(fromReport).toEqual([
      '20240620_sweagent_claude3.5sonnet__verified/astropy__astropy-7606',
      '20240620_sweagent_claude3.5sonnet__verified/pylint-dev__pylint-7080',
    ]);
  });

  it('reproduces the SWE-smith evaluation reports (v3/v4 markers, verbose pytest)', () => {
    const root = path.join(swebench, 'fixtures/swe-smith_tests_test_logs/run_evaluation');
    const ids = readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    const disagreements = new Map<string, string[]>();
    for (const id of ids) {
      const want = readEntry(path.join(root, id, 'report.json'));
      const log = readFileSync(path.join(root, id, 'test_output.txt'), 'utf8');
      const grade = gradeLog(
        { instance_id: id, repo: id.split('.')[0]!.replace('__', '/'), ...reportLists(want) },
        log,
        {
          parser: 'parse_log_pytest_verbose',
        },
      );
      expect(grade.evaluation?.era).toBe('v4');
      const fields = differences(grade.report[id]!, want);
      if (fields.length > 0) disagreements.set(`swe-smith/${id}`, fields);
    }
    const known = [...disagreements.values()].flat();
    console.log(
      `conformance: SWE-smith reports ${ids.length - disagreements.size}/${ids.length} identical, ` +
        `${disagreements.size} identical but for known differences (${[...new Set(known)].join(', ')})`,
    );
    expect(ids).toHaveLength(4);
    expect(unexplained(disagreements)).toEqual([]);
  });

  it('derives the SWE-smith validation report from the runs without and with the fix', () => {
    const dir = path.join(swebench, 'fixtures/swe-smith_tests_test_logs/run_validation');
    const parse = getLogParser('parse_log_pytest_verbose');
    // SWE-smith's "pre-gold" run is the clean repository (the fix applied); test_output.txt has the bug.
    const withBug = evaluateLog(readFileSync(path.join(dir, 'test_output.txt'), 'utf8'), parse);
    const fixed = evaluateLog(readFileSync(path.join(dir, 'test_output_pre_gold.txt'), 'utf8'), parse);
    const want = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as unknown;
    expect(deriveTestLists(withBug.statusMap, fixed.statusMap)).toEqual(want);
  });

  it('lists no known difference that did not occur', () => {
    const stale = knownDifferences.map((d) => `${d.case}: ${d.field}`).filter((d) => !observed.has(d));
    expect(stale).toEqual([]);
  });
});
