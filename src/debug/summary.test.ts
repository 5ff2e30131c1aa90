import { describe, expect, it } from 'vitest';
import { unrollRecordSchema, type UnrollRecord } from '../store/unroll-record.ts';
import { summariseTask } from './summary.ts';

const record = (unroll: number, passes: boolean[], over: Partial<UnrollRecord> = {}): UnrollRecord =>
  unrollRecordSchema.parse({
    run_id: 'r',
    instance_id: 't',
    unroll,
    seed: unroll,
    model: 'sim',
    stop_reason: 'submitted',
    grading_status: 'graded',
    tests: passes.map((pass, j) => ({
      id: `test_${j}`,
      category: j === 0 ? 'FAIL_TO_PASS' : 'PASS_TO_PASS',
      status: pass ? 'PASSED' : 'FAILED',
      pass,
    })),
    resolution: passes.every(Boolean) ? 'FULL' : 'NO',
    actions: 3 + unroll,
    turns: 3,
    messages: 8,
    input_tokens: 1,
    output_tokens: 1,
    reasoning_tokens: 0,
    cost_usd: 0.01,
    wall_ms: 1,
    started_at: 'x',
    finished_at: 'x',
    ...over,
  });

describe('summariseTask', () => {
  it('gives each unroll its outcome and patch group, and the test-by-unroll matrix', () => {
    const records = [
      record(2, [false, true], { stop_reason: 'action_limit' }),
      record(0, [true, true]),
      record(1, [false, true]),
      record(3, [], { infra_error: 'model_error: down', grading_status: 'error', resolution: 'NO' }),
    ];
    const patches = new Map([
      [0, 'diff --git a/x b/x\n+a\n'],
      [1, 'diff --git a/x b/x\n+b\n'],
      [2, 'diff --git a/x b/x\nindex 1234567..7654321 100644\n+b\n'],
    ]);
    const s = summariseTask('t', records, patches);
    expect(s.unrolls).toEqual([0, 1, 2, 3]);
    expect(s.rows.map((r) => [r.unroll, r.outcome, r.patch, `${r.passed}/${r.tests}`])).toEqual([
      [0, 'RESOLVED_FULL', 'B', '2/2'],
      [1, 'RESOLVED_NO', 'A', '1/2'],
      [2, 'RESOLVED_NO', 'A', '1/2'],
      [3, 'INFRA_FAILURE', '-', '0/0'],
    ]);
    expect(s.matrix).toEqual([
      { id: 'test_0', category: 'FAIL_TO_PASS', passes: [true, false, false, null], passRate: 1 / 3 },
      { id: 'test_1', category: 'PASS_TO_PASS', passes: [true, true, true, null], passRate: 1 },
    ]);
    expect(s.resolved).toBe(1);
    expect(s.limitStopped).toBe(1);
  });
});
