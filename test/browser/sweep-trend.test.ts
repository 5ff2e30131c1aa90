import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionCapacity, defaultLimits } from '../../src/agent/limits.ts';
import { loadInstances } from '../../src/instances/load.ts';
import { repoRoot } from '../../src/paths.ts';
import { shiftDrift, type SimShift } from '../../src/sim/shift.ts';
import { loadSimSpec } from '../../src/sim/spec-load.ts';
import type { UnrollRecord } from '../../src/store/unroll-record.ts';
import { analyseCell } from '../../src/sweeps/analyse.ts';
import type { HistoryLine } from '../../src/sweeps/history.ts';
import { defaultRegression } from '../../src/sweeps/schema.ts';
import { renderTrendPage } from '../../src/sweeps/trend.ts';
import { predictedRecord } from '../helpers/calibration.ts';

const chromiumPath = '/usr/bin/chromium';
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let root: string;
let profile: string;
let context: BrowserContext;
let page: string;
let history: HistoryLine[];

/** Three nights of two cells on the sim's records; the third night's first cell is shifted to the wrong patches. */
async function threeNights(): Promise<HistoryLine[]> {
  const { instances } = await loadInstances(path.join(repoRoot, 'instances', 'pocket'), { strict: true });
  const specs = await Promise.all(instances.map((i) => loadSimSpec(i)));
  const night = (seed: number, shift?: SimShift): UnrollRecord[] =>
    instances.flatMap((instance, k) =>
      Array.from({ length: 16 }, (_, r) =>
        predictedRecord(
          instance,
          shiftDrift(specs[k] as (typeof specs)[number], shift),
          r,
          seed,
          actionCapacity(defaultLimits),
        ),
      ),
    );
  const lines: HistoryLine[] = [];
  const previous = new Map<string, { line: HistoryLine; records: UnrollRecord[] }>();
  for (const [n, id] of ['2026-12-01', '2026-12-02', '2026-12-03'].entries()) {
    for (const cell of ['sim', 'sim-openai']) {
      const records = night(
        100 * n + (cell === 'sim' ? 1 : 2),
        n === 2 && cell === 'sim' ? { drift: 1, from: 8 } : undefined,
      );
      const analysis = analyseCell(
        {
          sweep: 'trend',
          sweepId: id,
          date: `${id}T02:00:00.000Z`,
          finishedAt: `${id}T03:00:00.000Z`,
          cell: { name: cell, settings: { model: cell === 'sim' ? 'sim' : 'sim:openai' } },
          model: cell === 'sim' ? 'sim' : 'sim:openai',
          runDir: `${id}/${cell}`,
          tasksRevision: null,
          taskSetHash: 'h',
          instances: 'instances/pocket',
          unrolls: 16,
          seed: n,
        },
        records,
        previous.get(cell) ?? null,
        { buckets: 3, resamples: 300, rules: defaultRegression },
      );
      previous.set(cell, { line: analysis.line, records });
      lines.push(analysis.line);
    }
  }
  return lines;
}

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(`${chromiumPath} is missing: the browser test needs Debian's chromium.`);
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-trend-'));
  profile = await mkdtemp(path.join(tmpdir(), 'hotmess-chromium-'));
  history = await threeNights();
  const file = path.join(root, 'trend.html');
  await writeFile(file, renderTrendPage('trend', history));
  page = pathToFileURL(file).href;
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: flags,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await rm(root, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
});

describe('the sweep trend page in headless Chromium', () => {
  it('shows every figure over the nights per cell, with intervals and the regression ringed, offline', async () => {
    const tab = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    tab.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    tab.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    tab.on('request', (req) => requests.push(req.url()));
    await tab.goto(page, { waitUntil: 'load' });
    expect(problems).toEqual([]);
    expect(requests).toEqual([page]);

    const count = (selector: string) => tab.locator(selector).count();
    expect(await count('svg[data-chart^="trend-"]')).toBe(9);
    // Three nights × two cells on each chart; intervals on the bootstrapped figures.
    expect(await count('svg[data-chart="trend-resolve_rate"] [data-mark="point"]')).toBe(6);
    expect(await count('svg[data-chart="trend-resolve_rate"] [data-mark="whisker"]')).toBe(6);
    expect(await count('svg[data-chart="trend-flip_share"] [data-mark="point"]')).toBe(6);
    expect(history.map((l) => l.verdict)).toEqual(['no_baseline', 'no_baseline', 'ok', 'ok', 'regression', 'ok']);
    expect(await count('svg[data-chart="trend-resolve_rate"] [data-mark="regression"]')).toBe(1);
    expect(await count('#history tbody tr[data-verdict="regression"]')).toBe(1);
    await expect(tab.locator('[data-banner="simulated"]').isVisible()).resolves.toBe(true);

    // Every point is drawn inside its chart.
    const inside = await tab.locator('svg[data-chart="trend-incoherence"] [data-mark="point"]').evaluateAll((els) =>
      els.every((el) => {
        const dot = el.getBoundingClientRect();
        const chart = el.closest('svg')?.getBoundingClientRect();
        return (
          chart !== undefined &&
          dot.left >= chart.left &&
          dot.right <= chart.right &&
          dot.top >= chart.top &&
          dot.bottom <= chart.bottom
        );
      }),
    );
    expect(inside).toBe(true);
    const shot = path.join(root, 'trend.png');
    await tab.screenshot({ path: shot, fullPage: true });
    const png = await readFile(shot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(20_000);
  }, 60_000);
});
