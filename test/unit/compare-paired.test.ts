import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns, renderCompareMarkdown, renderCompareHtml } from '../../src/report/compare.ts';
import { pairedComparisons } from '../../src/report/paired.ts';
import { simulatedRun } from './report-fixture.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-compare-paired-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('compare: paired differences', () => {
  it('pairs the runs on the tasks both share, with intervals, correlation and buckets', async () => {
    const a = await simulatedRun(root, 'night-a', 30, 8, 1);
    const b = await simulatedRun(root, 'night-b', 20, 8, 2);
    const runs = await compareRuns([a.dir, b.dir], { bootstrap: 0 });
    const [paired] = pairedComparisons(runs, { resamples: 300 });
    const c = paired?.comparison;
    expect(c?.tasks).toBe(20);
    expect([c?.onlyA, c?.onlyB]).toEqual([10, 0]);
    const resolve = c?.overall.resolveRate;
    expect(resolve?.diff.value).toBeCloseTo((resolve?.b ?? 0) - (resolve?.a ?? 0), 12);
    expect(resolve?.diff.lo as number).toBeLessThanOrEqual(resolve?.diff.value as number);
    // The fixture draws each task's pass probabilities from its seed: other seeds, other tasks, little correlation.
    expect(Math.abs(resolve?.correlation ?? 1)).toBeLessThan(1);
    expect(c?.buckets).toHaveLength(5);
    const md = renderCompareMarkdown(runs);
    expect(md).toContain('## Paired: night-b vs night-a');
    expect(md).toContain('paired on the 20 tasks both ran (10 task(s) only in night-a and 0 only in night-b left out)');
    expect(md).toMatch(/\| Resolve rate \| [\d.]+ \| [\d.]+ \| [+-][\d.]+ \[[+-][\d.]+, [+-][\d.]+\] \|/);
    expect(renderCompareHtml(runs)).toContain('<section class="paired">');
  });
});
