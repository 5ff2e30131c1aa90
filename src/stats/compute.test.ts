import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcomes, unrollRecord } from '../../test/helpers/unroll-record.ts';
import { InputError, UsageError } from '../errors.ts';
import type { TestOutcome, UnrollRecord } from '../store/unroll-record.ts';
import { computeStats, failureWeighted, majorityTieRule } from './compute.ts';
import { syntheticRecords } from './synthetic.ts';

/** One task: its 0/1 matrix (rows = unrolls) and how many leading columns are FAIL_TO_PASS. */
interface TaskSpec {
  readonly y: number[][];
  readonly f2p: number;
  readonly actions?: number[];
}

function recordsOf(tasks: readonly TaskSpec[]): UnrollRecord[] {
  return tasks.flatMap((task, t) =>
    task.y.map((row, r) =>
      unrollRecord({
        instance_id: `task-${String(t).padStart(3, '0')}`,
        unroll: r,
        tests: outcomes(row.slice(0, task.f2p), row.slice(task.f2p)),
        actions: task.actions?.[r] ?? 10 + t,
        output_tokens: 100 * (t + 1),
      }),
    ),
  );
}

/** The definitions of DESIGN.md §7, written out cell by cell. */
function naive(y: number[][]): { error: number; bias2: number; variance: number; rates: number[] } {
  const R = y.length;
  const T = (y[0] as number[]).length;
  const rates = Array.from({ length: T }, (_, j) => y.reduce((s, row) => s + (row[j] as number), 0) / R);
  let error = 0;
  let variance = 0;
  for (const row of y) {
    row.forEach((v, j) => {
      error += (1 - v) ** 2;
      variance += (v - (rates[j] as number)) ** 2;
    });
  }
  const bias2 = rates.reduce((s, p) => s + (1 - p) ** 2, 0) / T;
  return { error: error / (R * T), bias2, variance: variance / (R * T), rates };
}

const matrix = (maxRows = 10, maxCols = 6, minRows = 1) =>
  fc
    .record({ rows: fc.integer({ min: minRows, max: maxRows }), cols: fc.integer({ min: 1, max: maxCols }) })
    .chain(({ rows, cols }) =>
      fc.record({
        y: fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: cols, maxLength: cols }), {
          minLength: rows,
          maxLength: rows,
        }),
        f2p: fc.integer({ min: 0, max: cols }),
      }),
    );

const close = (a: number | null | undefined, b: number) => expect(a).toBeCloseTo(b, 10);
const noBootstrap = { bootstrap: { resamples: 0 } } as const;

describe('decomposition', () => {
  it('matches the definitions and E = B + V for every matrix', () => {
    fc.assert(
      fc.property(fc.array(matrix(), { minLength: 1, maxLength: 4 }), (tasks) => {
        const result = computeStats(recordsOf(tasks), noBootstrap);
        tasks.forEach((task, i) => {
          const expected = naive(task.y);
          const row = result.tasks[i];
          close(row?.error, expected.error);
          close(row?.bias2, expected.bias2);
          close(row?.variance, expected.variance);
          close(row?.error, (row?.bias2 ?? NaN) + (row?.variance ?? NaN));
        });
        const mean = (f: (t: TaskSpec) => number) => tasks.reduce((s, t) => s + f(t), 0) / tasks.length;
        close(
          result.overall.error.value,
          mean((t) => naive(t.y).error),
        );
        close(
          result.overall.variance.value,
          mean((t) => naive(t.y).variance),
        );
      }),
    );
  });

  it('unbiased: V · R/(R − 1) and B = E − V', () => {
    fc.assert(
      fc.property(matrix(), (task) => {
        const row = computeStats(recordsOf([task]), { ...noBootstrap, unbiased: true }).tasks[0];
        const expected = naive(task.y);
        const R = task.y.length;
        const variance = R > 1 ? (expected.variance * R) / (R - 1) : expected.variance;
        close(row?.error, expected.error);
        close(row?.variance, variance);
        close(row?.bias2, expected.error - variance);
      }),
    );
  });

  it('per task, incoherence is Σ p(1 − p) / Σ (1 − p) of the per-test pass rates', () => {
    fc.assert(
      fc.property(matrix(), (task) => {
        const row = computeStats(recordsOf([task]), noBootstrap).tasks[0];
        const expected = failureWeighted(naive(task.y).rates);
        if (expected === null) {
          expect(row?.incoherence).toBeNull();
          expect(row?.passRateIdentity).toBeNull();
        } else {
          close(row?.incoherence, expected);
          close(row?.passRateIdentity, expected);
        }
      }),
    );
  });

  it('a single test gives incoherence = its pass rate, and over tasks the failure-weighted pass rate', () => {
    fc.assert(
      fc.property(fc.array(matrix(12, 1), { minLength: 1, maxLength: 6 }), (tasks) => {
        const result = computeStats(recordsOf(tasks), noBootstrap);
        const rates = tasks.map((t) => naive(t.y).rates[0] as number);
        result.tasks.forEach((row, i) => {
          if (rates[i] === 1) expect(row.incoherence).toBeNull();
          else close(row.incoherence, rates[i] as number);
        });
        const expected = rates.reduce((s, p) => s + p * (1 - p), 0) / rates.reduce((s, p) => s + (1 - p), 0);
        if (rates.every((p) => p === 1)) expect(result.overall.incoherence.value).toBeNull();
        else {
          close(result.overall.incoherence.value, expected);
          close(result.critique.resolvedOutcome.incoherence.value, expected);
          close(result.critique.failureWeightedResolveRate, expected);
        }
      }),
    );
  });

  it('says so when no test ever fails: incoherence is undefined', () => {
    const result = computeStats(
      recordsOf([
        {
          y: [
            [1, 1],
            [1, 1],
          ],
          f2p: 1,
        },
      ]),
      noBootstrap,
    );
    expect(result.overall.error.value).toBe(0);
    expect(result.overall.incoherence).toEqual({ value: null, lo: null, hi: null });
    expect(result.notes.join()).toMatch(/incoherence .* is undefined/);
  });

  it('worked example: resolved in 3 of 5 unrolls gives E = 0.4, B = 0.16, V = 0.24', () => {
    const result = computeStats(recordsOf([{ y: [[1], [1], [1], [0], [0]], f2p: 1 }]), noBootstrap);
    close(result.overall.error.value, 0.4);
    close(result.overall.bias2.value, 0.16);
    close(result.overall.variance.value, 0.24);
    close(result.overall.incoherence.value, 0.6);
  });
});

describe('FAIL_TO_PASS / PASS_TO_PASS split', () => {
  it('decomposes each category over its own tests', () => {
    const y = [
      [0, 1, 1],
      [1, 1, 0],
      [0, 1, 1],
    ];
    const result = computeStats(recordsOf([{ y, f2p: 1 }]), noBootstrap);
    const f2p = naive(y.map((row) => row.slice(0, 1)));
    const p2p = naive(y.map((row) => row.slice(1)));
    close(result.categories.FAIL_TO_PASS?.error.value, f2p.error);
    close(result.categories.FAIL_TO_PASS?.variance.value, f2p.variance);
    close(result.categories.PASS_TO_PASS?.error.value, p2p.error);
    close(result.categories.PASS_TO_PASS?.bias2.value, p2p.bias2);
    expect(result.categories.FAIL_TO_PASS?.resolveRate).toBeNull();
  });

  it('has no PASS_TO_PASS figures when no task has such tests', () => {
    expect(computeStats(recordsOf([{ y: [[1], [0]], f2p: 1 }]), noBootstrap).categories.PASS_TO_PASS).toBeNull();
  });
});

describe('length buckets', () => {
  it('split tasks into equal-count buckets by mean actions, and recombine to the totals', () => {
    fc.assert(
      fc.property(
        fc.array(matrix(6, 4), { minLength: 1, maxLength: 23 }),
        fc.integer({ min: 1, max: 7 }),
        (tasks, k) => {
          const result = computeStats(recordsOf(tasks), { ...noBootstrap, buckets: k });
          const buckets = result.buckets.actions.buckets ?? [];
          if (tasks.length === 1) {
            expect(result.buckets.actions.buckets).toBeNull();
            return;
          }
          expect(buckets).toHaveLength(Math.min(k, tasks.length));
          const sizes = buckets.map((b) => b.figures.tasks);
          expect(sizes.reduce((a, b) => a + b, 0)).toBe(tasks.length);
          expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
          for (let b = 1; b < buckets.length; b++)
            expect(buckets[b]?.range[0]).toBeGreaterThanOrEqual(buckets[b - 1]?.range[1] ?? 0);
          const sum = (f: (x: (typeof buckets)[number]) => number) => buckets.reduce((s, x) => s + f(x), 0);
          close(
            sum((x) => x.figures.sums.variance),
            result.overall.sums.variance,
          );
          close(
            sum((x) => x.figures.sums.error),
            result.overall.sums.error,
          );
          close(
            sum((x) => x.figures.sums.bias2),
            result.overall.sums.bias2,
          );
          close(
            sum((x) => x.figures.tasks * (x.figures.error.value ?? 0)),
            tasks.length * (result.overall.error.value ?? 0),
          );
        },
      ),
    );
  });

  it('are absent, with a note, when lengths are unknown', () => {
    const records = recordsOf([
      { y: [[1], [0]], f2p: 1 },
      { y: [[0], [0]], f2p: 1 },
    ]).map((r) => ({ ...r, reasoning_tokens: 0 }));
    const result = computeStats(records, noBootstrap);
    expect(result.buckets.reasoning_tokens).toEqual({
      metric: 'reasoning_tokens',
      buckets: null,
      note: expect.stringMatching(/same mean reasoning tokens/),
    });
    expect(result.buckets.output_tokens.buckets).toHaveLength(2);
  });
});

describe('median split', () => {
  it('splits each task at its median action count and decomposes each half on its own', () => {
    const y = [
      [1, 1],
      [1, 0],
      [0, 0],
      [0, 1],
      [1, 1],
    ];
    const actions = [3, 5, 9, 12, 7];
    const result = computeStats(
      recordsOf([
        { y, f2p: 1, actions },
        { y: [[1], [1]], f2p: 1, actions: [4, 4] },
      ]),
      noBootstrap,
    );
    const split = result.medianSplit;
    expect(split?.tasks).toBe(1);
    expect(split?.excludedTasks).toBe(1);
    const below = naive([y[0], y[1]] as number[][]);
    const above = naive([y[2], y[3], y[4]] as number[][]);
    close(split?.below.error.value ?? NaN, below.error);
    close(split?.below.variance.value ?? NaN, below.variance);
    close(split?.atOrAbove.error.value ?? NaN, above.error);
    close(split?.atOrAbove.variance.value ?? NaN, above.variance);
    close(split?.atOrAbove.resolveRate?.value ?? NaN, 1 / 3);
  });
});

describe('ensembling', () => {
  it('with one member per ensemble equals the plain decomposition', () => {
    fc.assert(
      fc.property(fc.array(matrix(10, 6, 2), { minLength: 1, maxLength: 4 }), (tasks) => {
        const result = computeStats(recordsOf(tasks), noBootstrap);
        const one = result.ensembling[0];
        expect(one?.size).toBe(1);
        for (const view of [one?.mean, one?.majority]) {
          for (const key of ['error', 'bias2', 'variance', 'passRate'] as const)
            close(view?.[key].value ?? NaN, result.overall[key].value ?? NaN);
          expect(view?.incoherence.value === null).toBe(result.overall.incoherence.value === null);
        }
        close(one?.majority.resolveRate?.value ?? NaN, result.overall.resolveRate?.value ?? NaN);
      }),
    );
  });

  it('keeps bias² and divides variance by the ensemble size', () => {
    const records = syntheticRecords({ tasks: 200, unrolls: 16, tests: 20, seed: 3 });
    const result = computeStats(records, { ...noBootstrap, unbiased: true, limitRule: 'grade' });
    expect(result.ensembling.map((e) => e.size)).toEqual([1, 2, 4, 8]);
    const plain = computeStats(records, { ...noBootstrap, limitRule: 'grade' });
    for (const point of result.ensembling.slice(1, 4)) {
      close(
        plain.ensembling.find((e) => e.size === point.size)?.mean.bias2.value ?? NaN,
        plain.overall.bias2.value ?? NaN,
      );
      const ratio = (point.mean.variance.value ?? 0) / ((result.overall.variance.value ?? 0) / point.size);
      expect(ratio).toBeGreaterThan(0.9);
      expect(ratio).toBeLessThan(1.1);
    }
  });

  it('has only sizes that leave a task at least 2 ensembles, over the tasks with enough unrolls', () => {
    fc.assert(
      fc.property(fc.array(matrix(12, 3), { minLength: 1, maxLength: 5 }), (tasks) => {
        const result = computeStats(recordsOf(tasks), noBootstrap);
        const rows = tasks.map((t) => t.y.length);
        const sizes: number[] = [];
        for (let size = 1; 2 * size <= Math.max(...rows); size *= 2) sizes.push(size);
        expect(result.ensembling.map((e) => e.size)).toEqual(sizes);
        for (const point of result.ensembling) {
          const members = tasks.filter((t) => t.y.length >= 2 * point.size);
          expect(point.mean.tasks).toBe(members.length);
          expect(point.majority.tasks).toBe(members.length);
          expect(point.ensemblesPerTask).toBe(Math.min(...members.map((t) => Math.floor(t.y.length / point.size))));
          expect(point.ensemblesPerTask).toBeGreaterThanOrEqual(2);
          // The tasks left out change nothing: the point is that of the members alone.
          const alone = computeStats(recordsOf(members), noBootstrap).ensembling.find((e) => e.size === point.size);
          close(point.mean.variance.value, alone?.mean.variance.value ?? NaN);
          close(point.majority.error.value, alone?.majority.error.value ?? NaN);
        }
      }),
    );
  });

  it('stops before a size with one ensemble per task, whose variance would be 0 by construction', () => {
    const result = computeStats(
      recordsOf([
        { y: [[1], [1], [0], [1]], f2p: 1 },
        { y: [[0], [0], [1], [0]], f2p: 1 },
      ]),
      noBootstrap,
    );
    expect(result.ensembling.map((e) => [e.size, e.ensemblesPerTask])).toEqual([
      [1, 4],
      [2, 2],
    ]);
    expect(result.ensembling.every((e) => (e.mean.variance.value ?? 0) > 0)).toBe(true);
    expect(computeStats(recordsOf([{ y: [[1]], f2p: 1 }]), noBootstrap).ensembling).toEqual([]);
  });

  it('says in the notes that a majority tie fails, and which sizes leave tasks out', () => {
    const result = computeStats(
      recordsOf([
        { y: [[1], [0], [0], [1]], f2p: 1 },
        { y: [[1], [0]], f2p: 1 },
      ]),
      noBootstrap,
    );
    expect(result.notes).toContain(majorityTieRule);
    expect(majorityTieRule).toMatch(/a tie counts as a fail, so at size 2 majority is an AND/);
    expect(result.notes.join(' ')).toMatch(
      /Ensemble sizes go up to 2, .* 1 size\(s\) use only the tasks with at least 2 × size unrolls/,
    );
  });

  it('majority vote passes a test only with a strict majority', () => {
    const result = computeStats(recordsOf([{ y: [[1], [0], [1], [1]], f2p: 1 }]), noBootstrap);
    const two = result.ensembling.find((e) => e.size === 2);
    // ensembles {1,0} (tie: fails) and {1,1} (passes)
    close(two?.majority.error.value ?? NaN, 0.5);
    close(two?.majority.resolveRate?.value ?? NaN, 0.5);
    close(two?.mean.error.value ?? NaN, (0.25 + 0) / 2);
  });
});

describe('grading rules', () => {
  const f2pOk = outcomes([1], [1]);
  const stopped = (rule: 'no_change' | 'grade') =>
    computeStats(
      [
        unrollRecord({ instance_id: 't', unroll: 0, tests: f2pOk }),
        unrollRecord({ instance_id: 't', unroll: 1, tests: outcomes([1], [0]), stop_reason: 'action_limit' }),
      ],
      { ...noBootstrap, limitRule: rule },
    );

  it('grades a limit-stopped unroll as no change by default, or by its tests, and reports both views', () => {
    const noChange = stopped('no_change');
    // no change: f fails, p passes → Y = [[1,1],[0,1]]
    close(
      noChange.overall.error.value,
      naive([
        [1, 1],
        [0, 1],
      ]).error,
    );
    const graded = stopped('grade');
    close(
      graded.overall.error.value,
      naive([
        [1, 1],
        [1, 0],
      ]).error,
    );
    expect(noChange.limitRule.grade).toEqual(graded.overall);
    expect(graded.limitRule.no_change).toEqual(noChange.overall);
    expect(noChange.limitRule.limitStopped).toBe(1);
  });

  it('treats no patch as no change, a timed-out test run as all failures, and leaves infrastructure failures out', () => {
    const result = computeStats(
      [
        unrollRecord({ instance_id: 't', unroll: 0, tests: f2pOk }),
        unrollRecord({ instance_id: 't', unroll: 1, grading_status: 'no_patch' }),
        unrollRecord({ instance_id: 't', unroll: 2, grading_status: 'test_timeout' }),
        unrollRecord({ instance_id: 't', unroll: 3, infra_error: 'sandbox died', tests: f2pOk }),
        unrollRecord({ instance_id: 't', unroll: 4, grading_status: 'error' }),
      ],
      noBootstrap,
    );
    close(
      result.overall.error.value,
      naive([
        [1, 1],
        [0, 1],
        [0, 0],
      ]).error,
    );
    expect(result.counts).toMatchObject({
      records: 5,
      used: 3,
      infraErrors: 2,
      gradingStatus: { graded: 1, no_patch: 1, test_timeout: 1 },
    });
    expect(result.notes.join()).toMatch(/2 unroll\(s\) failed for infrastructure reasons/);
  });

  it('matches tests by name when records list them in another order or name different tests', () => {
    const [f0, p0, p1] = outcomes([1], [1, 0]) as [TestOutcome, TestOutcome, TestOutcome];
    const fail = (t: TestOutcome): TestOutcome => ({ ...t, status: 'FAILED', pass: false });
    const extra: TestOutcome = { id: 'p9', category: 'PASS_TO_PASS', status: 'PASSED', pass: true };
    const sameIdOtherCategory: TestOutcome = { id: 'f0', category: 'PASS_TO_PASS', status: 'PASSED', pass: true };
    const result = computeStats(
      [
        unrollRecord({ instance_id: 't', unroll: 0, tests: [f0, p0, p1] }),
        unrollRecord({ instance_id: 't', unroll: 1, tests: [p1, fail(f0), p0] }),
        unrollRecord({ instance_id: 't', unroll: 2, tests: [p0, extra, sameIdOtherCategory] }),
      ],
      noBootstrap,
    );
    // columns f0, p0, p1, p9, f0 (as PASS_TO_PASS); a test a graded record does not name fails
    const y = [
      [1, 1, 0, 0, 0],
      [0, 1, 0, 0, 0],
      [0, 1, 0, 1, 1],
    ];
    expect(result.tasks[0]).toMatchObject({ tests: 5, failToPass: 1 });
    close(result.tasks[0]?.error, naive(y).error);
    close(result.tasks[0]?.variance, naive(y).variance);
  });

  it('takes test lists from the dataset for tasks whose unrolls carry no per-test results', () => {
    const records = [
      unrollRecord({ instance_id: 'bare', unroll: 0, grading_status: 'no_patch' }),
      unrollRecord({ instance_id: 'ok', unroll: 0, tests: f2pOk }),
    ];
    const without = computeStats(records, noBootstrap);
    expect(without.counts.skippedTasks).toEqual([
      { instance_id: 'bare', reason: expect.stringMatching(/no unroll has per-test results/) },
    ]);
    const lists = new Map([['bare', { FAIL_TO_PASS: ['a', 'b'], PASS_TO_PASS: ['c'] }]]);
    const withLists = computeStats(records, { ...noBootstrap, testLists: lists });
    expect(withLists.tasks.find((t) => t.instance_id === 'bare')).toMatchObject({
      tests: 3,
      failToPass: 2,
      error: 2 / 3,
    });
  });

  it('refuses to analyse nothing, and bad options', () => {
    expect(() => computeStats([], noBootstrap)).toThrow(InputError);
    expect(() => computeStats([unrollRecord({ instance_id: 't', unroll: 0, infra_error: 'x' })], noBootstrap)).toThrow(
      /none of the 1 records/,
    );
    const records = recordsOf([{ y: [[1]], f2p: 1 }]);
    expect(() => computeStats(records, { buckets: 0 })).toThrow(UsageError);
    expect(() => computeStats(records, { bootstrap: { level: 1 } })).toThrow(UsageError);
  });
});

describe('tests no log names', () => {
  const missing = (id: string): TestOutcome => ({ id, category: 'PASS_TO_PASS', status: 'MISSING', pass: false });
  const note = (records: UnrollRecord[]) =>
    computeStats(records, noBootstrap).notes.find((n) => n.includes('status MISSING'));

  it('says when a listed test is MISSING from every graded log of its task, naming one', () => {
    const records = [0, 1, 2].map((unroll) =>
      unrollRecord({ instance_id: 't', unroll, tests: [...outcomes([unroll % 2]), missing('t.py::x[a b]')] }),
    );
    // An ungraded unroll names no test at all and does not hide the finding.
    records.push(unrollRecord({ instance_id: 't', unroll: 3, tests: [], grading_status: 'patch_failed' }));
    expect(note(records)).toMatch(
      /^1 listed test\(s\) of 1 task\(s\) appear in none of their graded test logs .*\(e\.g\. t: t\.py::x\[a b\]\)/,
    );
  });

  it('stays silent when some graded log names the test', () => {
    const records = [0, 1].map((unroll) =>
      unrollRecord({ instance_id: 't', unroll, tests: [...outcomes([1]), missing('p0')] }),
    );
    records.push(unrollRecord({ instance_id: 't', unroll: 2, tests: outcomes([1], [0]) }));
    expect(note(records)).toBeUndefined();
  });
});

describe('bootstrap', () => {
  it('says that one task gives point intervals unless unrolls are resampled too', () => {
    const records = [0, 1, 2].map((unroll) =>
      unrollRecord({ instance_id: 't', unroll, tests: outcomes([unroll % 2], [1]) }),
    );
    const single = computeStats(records, { bootstrap: { resamples: 50, seed: 1 } });
    expect(single.overall.error.lo).toBe(single.overall.error.hi);
    expect(single.notes.some((n) => n.startsWith('With one task'))).toBe(true);
    const two = computeStats(records, { bootstrap: { resamples: 50, seed: 1, overUnrolls: true } });
    expect(two.notes.some((n) => n.startsWith('With one task'))).toBe(false);
  });

  const records = syntheticRecords({ tasks: 60, unrolls: 8, tests: 10, seed: 11 });

  it('is deterministic per seed and puts every interval around its figure', () => {
    const a = computeStats(records, { bootstrap: { resamples: 300, seed: 5 } });
    expect(computeStats(records, { bootstrap: { resamples: 300, seed: 5 } })).toEqual(a);
    const other = computeStats(records, { bootstrap: { resamples: 300, seed: 6 } });
    expect(other.overall.incoherence.lo).not.toBe(a.overall.incoherence.lo);
    expect(other.overall.incoherence.value).toBe(a.overall.incoherence.value);
    for (const figures of [
      a.overall,
      a.categories.FAIL_TO_PASS,
      a.ensembling[1]?.majority,
      a.buckets.actions.buckets?.[0]?.figures,
    ]) {
      for (const key of ['error', 'variance', 'incoherence', 'passRate'] as const) {
        const e = figures?.[key];
        expect(e?.lo).not.toBeNull();
        expect(e?.lo ?? NaN).toBeLessThanOrEqual(e?.value ?? NaN);
        expect(e?.hi ?? NaN).toBeGreaterThanOrEqual(e?.value ?? NaN);
      }
    }
  });

  it('gives plain JSON data: a JSON round trip changes nothing', () => {
    const result = computeStats(records, { bootstrap: { resamples: 50 } });
    expect(JSON.parse(JSON.stringify(result))).toStrictEqual(result);
  });

  it('narrows with a lower level and leaves intervals out when not asked', () => {
    const wide = computeStats(records, { bootstrap: { resamples: 400, level: 0.95 } }).overall.error;
    const narrow = computeStats(records, { bootstrap: { resamples: 400, level: 0.5 } }).overall.error;
    expect((narrow.hi ?? 0) - (narrow.lo ?? 0)).toBeLessThan((wide.hi ?? 0) - (wide.lo ?? 0));
    expect(computeStats(records, noBootstrap).overall.error).toMatchObject({ lo: null, hi: null });
  });

  it('over unrolls too is deterministic and widens the intervals of within-task figures', () => {
    const tasksOnly = computeStats(records, { bootstrap: { resamples: 200, seed: 1 } });
    const both = computeStats(records, { bootstrap: { resamples: 200, seed: 1, overUnrolls: true } });
    expect(computeStats(records, { bootstrap: { resamples: 200, seed: 1, overUnrolls: true } })).toEqual(both);
    expect(both.overall.variance.value).toBe(tasksOnly.overall.variance.value);
    const width = (e: { lo: number | null; hi: number | null }) => (e.hi ?? 0) - (e.lo ?? 0);
    expect(width(both.overall.variance)).toBeGreaterThan(width(tasksOnly.overall.variance));
  });
});

describe('imported data without lengths', () => {
  it('says once that there is no median split', () => {
    const records = recordsOf([
      { y: [[1], [0], [1]], f2p: 1 },
      { y: [[0], [0], [1]], f2p: 1 },
    ]).map((r) => ({
      ...r,
      actions: 0,
      output_tokens: 0,
      reasoning_tokens: 0,
      imported: { source: 'x', resolved_only: true },
    }));
    const result = computeStats(records, noBootstrap);
    expect(result.medianSplit).toBeNull();
    expect(result.notes.filter((n) => /median/.test(n))).toEqual([
      'Imported runs record no action or token counts, so there are no length buckets and no median split.',
    ]);
  });
});

describe('resolved-only data', () => {
  it('is flagged, and its incoherence is the failure-weighted resolve rate', () => {
    const records = recordsOf([
      { y: [[1], [1], [1], [0], [0]], f2p: 1 },
      { y: [[0], [0], [1], [0], [0]], f2p: 1 },
    ]).map((r) => ({
      ...r,
      tests: r.tests.map((t) => ({ ...t, id: 'resolved' })),
      imported: { source: 'x', resolved_only: true },
    }));
    const result = computeStats(records, noBootstrap);
    expect(result.resolvedOnly).toBe(true);
    expect(result.notes.join()).toMatch(/resolved_only/);
    close(result.overall.incoherence.value, failureWeighted([0.6, 0.2]) ?? NaN);
  });
});
