import { describe, expect, it } from 'vitest';
import { makeSimFixture } from '../../test/helpers/sim-fixture.ts';
import { expectSpec, expectedIncoherence } from './expected.ts';
import { planUnroll, plannedActions } from './policy.ts';
import { loadSimSpec, type LoadedSimSpec } from './spec-load.ts';

async function specFrom(yaml: string): Promise<LoadedSimSpec> {
  const { instance } = await makeSimFixture(yaml);
  return loadSimSpec(instance);
}

const f2p = 'tests/test_ops.py::test_add_negative';
const p2pA = 'tests/test_ops.py::test_add';

describe('expectSpec', () => {
  it('matches a hand computation with drift and an action limit', async () => {
    const spec = await specFrom(`instance_id: demo__calc-1
explore: {distribution: uniform, min: 0, max: 4}
candidates:
  gold: {patch: gold, weight: 0.5}
  wrong: {patch: patches/wrong.diff, weight: 0.5, fails: [${f2p}]}
drift: 0.1
`);
    // Median 2: N = 3 moves 10% of gold's weight, N = 4 moves 20%. P(gold) = 0.2 (0.5 * 3 + 0.45 + 0.4).
    const free = expectSpec(spec);
    expect(free.candidates.map((c) => c.probability)).toEqual([expect.closeTo(0.47, 14), expect.closeTo(0.53, 14)]);
    expect(free.tests.map((t) => t.pass)).toEqual([
      expect.closeTo(0.47, 14),
      expect.closeTo(1, 14),
      expect.closeTo(1, 14),
    ]);
    expect(free.expectedActions).toBeCloseTo(2 + 2, 14);
    // Limit 4: N + write + submit > 4 for N >= 3, graded as no change (FAIL_TO_PASS fails, PASS_TO_PASS passes).
    const limited = expectSpec(spec, { actionLimit: 4 });
    expect(limited.limitHitProbability).toBeCloseTo(0.4, 14);
    expect(limited.tests[0]?.pass).toBeCloseTo(0.3, 14);
    expect(limited.resolveProbability).toBeCloseTo(0.3, 14);
    expect(limited.expectedExecutedActions).toBeCloseTo(0.2 * (2 + 3 + 4 + 4 + 4), 14);
    const p = 0.3;
    expect(limited.error).toBeCloseTo((1 - p) / 3, 14);
    expect(limited.bias2).toBeCloseTo((1 - p) ** 2 / 3, 14);
    expect(limited.variance).toBeCloseTo((p * (1 - p)) / 3, 14);
    expect(expectedIncoherence([limited])).toBeCloseTo(p, 14);
  });

  it('grades a null patch as no change whatever its fails say, and decomposes E = B + V', async () => {
    const spec = await specFrom(`instance_id: demo__calc-1
explore: {distribution: fixed, value: 2}
candidates:
  gold: {patch: gold, weight: 1}
  noop: {patch: null, weight: 3, fails: [${p2pA}]}
`);
    const e = expectSpec(spec);
    expect(e.tests.map((t) => t.pass)).toEqual([
      expect.closeTo(0.25, 14),
      expect.closeTo(1, 14),
      expect.closeTo(1, 14),
    ]);
    expect(e.candidates.map((c) => c.correct)).toEqual([true, false]);
    expect(e.expectedActions).toBeCloseTo(0.25 * 4 + 0.75 * 3, 14);
    expect(e.bias2 + e.variance).toBeCloseTo(e.error, 15);
  });

  it('agrees with Monte-Carlo sampling of the policy within 4.5 standard errors', async () => {
    const spec = await specFrom(`instance_id: demo__calc-1
explore: {distribution: lognormal, median: 5, sigma: 0.7, min: 1, max: 30}
candidates:
  gold: {patch: gold, weight: 0.55}
  wrong: {patch: patches/wrong.diff, weight: 0.3, fails: [${f2p}]}
  noop: {patch: null, weight: 0.15}
drift: 0.04
`);
    const limit = 8;
    const exact = expectSpec(spec, { actionLimit: limit });
    const draws = 40_000;
    const nCount = new Map<number, number>();
    const candidateCount = spec.candidates.map(() => 0);
    const passCount = exact.tests.map(() => 0);
    let actions = 0;
    for (let seed = 0; seed < draws; seed++) {
      const plan = planUnroll(spec, seed);
      nCount.set(plan.explore, (nCount.get(plan.explore) ?? 0) + 1);
      candidateCount[spec.candidates.indexOf(plan.candidate)]! += 1;
      actions += plannedActions(plan);
      const noChange = plannedActions(plan) > limit || plan.candidate.patch === null;
      exact.tests.forEach((t, j) => {
        const pass = noChange ? t.category === 'PASS_TO_PASS' : !plan.candidate.fails.includes(t.id);
        if (pass) passCount[j]! += 1;
      });
    }
    const close = (observed: number, p: number): void => {
      const se = Math.sqrt((p * (1 - p)) / draws);
      expect(Math.abs(observed / draws - p)).toBeLessThanOrEqual(4.5 * se + 1e-9);
    };
    for (const { n, p } of exact.explore) close(nCount.get(n) ?? 0, p);
    exact.candidates.forEach((c, i) => close(candidateCount[i]!, c.probability));
    exact.tests.forEach((t, j) => close(passCount[j]!, t.pass));
    expect(Math.abs(actions / draws - exact.expectedActions)).toBeLessThan(0.05);
    // The drift matters here: without it gold would be drawn 55% of the time.
    expect(exact.candidates[0]!.probability).toBeLessThan(0.53);
  });
});
