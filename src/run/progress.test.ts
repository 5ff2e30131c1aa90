import { describe, expect, it } from 'vitest';
import { formatDuration, newProgress, progressLine, recordDone } from './progress.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';

const record = (over: Partial<UnrollRecord>): UnrollRecord => ({
  run_id: 'r',
  instance_id: 'i',
  unroll: 0,
  seed: 1,
  model: 'sim',
  stop_reason: 'submitted',
  grading_status: 'graded',
  tests: [],
  resolution: 'NO',
  infra_error: null,
  actions: 10,
  turns: 10,
  messages: 22,
  input_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
  cost_usd: 0.5,
  wall_ms: 1,
  attempts: 1,
  patch_bytes: 0,
  started_at: '',
  finished_at: '',
  ...over,
});

describe('progress', () => {
  it('counts resolved among graded unrolls, infra errors apart, and estimates the time left from this session', () => {
    const state = newProgress(10, [record({ resolution: 'FULL', actions: 100 }), record({ actions: 100 })]);
    state.startedAt = 0;
    recordDone(state, record({ resolution: 'FULL' }));
    recordDone(state, record({}));
    recordDone(state, record({ infra_error: 'model_error: down', resolution: 'NO' }));
    const line = progressLine(state, 30_000);
    expect(line).toContain('5/10 unrolls (50%)');
    expect(line).toContain('2/4 resolved (50%)');
    expect(line).toContain('ETA 50s');
    // The rate is this session's: the earlier unrolls' 200 actions are not part of it.
    expect(line).toContain('1.0 actions/s');
    expect(line).toContain('$2.50');
    expect(line).toContain('1 infra errors');
  });

  it('counts the whole run after a resume, not only the unrolls run since', () => {
    // A 20-unroll run resumed with 10 done, 5 of them resolved; the resumed session resolves 5 of its 10.
    const before = Array.from({ length: 10 }, (_, i) => record({ unroll: i, resolution: i < 5 ? 'FULL' : 'NO' }));
    const state = newProgress(20, before);
    state.startedAt = 0;
    expect(progressLine(state, 1000)).toMatch(/^10\/20 unrolls \(50%\) · 5\/10 resolved \(50%\)/);
    for (let i = 10; i < 20; i++) recordDone(state, record({ unroll: i, resolution: i < 15 ? 'FULL' : 'NO' }));
    const line = progressLine(state, 10_000);
    expect(line).toMatch(/^20\/20 unrolls \(100%\) · 10\/20 resolved \(50%\)/);
    expect(line).toContain('$10.00');
    expect(line).toContain('ETA 0s');
  });

  it('formats durations', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(3 * 3600 + 7 * 60)).toBe('3h07m');
  });
});
