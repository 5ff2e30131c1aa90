import { candidateProbabilities, isCorrect, type Candidate } from './candidates.ts';
import type { Mass } from './explore.ts';
import type { LoadedSimSpec } from './spec-load.ts';

export interface CandidateExpectation {
  readonly name: string;
  /** P(the plan draws this candidate), before any action limit. */
  readonly probability: number;
  readonly correct: boolean;
}

export interface TestExpectation {
  readonly id: string;
  readonly category: 'FAIL_TO_PASS' | 'PASS_TO_PASS';
  /** Exact probability that the test passes after one unroll. */
  readonly pass: number;
}

/** The exact ground truth of a spec (DESIGN.md §4), with the action limit's "no change" rule applied. */
export interface SpecExpectation {
  readonly instanceId: string;
  readonly actionLimit: number | undefined;
  /** Distribution of the exploration length N. */
  readonly explore: readonly Mass[];
  /** P(candidate | N), candidates in spec order. */
  readonly candidateGivenN: readonly { readonly n: number; readonly probabilities: readonly number[] }[];
  readonly candidates: readonly CandidateExpectation[];
  /** E[planned actions]: N exploration calls + 1 write (non-null patch) + 1 submit. */
  readonly expectedActions: number;
  /** E[min(planned actions, limit)]: what an agent stopped at the limit executes. */
  readonly expectedExecutedActions: number;
  /** P(planned actions > limit): such unrolls count as no change. */
  readonly limitHitProbability: number;
  /** P(every test passes). */
  readonly resolveProbability: number;
  readonly tests: readonly TestExpectation[];
  /** mean_j (1 − p_j) */
  readonly error: number;
  /** mean_j (1 − p_j)² */
  readonly bias2: number;
  /** mean_j p_j (1 − p_j) */
  readonly variance: number;
}

/**
 * Marginalises over N and the candidate exactly: P(N = n) · P(c | n) per pair, each pair either graded with the
 * candidate's outcomes or, when its planned actions exceed the limit, as no change (FAIL_TO_PASS fail,
 * PASS_TO_PASS pass). A null patch is also graded as no change.
 */
export function expectSpec(spec: LoadedSimSpec, options: { actionLimit?: number } = {}): SpecExpectation {
  const limit = options.actionLimit;
  const tests = [
    ...spec.failToPass.map((id) => ({ id, category: 'FAIL_TO_PASS' as const })),
    ...spec.passToPass.map((id) => ({ id, category: 'PASS_TO_PASS' as const })),
  ];
  const passes = (outcome: Candidate | null, test: (typeof tests)[number]): boolean =>
    outcome === null || outcome.patch === null ? test.category === 'PASS_TO_PASS' : !outcome.fails.includes(test.id);
  const candidatePass = spec.candidates.map((c) => tests.map((t) => passes(c, t)));
  const noChangePass = tests.map((t) => passes(null, t));
  const resolves = (pass: readonly boolean[]): boolean => pass.every(Boolean);

  const candidateProb = spec.candidates.map(() => 0);
  const testPass = tests.map(() => 0);
  const candidateGivenN: { n: number; probabilities: number[] }[] = [];
  let expectedActions = 0;
  let expectedExecuted = 0;
  let limitHit = 0;
  let resolve = 0;
  for (const { n, p: pn } of spec.pmf) {
    const probabilities = candidateProbabilities(spec.candidates, spec.drift, spec.median, n, spec.shift);
    candidateGivenN.push({ n, probabilities });
    spec.candidates.forEach((c, ci) => {
      const p = pn * (probabilities[ci] as number);
      if (p === 0) return;
      candidateProb[ci] = (candidateProb[ci] as number) + p;
      const planned = n + (c.patch === null ? 0 : 1) + 1;
      expectedActions += p * planned;
      const hit = limit !== undefined && planned > limit;
      expectedExecuted += p * (hit ? (limit as number) : planned);
      if (hit) limitHit += p;
      const outcome = hit ? noChangePass : (candidatePass[ci] as boolean[]);
      outcome.forEach((ok, j) => {
        if (ok) testPass[j] = (testPass[j] as number) + p;
      });
      if (resolves(outcome)) resolve += p;
    });
  }
  const clamp = (x: number): number => Math.min(1, Math.max(0, x));
  const pass = testPass.map(clamp);
  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    instanceId: spec.instanceId,
    actionLimit: limit,
    explore: spec.pmf,
    candidateGivenN,
    candidates: spec.candidates.map((c, i) => ({
      name: c.name,
      probability: candidateProb[i] as number,
      correct: isCorrect(c),
    })),
    expectedActions,
    expectedExecutedActions: expectedExecuted,
    limitHitProbability: limitHit,
    resolveProbability: clamp(resolve),
    tests: tests.map((t, j) => ({ ...t, pass: pass[j] as number })),
    error: mean(pass.map((p) => 1 - p)),
    bias2: mean(pass.map((p) => (1 - p) ** 2)),
    variance: mean(pass.map((p) => p * (1 - p))),
  };
}

/** Incoherence of a set of tasks as a ratio of sums (DESIGN.md §7); undefined when no error is expected. */
export function expectedIncoherence(expectations: readonly SpecExpectation[]): number | undefined {
  const error = expectations.reduce((sum, e) => sum + e.error, 0);
  const variance = expectations.reduce((sum, e) => sum + e.variance, 0);
  return error > 0 ? variance / error : undefined;
}
