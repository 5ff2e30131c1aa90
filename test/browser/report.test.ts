import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logsDir } from '../../src/paths.ts';
import type { Report } from '../../src/report/build.ts';
import { writeReport } from '../../src/report/write.ts';
import { simulatedRun } from '../unit/report-fixture.ts';

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
let report: Report;
let page: string;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: the browser test needs Debian's chromium (bash scripts/setup.sh, or apt-get install chromium).`,
    );
  }
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-report-browser-'));
  profile = await mkdtemp(path.join(tmpdir(), 'hotmess-chromium-'));
  const run = await simulatedRun(root, 'browser-sim', 40, 16);
  const written = await writeReport(run.dir, { buckets: 5, bootstrap: 200 });
  report = written.report;
  page = pathToFileURL(written.files.html).href;
  // A fresh profile directory per run: nothing left from another session can change what the page does.
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

describe('report.html in headless Chromium', () => {
  it('loads with no console error and no request but the page itself, and shows every chart', async () => {
    const tab = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    tab.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    tab.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    tab.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    tab.on('request', (req) => requests.push(req.url()));
    await tab.goto(page, { waitUntil: 'load' });

    expect(problems).toEqual([]);
    expect(requests).toEqual([page]);

    const count = (selector: string) => tab.locator(selector).count();
    const stats = report.stats;
    const k = stats.buckets.actions.buckets?.length ?? 0;
    expect(k).toBe(5);
    expect(await count('svg[data-chart="incoherence-actions"] [data-mark="bar"]')).toBe(k);
    expect(await count('svg[data-chart="incoherence-actions"] [data-mark="whisker"]')).toBe(k);
    expect(await count('svg[data-chart="incoherence-actions"] [data-mark="expected"]')).toBe(k);
    expect(await count('svg[data-chart="decomposition-actions"] [data-mark="segment"]')).toBe(2 * k);
    expect(await count('svg[data-chart="incoherence-output_tokens"] [data-mark="bar"]')).toBe(k);
    expect(await count('svg[data-chart="task-scatter"] [data-mark="point"]')).toBe(
      stats.tasks.filter((t) => t.incoherence !== null).length,
    );
    expect(await count('svg[data-chart="task-scatter"] [data-mark="point"]')).toBeGreaterThan(30);
    expect(await count('svg[data-chart="median-split"] [data-mark="bar"]')).toBe(10);
    expect(await count('svg[data-chart="ensembling"] [data-mark="point"]')).toBe(4 * stats.ensembling.length);
    // 16 unrolls: size 16 would leave each task one ensemble, with variance 0 by construction.
    expect(stats.ensembling.map((e) => e.size)).toEqual([1, 2, 4, 8]);
    expect(await tab.locator('#ensembling').innerText()).toContain(
      'a tie counts as a fail, so at size 2 majority is an AND of both members',
    );
    expect(await count('table.tasks tbody tr')).toBe(40);

    // Every bar is drawn inside its chart, with a positive height.
    const boxes = await tab.locator('svg[data-chart="incoherence-actions"] [data-mark="bar"]').evaluateAll((els) =>
      els.map((el) => {
        const bar = el.getBoundingClientRect();
        const chart = el.closest('svg')?.getBoundingClientRect();
        if (chart === undefined) return { height: bar.height, inside: false };
        return {
          height: bar.height,
          inside:
            bar.left >= chart.left && bar.right <= chart.right && bar.top >= chart.top && bar.bottom <= chart.bottom,
        };
      }),
    );
    for (const box of boxes) expect(box).toEqual({ height: expect.any(Number), inside: true });
    expect(Math.min(...boxes.map((b) => b.height))).toBeGreaterThan(0);

    const banner = tab.locator('[data-banner="simulated"]').first();
    expect(await banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain("Calibration run on hotmess's simulated agent, not a real model");
    // The banner stays in view while the page scrolls.
    await tab.locator('#tasks').scrollIntoViewIfNeeded();
    const top = await banner.evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBe(0);

    await tab.locator('header').scrollIntoViewIfNeeded();
    const shots = path.join(logsDir(), 'report-browser');
    await mkdir(shots, { recursive: true });
    await tab.screenshot({ path: path.join(shots, 'report.png'), fullPage: true });
    expect(existsSync(path.join(shots, 'report.png'))).toBe(true);
    await tab.close();
  });
});
