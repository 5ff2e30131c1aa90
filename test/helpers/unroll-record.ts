import type { TestOutcome, UnrollRecord } from '../../src/store/unroll-record.ts';

/** A valid unroll record for tests: graded, submitted, with the given overrides. */
export function unrollRecord(
  overrides: Partial<UnrollRecord> & Pick<UnrollRecord, 'instance_id' | 'unroll'>,
): UnrollRecord {
  return {
    run_id: 'test-run',
    seed: overrides.unroll,
    model: 'test-model',
    stop_reason: 'submitted',
    grading_status: 'graded',
    tests: [],
    resolution: 'NO',
    infra_error: null,
    actions: 10,
    turns: 11,
    messages: 22,
    input_tokens: 1000,
    output_tokens: 500,
    reasoning_tokens: 0,
    cost_usd: 0.01,
    wall_ms: 1000,
    attempts: 1,
    patch_bytes: 0,
    started_at: '2026-01-01T00:00:00.000Z',
    finished_at: '2026-01-01T00:01:00.000Z',
    ...overrides,
  };
}

/** Outcomes of FAIL_TO_PASS tests f0… then PASS_TO_PASS tests p0…, from 0/1 flags. */
export function outcomes(f2p: readonly number[], p2p: readonly number[] = []): TestOutcome[] {
  return [
    ...f2p.map((v, j): TestOutcome => ({
      id: `f${j}`,
      category: 'FAIL_TO_PASS',
      status: v ? 'PASSED' : 'FAILED',
      pass: v === 1,
    })),
    ...p2p.map((v, j): TestOutcome => ({
      id: `p${j}`,
      category: 'PASS_TO_PASS',
      status: v ? 'PASSED' : 'FAILED',
      pass: v === 1,
    })),
  ];
}
