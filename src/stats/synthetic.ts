import { Rng } from '../util/rng.ts';
import type { StopReason, TestOutcome, UnrollRecord } from '../store/unroll-record.ts';

export interface SyntheticRunOptions {
  readonly tasks: number;
  readonly unrolls: number;
  /** Tests per task, the first tenth (at least one) FAIL_TO_PASS. */
  readonly tests: number;
  readonly seed: number;
  readonly runId?: string;
}

/**
 * A seeded synthetic run with the shape of a real one, for benchmarks and tests: each task has a difficulty;
 * an unroll either solves it (every test passes) or leaves FAIL_TO_PASS tests failing and sometimes breaks a
 * PASS_TO_PASS test; harder tasks take more actions; unrolls past 60 actions stop at the action limit.
 */
export function syntheticRecords(options: SyntheticRunOptions): UnrollRecord[] {
  const rng = Rng.fromSeed(options.seed);
  const runId = options.runId ?? 'synthetic';
  const f2p = Math.max(1, Math.floor(options.tests / 10));
  const records: UnrollRecord[] = [];
  for (let t = 0; t < options.tasks; t++) {
    const instanceId = `synthetic__task-${t}`;
    const difficulty = rng.next();
    const ids = Array.from({ length: options.tests }, (_, j) => `tests/test_task_${t}.py::test_${j}`);
    const fragility = Array.from({ length: options.tests }, () => rng.next() * 0.1 * difficulty);
    for (let u = 0; u < options.unrolls; u++) {
      const actions = Math.max(1, Math.round(Math.exp(Math.log(6 + 30 * difficulty) + 0.5 * normal(rng))));
      const solved = rng.next() > difficulty;
      const tests: TestOutcome[] = ids.map((id, j) => {
        const isF2p = j < f2p;
        const pass = solved ? true : isF2p ? rng.next() < 0.2 : rng.next() > (fragility[j] ?? 0);
        return { id, category: isF2p ? 'FAIL_TO_PASS' : 'PASS_TO_PASS', status: pass ? 'PASSED' : 'FAILED', pass };
      });
      const stop: StopReason = actions > 60 ? 'action_limit' : 'submitted';
      const outputTokens = actions * (150 + rng.int(200));
      records.push({
        run_id: runId,
        instance_id: instanceId,
        unroll: u,
        seed: options.seed * 1000 + u,
        model: 'synthetic',
        stop_reason: stop,
        grading_status: 'graded',
        tests,
        resolution: resolutionOf(tests),
        infra_error: null,
        actions: Math.min(actions, 60),
        turns: Math.min(actions, 60) + 1,
        messages: 2 * Math.min(actions, 60) + 2,
        input_tokens: actions * 2000,
        output_tokens: outputTokens,
        reasoning_tokens: Math.round(outputTokens * 0.4),
        cost_usd: 0,
        wall_ms: actions * 1000,
        attempts: 1,
        patch_bytes: solved ? 500 : 300,
        started_at: '2026-01-01T00:00:00.000Z',
        finished_at: '2026-01-01T00:10:00.000Z',
      });
    }
  }
  return records;
}

/** SWE-bench's rule: FULL when all pass; PARTIAL when some but not all FAIL_TO_PASS pass and every PASS_TO_PASS does. */
function resolutionOf(tests: TestOutcome[]): UnrollRecord['resolution'] {
  const f2p = tests.filter((x) => x.category === 'FAIL_TO_PASS');
  const p2pAll = tests.every((x) => x.category === 'FAIL_TO_PASS' || x.pass);
  const f2pPassed = f2p.filter((x) => x.pass).length;
  if (p2pAll && f2pPassed === f2p.length) return 'FULL';
  return p2pAll && f2pPassed > 0 ? 'PARTIAL' : 'NO';
}

function normal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
