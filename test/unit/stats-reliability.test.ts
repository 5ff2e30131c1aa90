import { describe, expect, it } from 'vitest';
import { computeStats } from '../../src/stats/compute.ts';
import { formatStatsTable } from '../../src/stats/format.ts';
import { passAtK, passHatK } from '../../src/stats/reliability.ts';
import { outcomes, unrollRecord } from '../helpers/unroll-record.ts';

describe('reliability figures in stats', () => {
  it('come from each task’s resolved unrolls, and the stats table shows them', () => {
    // Task a: 3 of 4 unrolls resolve; task b: none; task c: all 4.
    const resolvedIn = { a: [1, 1, 1, 0], b: [0, 0, 0, 0], c: [1, 1, 1, 1] };
    const records = Object.entries(resolvedIn).flatMap(([id, flags]) =>
      flags.map((f, unroll) =>
        unrollRecord({ instance_id: id, unroll, tests: outcomes([f], [1]), actions: 5 + unroll }),
      ),
    );
    const stats = computeStats(records, { bootstrap: { resamples: 0 } });
    const r = stats.reliability;
    expect(r.k).toEqual([1, 2, 3, 4]);
    expect(r.passAtK[1]).toBeCloseTo((passAtK(4, 3, 2) + 0 + 1) / 3, 12);
    expect(r.passHatK[1]).toBeCloseTo((passHatK(4, 3, 2) + 0 + 1) / 3, 12);
    expect(r.flipShare).toBeCloseTo(1 / 3, 12);
    expect(r.tasks.map((t) => [t.instance_id, t.c])).toEqual([
      ['a', 3],
      ['b', 0],
      ['c', 4],
    ]);
    expect(formatStatsTable(stats, 'title')).toMatch(
      /reliability .*pass@1 0\.583 · pass@4 0\.667 · pass\^4 0\.333 · flips 33% of tasks/,
    );
  });
});
