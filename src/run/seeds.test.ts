import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupedByTask, planUnrolls, unrollSeed } from './seeds.ts';

describe('unroll seeds', () => {
  it('are stable, positive 31-bit integers that depend on run seed, task and unroll', () => {
    fc.assert(
      fc.property(fc.integer(), fc.string(), fc.nat(1000), (seed, id, r) => {
        const s = unrollSeed(seed, id, r);
        expect(s).toBe(unrollSeed(seed, id, r));
        expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
      }),
    );
    expect(unrollSeed(1, 'a', 0)).not.toBe(unrollSeed(1, 'a', 1));
    expect(unrollSeed(1, 'a', 0)).not.toBe(unrollSeed(2, 'a', 0));
    expect(unrollSeed(1, 'a', 0)).not.toBe(unrollSeed(1, 'b', 0));
  });

  it('plan every (task, unroll) once, unroll-major', () => {
    const plan = planUnrolls(['x', 'y'], 3, 7);
    expect(plan.map((p) => `${p.instance_id}/${p.unroll}`)).toEqual(['x/0', 'y/0', 'x/1', 'y/1', 'x/2', 'y/2']);
    expect(new Set(plan.map((p) => p.seed)).size).toBe(6);
  });

  it("grouped by task: every unroll kept, tasks in first-seen order, each task's unrolls in order", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('x', 'y', 'z')), fc.nat(4), (ids, unrolls) => {
        const plan = planUnrolls(ids, unrolls, 1);
        const grouped = groupedByTask(plan);
        expect([...grouped].sort(byKey)).toEqual([...plan].sort(byKey));
        const tasks = grouped.map((p) => p.instance_id).filter((id, i, all) => i === 0 || all[i - 1] !== id);
        expect(tasks).toEqual([...new Set(plan.map((p) => p.instance_id))]);
        for (const id of tasks) {
          const mine = (list: typeof plan) => list.filter((p) => p.instance_id === id);
          expect(mine(grouped)).toEqual(mine(plan));
        }
      }),
    );
    expect(groupedByTask(planUnrolls(['x', 'y'], 2, 7)).map((p) => `${p.instance_id}/${p.unroll}`)).toEqual([
      'x/0',
      'x/1',
      'y/0',
      'y/1',
    ]);
  });
});

const byKey = (a: { instance_id: string; unroll: number }, b: { instance_id: string; unroll: number }) =>
  a.instance_id.localeCompare(b.instance_id) || a.unroll - b.unroll;
