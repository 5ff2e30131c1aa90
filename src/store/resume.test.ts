import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unrollRecord } from '../../test/helpers/unroll-record.ts';
import { planResume } from './resume.ts';

const plan = (instances: string[], unrolls: number) =>
  instances.flatMap((instance_id) => Array.from({ length: unrolls }, (_, unroll) => ({ instance_id, unroll })));

describe('planResume', () => {
  it('keeps finished unrolls, reruns the others, and reports recorded unrolls outside the plan', () => {
    const records = [
      unrollRecord({ instance_id: 'a', unroll: 0 }),
      unrollRecord({ instance_id: 'b', unroll: 1 }),
      unrollRecord({ instance_id: 'z', unroll: 0 }),
    ];
    const result = planResume(plan(['a', 'b'], 2), records);
    expect(result.done).toEqual([
      { instance_id: 'a', unroll: 0 },
      { instance_id: 'b', unroll: 1 },
    ]);
    expect(result.remaining).toEqual([
      { instance_id: 'a', unroll: 1 },
      { instance_id: 'b', unroll: 0 },
    ]);
    expect(result.unplanned.map((r) => r.instance_id)).toEqual(['z']);
  });

  it('reruns infrastructure failures only when asked', () => {
    const records = [unrollRecord({ instance_id: 'a', unroll: 0, infra_error: 'sandbox died' })];
    expect(planResume(plan(['a'], 1), records).remaining).toEqual([]);
    expect(planResume(plan(['a'], 1), records, { retryInfraErrors: true }).remaining).toEqual([
      { instance_id: 'a', unroll: 0 },
    ]);
  });

  it('splits the plan into disjoint done and remaining parts, never running a recorded unroll twice', () => {
    const pair = fc.record({ instance_id: fc.constantFrom('a', 'b', 'c'), unroll: fc.integer({ min: 0, max: 5 }) });
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 40 }), fc.array(pair, { maxLength: 40 }), (planned, recorded) => {
        const records = recorded.map((p) => unrollRecord(p));
        const { done, remaining } = planResume(planned, records);
        const key = (p: { instance_id: string; unroll: number }) => `${p.instance_id}/${p.unroll}`;
        const recordedKeys = new Set(recorded.map(key));
        expect(new Set([...done, ...remaining].map(key))).toEqual(new Set(planned.map(key)));
        expect(done.length + remaining.length).toBe(new Set(planned.map(key)).size);
        for (const p of remaining) expect(recordedKeys.has(key(p))).toBe(false);
        for (const p of done) expect(recordedKeys.has(key(p))).toBe(true);
      }),
    );
  });
});
