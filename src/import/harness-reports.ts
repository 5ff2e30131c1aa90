import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { InputError, errorMessage } from '../errors.ts';
import { resolutionOf } from '../grading/grade.ts';
import type { TestOutcome } from '../store/unroll-record.ts';
import type { TaskTestLists } from '../stats/matrix.ts';
import type { ImportedColumn } from './columns.ts';
import { failureWith, withoutBom } from './problems.ts';
import { allFailTests, importedRecord, noChangeTests, type ImportedUnroll } from './record.ts';
import { subfolders } from './run-folders.ts';

const categorySchema = z.object({ success: z.array(z.string()), failure: z.array(z.string()) });

/** One instance's entry of an official-harness report.json (2024 v2 through v5). */
const reportEntrySchema = z
  .object({
    patch_is_None: z.boolean().optional(),
    patch_exists: z.boolean().optional(),
    patch_successfully_applied: z.boolean(),
    resolved: z.boolean(),
    infra_failure: z.boolean().optional(),
    tests_status: z.object({ FAIL_TO_PASS: categorySchema, PASS_TO_PASS: categorySchema }).passthrough().optional(),
  })
  .passthrough();
type ReportEntry = z.infer<typeof reportEntrySchema>;
const reportSchema = z.record(z.string(), reportEntrySchema);

export interface HarnessImportOptions {
  /** Run folders, each holding `<instance_id>/report.json` (and optionally test_output.txt, patch.diff); folder k becomes unroll k. */
  readonly folders: readonly string[];
  /** FAIL_TO_PASS / PASS_TO_PASS per instance, used for reports without test results. */
  readonly dataset?: ReadonlyMap<string, TaskTestLists>;
  readonly model?: string;
  /**
   * An instance other runs have but a run has no folder for (the harness writes none for an empty patch):
   * `skip` (default) leaves it out, with a warning; `fail` records it as no patch.
   */
  readonly missing?: 'skip' | 'fail';
}

export interface HarnessImport {
  readonly unrolls: ImportedUnroll[];
  /** One sentence per report that could not be used or needed a fallback. */
  readonly problems: string[];
  /** Per run folder, in unroll order: its path, the unrolls it gave and its instance folders. */
  readonly runs: ImportedColumn[];
  /** (run, instance) pairs without a folder, skipped or recorded as no patch per `missing`. */
  readonly missing: number;
}

/** What one run folder holds for one instance, before grading rules are applied. */
interface Found {
  readonly unroll: number;
  readonly instanceId: string;
  readonly dir: string;
  readonly entry?: ReportEntry;
  readonly patch?: string;
  readonly testLog?: string;
  /** run_instance.log says the patch did not apply (the harness then writes no report). */
  readonly applyFailed?: boolean;
  /** Whether the folder has a run_instance.log at all. */
  readonly runLog?: boolean;
  /** The run has no folder for the instance; recorded as no patch under `missing: 'fail'`. */
  readonly absent?: boolean;
}

/** The line the harness appends to test_output.txt when the evaluation hits its time limit (it then writes no report). */
const harnessTimeout = /^Timeout error: \d+ seconds exceeded\.$/m;
/** The line run_instance.log gets when no `git apply`/`patch` variant applies the model patch. */
const patchApplyFailed = />>>>> Patch Apply Failed/;

/**
 * Reads official-harness run folders of the same instances as one hotmess run, one unroll per (folder,
 * instance). Per report:
 * - with `tests_status`: graded; each test of the instance passes unless in a `failure` list (a test in
 *   neither list was skipped, which the harness does not count as a failure). The instance's tests are the
 *   union of those its reports name, so every unroll has the same columns;
 * - `patch_is_None` / no patch: `no_patch`, graded as no change (FAIL_TO_PASS fail, PASS_TO_PASS pass);
 * - `patch_successfully_applied: false` with a patch: `patch_failed`, also no change, since a patch that does
 *   not apply leaves the work tree as it was (this includes a model patch that made the test patch conflict);
 * - applied, yet no `tests_status`: `unparsed`, every test fails (nothing says any passed);
 * - `infra_failure: true` (v5): an infrastructure error, left out of the statistics.
 * The test lists of reports without results come from `dataset` when it has the instance, else from the instance's other
 * reports. An instance folder without report.json is `test_timeout` (every test fails) if test_output.txt ends
 * with the harness's timeout line; `patch_failed` if run_instance.log says the patch did not apply, or if there
 * is a patch.diff and neither log; and an infrastructure error otherwise. An instance the run has no folder
 * for, while other runs have one, is left out or recorded as no patch (`missing`).
 */
export async function readHarnessRuns(options: HarnessImportOptions): Promise<HarnessImport> {
  if (options.folders.length === 0) throw new InputError('No run folder was given to import.');
  const problems: string[] = [];
  const found: Found[] = [];
  const present: Set<string>[] = [];
  for (const [unroll, folder] of options.folders.entries()) {
    const read = await readFolder(path.resolve(folder), unroll, problems);
    found.push(...read.found);
    present.push(read.names);
  }
  if (found.length === 0)
    throw failureWith(`No usable <instance_id>/report.json was found under ${options.folders.join(', ')}.`, problems);

  const absent = absentPairs(options.folders, present, found);
  if (absent.length > 0 && options.missing !== 'fail') {
    const runs = new Set(absent.map((f) => f.unroll)).size;
    problems.push(
      `${runs} of ${options.folders.length} runs have no folder for some instance other runs have (${absent.length} (run, instance) pairs; ` +
        'the harness writes none for an empty patch); they were left out, which raises resolve rates: --missing fail counts them as no patch.',
    );
  } else found.push(...absent);

  const union = testUnion(found);
  const model = options.model ?? 'imported';
  const unrolls = found.map((f) => toUnroll(f, union, options.dataset, model, problems));
  const runs = options.folders.map((folder, unroll) => ({
    name: path.resolve(folder),
    unrolls: unrolls.filter((u) => u.record.unroll === unroll).length,
    tasks: (present[unroll] as Set<string>).size,
  }));
  return { unrolls, problems, runs, missing: absent.length };
}

/** Per run, the instances other runs have a folder (or a report) for and it has none. */
function absentPairs(folders: readonly string[], present: readonly Set<string>[], found: readonly Found[]): Found[] {
  const all = [...new Set([...present.flatMap((names) => [...names]), ...found.map((f) => f.instanceId)])].sort();
  return folders.flatMap((folder, unroll) => {
    const has = new Set([
      ...(present[unroll] as Set<string>),
      ...found.filter((f) => f.unroll === unroll).map((f) => f.instanceId),
    ]);
    return all
      .filter((id) => !has.has(id))
      .map((id): Found => ({ unroll, instanceId: id, dir: path.join(path.resolve(folder), id), absent: true }));
  });
}

async function readFolder(
  folder: string,
  unroll: number,
  problems: string[],
): Promise<{ found: Found[]; names: Set<string> }> {
  const out: Found[] = [];
  const names = new Set<string>();
  for (const name of await subfolders(folder)) {
    const dir = path.join(folder, name);
    const [reportText, patch, testLog, runLog] = await Promise.all(
      ['report.json', 'patch.diff', 'test_output.txt', 'run_instance.log'].map((file) =>
        readOptional(path.join(dir, file)),
      ),
    );
    if (reportText === undefined && testLog === undefined && runLog === undefined && patch === undefined) continue;
    names.add(name);
    const base = {
      unroll,
      instanceId: name,
      dir,
      runLog: runLog !== undefined,
      applyFailed: runLog !== undefined && patchApplyFailed.test(runLog),
      ...(patch === undefined ? {} : { patch }),
      ...(testLog === undefined ? {} : { testLog }),
    };
    if (reportText === undefined) {
      out.push(base);
      continue;
    }
    const entry = parseReport(reportText, path.join(dir, 'report.json'), name, problems);
    if (entry !== undefined) out.push({ ...base, instanceId: entry.instanceId, entry: entry.entry });
  }
  return { found: out, names };
}

function parseReport(
  text: string,
  file: string,
  dirName: string,
  problems: string[],
): { instanceId: string; entry: ReportEntry } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(withoutBom(text));
  } catch (err) {
    problems.push(`${file} is not valid JSON (${errorMessage(err)}); skipped.`);
    return undefined;
  }
  const checked = reportSchema.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    problems.push(
      `${file} is not a harness report (${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'bad shape'}); skipped.`,
    );
    return undefined;
  }
  const entries = Object.entries(checked.data);
  const match = entries.find(([id]) => id === dirName) ?? (entries.length === 1 ? entries[0] : undefined);
  if (match === undefined) {
    problems.push(`${file} has no entry for ${dirName}; skipped.`);
    return undefined;
  }
  return { instanceId: match[0], entry: match[1] };
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    if (!(await stat(file)).isFile()) return undefined;
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`${file} cannot be read (${errorMessage(err)}).`, file, undefined, err);
  }
}

/** Per instance, every FAIL_TO_PASS then PASS_TO_PASS test its reports name, in first-seen order. */
function testUnion(found: readonly Found[]): Map<string, TaskTestLists> {
  const sets = new Map<string, { f2p: Set<string>; p2p: Set<string> }>();
  for (const f of found) {
    const status = f.entry?.tests_status;
    if (status === undefined) continue;
    let s = sets.get(f.instanceId);
    if (s === undefined) sets.set(f.instanceId, (s = { f2p: new Set(), p2p: new Set() }));
    for (const id of [...status.FAIL_TO_PASS.success, ...status.FAIL_TO_PASS.failure]) s.f2p.add(id);
    for (const id of [...status.PASS_TO_PASS.success, ...status.PASS_TO_PASS.failure]) s.p2p.add(id);
  }
  return new Map([...sets].map(([id, s]) => [id, { FAIL_TO_PASS: [...s.f2p], PASS_TO_PASS: [...s.p2p] }]));
}

function toUnroll(
  f: Found,
  union: ReadonlyMap<string, TaskTestLists>,
  dataset: ReadonlyMap<string, TaskTestLists> | undefined,
  model: string,
  problems: string[],
): ImportedUnroll {
  const common = {
    instance_id: f.instanceId,
    unroll: f.unroll,
    model,
    patch_bytes: f.patch === undefined ? 0 : Buffer.byteLength(f.patch),
    source: f.dir,
    resolved_only: false,
  };
  const files = {
    ...(f.patch === undefined ? {} : { patch: f.patch }),
    ...(f.testLog === undefined ? {} : { testLog: f.testLog }),
  };
  if (f.absent === true) {
    const lists = listsFor(f, union, dataset, problems);
    return {
      record: importedRecord({
        ...common,
        grading_status: 'no_patch',
        tests: lists ? noChangeTests(lists) : [],
        resolution: 'NO',
      }),
    };
  }
  const entry = f.entry;
  const status = entry?.tests_status;
  if (entry !== undefined && status !== undefined && entry.infra_failure !== true) {
    const lists = union.get(f.instanceId) as TaskTestLists;
    const tests = gradedTests(lists, status);
    const resolution = resolutionOf({
      ...status,
      FAIL_TO_FAIL: { success: [], failure: [] },
      PASS_TO_FAIL: { success: [], failure: [] },
    });
    return { record: importedRecord({ ...common, grading_status: 'graded', tests, resolution }), ...files };
  }
  if (entry === undefined || entry.infra_failure === true) {
    const timedOut = entry === undefined && f.testLog !== undefined && harnessTimeout.test(f.testLog);
    if (timedOut) {
      const lists = listsFor(f, union, dataset, problems);
      return {
        record: importedRecord({
          ...common,
          grading_status: 'test_timeout',
          tests: lists ? allFailTests(lists) : [],
          resolution: 'NO',
        }),
        ...files,
      };
    }
    // Without a log to say otherwise, a patch.diff and no test output means the harness stopped at applying it.
    const applyFailed =
      entry === undefined &&
      (f.applyFailed === true || (!f.runLog && f.patch !== undefined && f.testLog === undefined));
    if (applyFailed) {
      const lists = listsFor(f, union, dataset, problems);
      return {
        record: importedRecord({
          ...common,
          grading_status: 'patch_failed',
          tests: lists ? noChangeTests(lists) : [],
          resolution: 'NO',
        }),
        ...files,
      };
    }
    const why =
      entry === undefined ? 'the harness wrote no report.json' : 'the harness reported an infrastructure failure';
    return {
      record: importedRecord({ ...common, grading_status: 'error', tests: [], resolution: 'NO', infra_error: why }),
      ...files,
    };
  }
  const noPatch =
    entry.patch_is_None === true || entry.patch_exists === false || (f.patch !== undefined && f.patch.trim() === '');
  const lists = listsFor(f, union, dataset, problems);
  if (!noPatch && entry.patch_successfully_applied) {
    problems.push(`${f.dir}/report.json says the patch applied but has no test results; every test counts as failed.`);
    return {
      record: importedRecord({
        ...common,
        grading_status: 'unparsed',
        tests: lists ? allFailTests(lists) : [],
        resolution: 'NO',
      }),
      ...files,
    };
  }
  const gradingStatus = noPatch ? 'no_patch' : 'patch_failed';
  return {
    record: importedRecord({
      ...common,
      grading_status: gradingStatus,
      tests: lists ? noChangeTests(lists) : [],
      resolution: 'NO',
    }),
    ...files,
  };
}

function listsFor(
  f: Found,
  union: ReadonlyMap<string, TaskTestLists>,
  dataset: ReadonlyMap<string, TaskTestLists> | undefined,
  problems: string[],
): TaskTestLists | undefined {
  const lists = dataset?.get(f.instanceId) ?? union.get(f.instanceId);
  if (lists === undefined) {
    problems.push(
      `${f.dir}: no test lists for ${f.instanceId} (not in the dataset, and no other run has test results); its tests are unknown.`,
    );
  }
  return lists;
}

function gradedTests(lists: TaskTestLists, status: NonNullable<ReportEntry['tests_status']>): TestOutcome[] {
  const outcome =
    (category: TestOutcome['category'], passed: ReadonlySet<string>, failed: ReadonlySet<string>) =>
    (id: string): TestOutcome => {
      if (failed.has(id)) return { id, category, status: 'FAILED', pass: false };
      return { id, category, status: passed.has(id) ? 'PASSED' : 'SKIPPED', pass: true };
    };
  return [
    ...lists.FAIL_TO_PASS.map(
      outcome('FAIL_TO_PASS', new Set(status.FAIL_TO_PASS.success), new Set(status.FAIL_TO_PASS.failure)),
    ),
    ...lists.PASS_TO_PASS.map(
      outcome('PASS_TO_PASS', new Set(status.PASS_TO_PASS.success), new Set(status.PASS_TO_PASS.failure)),
    ),
  ];
}
