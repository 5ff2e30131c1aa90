import { limitStopReasons, type GradingStatus, type TestOutcome, type UnrollRecord } from '../store/unroll-record.ts';
import type { LimitRule } from './types.ts';

/** FAIL_TO_PASS and PASS_TO_PASS test ids of a task (a dataset record satisfies it). */
export interface TaskTestLists {
  readonly FAIL_TO_PASS: readonly string[];
  readonly PASS_TO_PASS: readonly string[];
}

/** One task's unrolls as 0/1 matrices, rows = usable unrolls in unroll order, columns = tests. */
export interface TaskMatrix {
  readonly instanceId: string;
  readonly rows: number;
  readonly cols: number;
  readonly testIds: readonly string[];
  /** 1 for a FAIL_TO_PASS column. */
  readonly isF2p: Uint8Array;
  /** Y (row-major, rows × cols) under each limit rule; the same array when no unroll hit a limit. */
  readonly y: Readonly<Record<LimitRule, Uint8Array>>;
  /** Per row, 1 when every test passes, under each limit rule. */
  readonly resolved: Readonly<Record<LimitRule, Uint8Array>>;
  /** Per row, 1 when the unroll stopped at a limit. */
  readonly limited: Uint8Array;
  readonly actions: Float64Array;
  readonly outputTokens: Float64Array;
  readonly reasoningTokens: Float64Array;
  readonly gradingStatus: readonly GradingStatus[];
  /** Listed tests that no graded log of the task names (MISSING in every one): most likely an id the parser reads differently. */
  readonly neverFound: readonly string[];
}

export interface MatrixBuild {
  readonly tasks: TaskMatrix[];
  readonly skipped: { instance_id: string; reason: string }[];
  readonly infraErrors: number;
  readonly imported: boolean;
  readonly resolvedOnly: boolean;
}

const limitReasons = new Set<string>(limitStopReasons);

/** Infrastructure failures are nobody's answer to the task: they are left out of the statistics. */
export function isInfraFailure(record: UnrollRecord): boolean {
  return record.infra_error !== null || record.grading_status === 'error';
}

/**
 * Groups records by task and builds each task's Y. Tests are the union of those the usable records name (and
 * the task's lists in `testLists`, when given). Per record, under the `grade` view:
 * - `graded`: its test outcomes; a test it does not name fails (as the harness counts a missing test);
 * - `no_patch` / `patch_failed`: "no change" (FAIL_TO_PASS fail, PASS_TO_PASS pass), the state of a work tree
 *   to which no patch was applied (git apply changes nothing when it fails);
 * - `test_timeout` / `unparsed`: every test fails (no test produced a result, which the harness counts as failure).
 * The `no_change` view additionally grades every limit-stopped unroll as no change (DESIGN.md §7).
 */
export function buildTaskMatrices(
  records: readonly UnrollRecord[],
  testLists?: ReadonlyMap<string, TaskTestLists>,
): MatrixBuild {
  const byTask = new Map<string, UnrollRecord[]>();
  let infraErrors = 0;
  let imported = false;
  let resolvedOnly = records.length > 0;
  for (const record of records) {
    if (record.imported) imported = true;
    if (!record.imported?.resolved_only) resolvedOnly = false;
    let list = byTask.get(record.instance_id);
    if (list === undefined) byTask.set(record.instance_id, (list = []));
    list.push(record);
  }
  const tasks: TaskMatrix[] = [];
  const skipped: { instance_id: string; reason: string }[] = [];
  for (const [instanceId, all] of [...byTask].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const usable = all.filter((r) => !isInfraFailure(r)).sort((a, b) => a.unroll - b.unroll);
    infraErrors += all.length - usable.length;
    if (usable.length === 0) {
      skipped.push({ instance_id: instanceId, reason: 'every unroll failed for infrastructure reasons' });
      continue;
    }
    const task = taskMatrix(instanceId, usable, testLists?.get(instanceId));
    if (task === undefined) {
      skipped.push({ instance_id: instanceId, reason: 'no unroll has per-test results and no test lists were given' });
      continue;
    }
    tasks.push(task);
  }
  return { tasks, skipped, infraErrors, imported, resolvedOnly };
}

interface Columns {
  readonly ids: readonly string[];
  readonly isF2p: Uint8Array;
  /** Column of each (category, id); absent when every record names the columns in order. */
  readonly index?: ReadonlyMap<string, number>;
}

const columnKey = (category: TestOutcome['category'], id: string): string =>
  `${category === 'FAIL_TO_PASS' ? 'F' : 'P'}${id}`;

/**
 * Records of a task nearly always name the same tests in the same order: the first record's tests are taken as
 * the columns and each record is checked as it is filled in. Only when one differs (or lists are given) are
 * the columns the union of all named tests, each looked up by name.
 */
function taskMatrix(
  instanceId: string,
  records: readonly UnrollRecord[],
  lists: TaskTestLists | undefined,
): TaskMatrix | undefined {
  const built = fillInOrder(records, lists) ?? fillByName(records, lists);
  if (built === undefined) return undefined;
  const { columns, graded } = built;
  const rows = records.length;
  const cols = columns.ids.length;
  const limited = new Uint8Array(rows);
  const actions = new Float64Array(rows);
  const outputTokens = new Float64Array(rows);
  const reasoningTokens = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const record = records[r] as UnrollRecord;
    limited[r] = limitReasons.has(record.stop_reason) ? 1 : 0;
    actions[r] = record.actions;
    outputTokens[r] = record.output_tokens;
    reasoningTokens[r] = record.reasoning_tokens;
  }
  let noChange = graded;
  if (limited.some((x) => x === 1)) {
    noChange = graded.slice();
    for (let r = 0; r < rows; r++) if (limited[r] === 1) writeNoChange(noChange, r * cols, columns.isF2p);
  }
  const resolvedGraded = resolvedRows(graded, rows, cols);
  return {
    instanceId,
    rows,
    cols,
    testIds: columns.ids,
    isF2p: columns.isF2p,
    y: { grade: graded, no_change: noChange },
    resolved: {
      grade: resolvedGraded,
      no_change: noChange === graded ? resolvedGraded : resolvedRows(noChange, rows, cols),
    },
    limited,
    actions,
    outputTokens,
    reasoningTokens,
    gradingStatus: records.map((r) => r.grading_status),
    neverFound: neverFound(records),
  };
}

/** Tests MISSING in the first graded record and in every other: the other records are searched only for those. */
function neverFound(records: readonly UnrollRecord[]): string[] {
  const graded = records.filter((r) => r.grading_status === 'graded' && !r.imported);
  const first = graded[0];
  if (first === undefined) return [];
  const candidates = first.tests.filter((t) => t.status === 'MISSING');
  if (candidates.length === 0) return [];
  return candidates
    .filter((c) =>
      graded.every((r) => r.tests.some((t) => t.id === c.id && t.category === c.category && t.status === 'MISSING')),
    )
    .map((c) => c.id);
}

function fillInOrder(
  records: readonly UnrollRecord[],
  lists: TaskTestLists | undefined,
): { columns: Columns; graded: Uint8Array } | undefined {
  const first = records.find((r) => r.tests.length > 0);
  if (lists !== undefined || first === undefined) return undefined;
  const columns = {
    ids: first.tests.map((t) => t.id),
    isF2p: Uint8Array.from(first.tests, (t) => (t.category === 'FAIL_TO_PASS' ? 1 : 0)),
  };
  const graded = fill(records, columns);
  return graded === undefined ? undefined : { columns, graded };
}

function fillByName(
  records: readonly UnrollRecord[],
  lists: TaskTestLists | undefined,
): { columns: Columns; graded: Uint8Array } | undefined {
  const columns = unionColumns(records, lists);
  if (columns.ids.length === 0) return undefined;
  return { columns, graded: fill(records, columns) as Uint8Array };
}

function unionColumns(records: readonly UnrollRecord[], lists: TaskTestLists | undefined): Columns {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const f2p: number[] = [];
  const add = (category: TestOutcome['category'], id: string): void => {
    const key = columnKey(category, id);
    if (index.has(key)) return;
    index.set(key, ids.length);
    ids.push(id);
    f2p.push(category === 'FAIL_TO_PASS' ? 1 : 0);
  };
  if (lists) {
    for (const id of lists.FAIL_TO_PASS) add('FAIL_TO_PASS', id);
    for (const id of lists.PASS_TO_PASS) add('PASS_TO_PASS', id);
  }
  for (const record of records) for (const test of record.tests) add(test.category, test.id);
  return { ids, isF2p: Uint8Array.from(f2p), index };
}

/** Y under the `grade` view; undefined when a record names tests that are not the columns in order (no index). */
function fill(records: readonly UnrollRecord[], columns: Columns): Uint8Array | undefined {
  const cols = columns.ids.length;
  const y = new Uint8Array(records.length * cols);
  for (let r = 0; r < records.length; r++) {
    const record = records[r] as UnrollRecord;
    const base = r * cols;
    const status: GradingStatus = record.grading_status;
    if (status === 'no_patch' || status === 'patch_failed') {
      writeNoChange(y, base, columns.isF2p);
      continue;
    }
    if (status !== 'graded') continue; // test_timeout, unparsed: the row stays all failures
    const tests = record.tests;
    const index = columns.index;
    if (index === undefined && tests.length > cols) return undefined;
    for (let k = 0; k < tests.length; k++) {
      const test = tests[k] as TestOutcome;
      let j = k;
      if (index !== undefined) j = index.get(columnKey(test.category, test.id)) as number;
      else if (columns.ids[k] !== test.id || (columns.isF2p[k] === 1) !== (test.category === 'FAIL_TO_PASS'))
        return undefined;
      y[base + j] = test.pass ? 1 : 0;
    }
  }
  return y;
}

function writeNoChange(y: Uint8Array, base: number, isF2p: Uint8Array): void {
  for (let j = 0; j < isF2p.length; j++) y[base + j] = isF2p[j] === 1 ? 0 : 1;
}

function resolvedRows(y: Uint8Array, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let all = 1;
    for (let j = r * cols, end = j + cols; j < end; j++) {
      if (y[j] === 0) {
        all = 0;
        break;
      }
    }
    out[r] = all;
  }
  return out;
}
