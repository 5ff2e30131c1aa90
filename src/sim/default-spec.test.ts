import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../errors.ts';
import { instanceSchema, type Instance } from '../instances/schema.ts';
import { defaultSimMix, defaultSimSpec, parseSimDefault, simSpecFor } from './default-spec.ts';
import { expectSpec } from './expected.ts';
import { planUnroll, plannedActions } from './policy.ts';
import { SimRegistry } from './registry.ts';

const gold = 'diff --git a/pkg/mod.py b/pkg/mod.py\n--- a/pkg/mod.py\n+++ b/pkg/mod.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n';

function instance(extra: Record<string, unknown> = {}): Instance {
  return {
    ...instanceSchema.parse({
      instance_id: 'demo__demo-1',
      repo: 'demo/demo',
      base_commit: 'abc1234',
      patch: gold,
      test_patch: '',
      problem_statement: 'x should be 2',
      FAIL_TO_PASS: '["t::a", "t::b"]',
      PASS_TO_PASS: '["t::c", "t::d", "t::e"]',
      ...extra,
    }),
    baseDir: '/tmp',
  };
}

describe('--sim-default', () => {
  it('reads a mix; a weight left out is 0', () => {
    expect(parseSimDefault('gold=0.6,empty=0.4')).toEqual({ gold: 0.6, empty: 0.4 });
    expect(parseSimDefault(' gold = 3 , empty=.5')).toEqual({ gold: 3, empty: 0.5 });
    expect(parseSimDefault('gold=1')).toEqual({ gold: 1, empty: 0 });
    expect(parseSimDefault(['gold=1', 'empty=1'])).toEqual({ gold: 0, empty: 1 });
  });

  it.each(['gold=0,empty=0', 'gold=-1', 'gold=x', 'wrong=1', 'gold=0.6;empty=0.4', '', 'gold=1e400', 'gold=0.5,'])(
    'refuses %j in one sentence',
    (text) => {
      expect(() => parseSimDefault(text)).toThrow(UsageError);
      expect(() => parseSimDefault(text)).toThrow(
        /^--sim-default .* is not a mix such as gold=0\.6,empty=0\.4 \(weights of 0 or more, not both 0\)\.$/,
      );
    },
  );
});

describe('the default spec', () => {
  it('writes the gold patch or nothing, in the mix, with the exact expected figures', () => {
    const spec = defaultSimSpec(instance(), { gold: 0.6, empty: 0.4 });
    expect(spec.candidates.map((c) => [c.name, c.patch, c.weight])).toEqual([
      ['gold', gold, 0.6],
      ['empty', null, 0.4],
    ]);
    const e = expectSpec(spec, { actionLimit: 250 });
    expect(e.limitHitProbability).toBe(0);
    expect(e.tests.map((t) => t.pass)).toEqual([0.6, 0.6, 1, 1, 1].map((p) => expect.closeTo(p, 12)));
    expect(e.resolveProbability).toBeCloseTo(0.6, 12);
    // Two of five tests fail with probability 0.4: error 2/5·0.4, variance 2/5·0.24.
    expect(e.error).toBeCloseTo(0.16, 12);
    expect(e.variance).toBeCloseTo(0.096, 12);
    expect(e.bias2).toBeCloseTo(0.064, 12);
    // Its commands look at the files the gold patch touches.
    expect(spec.commands.some((c) => c.includes('pkg/mod.py'))).toBe(true);
  });

  it('for any mix and action limit, expects what the seeded plans do', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 16 }),
        (g, e, limit) => {
          fc.pre(g + e > 0);
          const spec = defaultSimSpec(instance(), { gold: g, empty: e });
          const expected = expectSpec(spec, { actionLimit: limit });
          // With a generous limit a failing-to-pass test passes exactly when the gold patch is drawn.
          if (limit >= 14) expect(expected.tests[0]?.pass).toBeCloseTo(g / (g + e), 12);
          expect(expected.error + 1e-12).toBeGreaterThanOrEqual(expected.variance);
          expect(expected.bias2 + expected.variance).toBeCloseTo(
            expected.tests.reduce((s, t) => s + (1 - t.pass) ** 2 + t.pass * (1 - t.pass), 0) / expected.tests.length,
            12,
          );
          // Sampled plans of many seeds agree with the exact figure within a few standard errors.
          const n = 400;
          let passes = 0;
          for (let seed = 0; seed < n; seed++) {
            const plan = planUnroll(spec, seed);
            if (plan.candidate.patch !== null && plannedActions(plan) <= limit) passes += 1;
          }
          const p = expected.tests[0]?.pass ?? 0;
          expect(Math.abs(passes / n - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / n) + 1e-9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('is used only where the instance has no spec of its own, and needs a gold patch', async () => {
    expect((await simSpecFor(instance())).candidates.map((c) => c.weight)).toEqual([
      defaultSimMix.gold,
      defaultSimMix.empty,
    ]);
    await expect(simSpecFor(instance({ patch: '  \n' }))).rejects.toThrow(InputError);
    await expect(simSpecFor(instance({ patch: '' }))).rejects.toThrow(
      /^Instance demo__demo-1 has neither a `sim` spec nor a gold patch, so the simulated agent cannot play it\.$/,
    );
    await expect(simSpecFor(instance({ sim: 'missing.yaml' }))).rejects.toThrow(/Cannot read the sim spec/);
  });

  it('lets the sim server play instances without a spec, in the mix it was given', async () => {
    const registry = new SimRegistry({ gold: 1, empty: 3 });
    const added = await registry.add([instance(), instance({ instance_id: 'demo__demo-2', patch: '' })]);
    expect(added).toEqual({ loaded: ['demo__demo-1'], skipped: ['demo__demo-2'] });
    expect(registry.get('demo__demo-1')?.candidates.map((c) => c.weight)).toEqual([1, 3]);
    expect(registry.resolve('demo__demo-2', '')).toMatchObject({ status: 404 });
  });
});
