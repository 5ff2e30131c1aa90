import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logsDir } from '../../src/paths.ts';
import { writeReport } from '../../src/report/write.ts';
import { debugFixtureRun } from '../helpers/debug-run.ts';
import type { FixtureRun } from '../unit/report-fixture.ts';

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
let run: FixtureRun;
let reportUrl: string;
/** Unroll 1 of every task has 123 bash actions and a submit: 2 prompts + 2 × 124 = 250 messages. */
const longUnroll = 1;

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(`${chromiumPath} is missing: the browser test needs Debian's chromium.`);
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-viewer-'));
  profile = await mkdtemp(path.join(tmpdir(), 'hotmess-chromium-'));
  run = await debugFixtureRun(root, 'viewer-1', { tasks: 3, unrolls: 4, actions: (u) => (u === longUnroll ? 123 : 5) });
  const written = await writeReport(run.dir, { bootstrap: 0 });
  expect(written.pages).toEqual({ tasks: 3, trajectories: 12, unchanged: 0 });
  reportUrl = pathToFileURL(written.files.html).href;
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

describe('the report viewer in headless Chromium', () => {
  it('goes from the report to a task page and on to a 250-message trajectory, fetching nothing else', async () => {
    const tab = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    tab.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
    });
    tab.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    tab.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    tab.on('request', (req) => requests.push(req.url()));
    await tab.goto(reportUrl, { waitUntil: 'load' });

    const task = 'synthetic__task-1';
    await tab.locator('table.tasks a', { hasText: task }).click();
    await tab.waitForURL(/tasks\/synthetic__task-1\/index\.html$/);
    expect(await tab.locator('h1').innerText()).toBe(task);
    expect(await tab.locator('table.unrolls tbody tr').count()).toBe(4);
    expect(await tab.locator('table.matrix tbody tr').count()).toBe(5);
    const records = run.records.filter((r) => r.instance_id === task).sort((a, b) => a.unroll - b.unroll);
    const firstRow = await tab.locator('table.matrix tbody tr').first().locator('td.pass, td.fail').allInnerTexts();
    expect(firstRow).toEqual(records.map((r) => (r.tests[0]?.pass ? '✓' : '✗')));
    expect(await tab.locator('table.groups tbody tr').count()).toBe(3);
    expect(await tab.locator('pre.diff .add').count()).toBe(2);

    await tab.locator(`a[data-unroll="${longUnroll}"]`).click();
    await tab.waitForURL(new RegExp(`tasks/synthetic__task-1/${longUnroll}\\.html$`));
    expect(await tab.locator('.msg.prompt').count()).toBe(2);
    expect(await tab.locator('.msg.thought').count()).toBe(124);
    expect(await tab.locator('.msg.action').count()).toBe(124);
    // 2 prompts, and per action its call and its observation: 250 messages.
    expect(await tab.locator('body > p').first().innerText()).toContain('124 actions, 124 turns, 250 messages');
    expect(await tab.locator('#action-122 .head').innerText()).toMatch(/^\[122\] bash · exit 0 · 12 ms$/);
    expect(await tab.locator('#action-124 .head').innerText()).toMatch(/^\[124\] submit/);
    expect(await tab.locator('#action-3 .exit-bad').innerText()).toBe('exit 1');
    // Long observations (every fifth action) are folded, and open on a click.
    const fold = tab.locator('#action-5 details');
    expect(await fold.evaluate((d) => d.hasAttribute('open'))).toBe(false);
    expect(await fold.locator('pre').isVisible()).toBe(false);
    await fold.locator('summary').click();
    expect(await fold.locator('pre').isVisible()).toBe(true);
    expect(await fold.locator('pre').innerText()).toContain('line 119 of action 5');
    expect(await tab.locator('pre.diff').first().innerText()).toContain('+    return a + b + 1');

    await tab.locator('a[data-nav="next"]').click();
    await tab.waitForURL(/\/2\.html$/);
    await tab.locator('a[data-nav="prev"]').click();
    await tab.waitForURL(new RegExp(`/${longUnroll}\\.html$`));
    await tab.locator('#action-5').scrollIntoViewIfNeeded();
    await tab.screenshot({ path: path.join(logsDir(), 'viewer-trajectory.png') });
    await tab.locator('a[data-nav="task"]').click();
    await tab.waitForURL(/index\.html$/);
    await tab.locator('a[data-nav="report"]').click();
    await tab.waitForURL(/report\.html$/);

    expect(problems).toEqual([]);
    expect(requests.every((u) => u.startsWith('file://'))).toBe(true);
    expect(requests.filter((u) => !u.endsWith('.html'))).toEqual([]);
    await tab.close();
  });

  it('writes a trajectory page once: a second report leaves pages newer than their trajectory alone', async () => {
    const again = await writeReport(run.dir, { bootstrap: 0 });
    expect(again.pages).toEqual({ tasks: 3, trajectories: 0, unchanged: 12 });
    const dir = path.join(run.dir, 'tasks', 'synthetic__task-0');
    expect((await readdir(dir)).sort()).toEqual(['0.html', '1.html', '2.html', '3.html', 'index.html']);
    expect((await stat(path.join(dir, '1.html'))).size).toBeLessThan(200_000);
  });
});
