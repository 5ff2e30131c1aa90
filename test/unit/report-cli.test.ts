import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRun } from '../../src/import/import-run.ts';
import { repoRoot } from '../../src/paths.ts';
import type { Report } from '../../src/report/build.ts';
import { compareRuns, renderCompareHtml, renderCompareMarkdown } from '../../src/report/compare.ts';
import { resolvedOnlyBanner } from '../../src/report/meta.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { formatEstimate } from '../../src/stats/format.ts';
import { countMarks, simulatedRun, syntheticRun, type FixtureRun } from './report-fixture.ts';

let root: string;
let real: FixtureRun;
let sim: FixtureRun;

function hotmess(...args: string[]) {
  return execa('node', [path.join(repoRoot, 'bin/hotmess.js'), ...args], {
    cwd: repoRoot,
    reject: false,
    env: { HOTMESS_LOGS: root, NO_COLOR: '1' },
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-report-cli-'));
  real = await syntheticRun(root, 'real-a', { tasks: 25, unrolls: 6, tests: 4, seed: 9 });
  sim = await simulatedRun(root, 'sim-b', 12, 8);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('hotmess report', () => {
  it('prints the headline table and the paths it wrote', async () => {
    const result = await hotmess('report', 'real-a', '--buckets', '3', '--bootstrap', '100', '--seed', '2');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const stats = computeStats(real.records, { buckets: 3, bootstrap: { resamples: 100, seed: 2 } });
    expect(result.stdout).toMatch(
      new RegExp(
        `All tests, limit rule "no change" \\(applied\\) +${formatEstimate(stats.overall.incoherence).replace(/[[\]]/g, '\\$&')} `,
      ),
    );
    expect(result.stdout).toContain('FAIL_TO_PASS tests only');
    for (const file of ['report.json', 'report.md', 'report.html'])
      expect(result.stdout).toContain(`Wrote ${path.join(real.dir, file)}`);
    const json = JSON.parse(await readFile(path.join(real.dir, 'report.json'), 'utf8')) as Report;
    expect(json.stats.options.buckets).toBe(3);
    expect(json.stats.overall).toEqual(JSON.parse(JSON.stringify(stats.overall)));
  });

  it('opens stdout with the calibration banner for a simulated run', async () => {
    const result = await hotmess(
      'report',
      sim.dir,
      '--bootstrap',
      '0',
      '--limit-rule',
      'grade',
      '--out',
      path.join(root, 'out'),
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(
      /^SIMULATED AGENT — CALIBRATION RUN\. Calibration run on hotmess's simulated agent, not a real model/,
    );
    expect(result.stdout).toContain('All tests, limit rule "grade the diff" (applied)');
    expect(result.stdout).toContain(`Wrote ${path.join(root, 'out', 'report.html')}`);
  });

  it('fails with one sentence and no stack trace on a missing run or a bad flag', async () => {
    const missing = await hotmess('report', path.join(root, 'nope'));
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^hotmess: No run directory .*nope/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const badFlag = await hotmess('report', real.dir, '--buckets', '0');
    expect(badFlag.exitCode).toBe(2);
    expect(badFlag.stderr).toMatch(/^hotmess: --buckets must be a whole number of at least 1\./);
    // Test lists asked for from a file with no valid instance are not silently dropped.
    const lists = path.join(root, 'bad-lists.jsonl');
    await writeFile(lists, `${JSON.stringify({ instance_id: 'a__a-1', repo: 'a/a', base_commit: 'xyz' })}\n`);
    for (const command of ['report', 'stats']) {
      const badLists = await hotmess(command, real.dir, '--instances', lists);
      expect(badLists.exitCode).toBe(2);
      expect(badLists.stderr).toMatch(
        /^hotmess: .*bad-lists\.jsonl holds no valid instance to take test lists from \(1 bad record\(s\), the first: .*base_commit/,
      );
    }
  });
});

describe('hotmess report and compare on resolved-only data', () => {
  it('say so first, and show no FAIL_TO_PASS / PASS_TO_PASS split', async () => {
    const table = path.join(root, 'resolved.csv');
    await writeFile(table, 'instance_id,run1,run2,run3\na__a-1,1,0,1\nb__b-2,0,0,1\nc__c-3,1,1,1\n');
    await importRun({ source: { kind: 'table', file: table }, root, runId: 'resolved-csv' });
    const result = await hotmess('report', 'resolved-csv', '--bootstrap', '0');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`RESOLVED-ONLY DATA. ${resolvedOnlyBanner}`);
    expect(result.stdout).toMatch(/FAIL_TO_PASS \/ PASS_TO_PASS split +not applicable: resolved only/);
    expect(result.stdout).not.toContain('FAIL_TO_PASS tests only');
    const md = renderCompareMarkdown(await compareRuns([real.dir, path.join(root, 'resolved-csv')], { bootstrap: 0 }));
    expect(md).toContain('| resolved-csv (resolved only) |');
    expect(md).toContain('| real-a | anthropic:claude-test |');
  });
});

describe('hotmess compare', () => {
  it('puts runs side by side in markdown and in a self-contained HTML chart', async () => {
    const runs = await compareRuns([real.dir, sim.dir], { buckets: 3, bootstrap: 100 });
    expect(runs.map((r) => r.label)).toEqual(['real-a', 'sim-b']);
    const md = renderCompareMarkdown(runs);
    expect(md).toMatch(
      /^# hotmess compare\n\n> \*\*⚠ SIMULATED AGENT\.\*\* sim-b is a calibration run on hotmess's simulated agent/,
    );
    for (const run of runs) {
      expect(md).toContain(
        `| ${run.label}${run.report.simulated ? ' (simulated)' : ''} | ${run.report.run.model} | ${run.report.stats.counts.tasks} |`,
      );
      expect(md).toContain(formatEstimate(run.report.stats.overall.incoherence));
    }
    expect(md.match(/^\| [123] \| /gm)).toHaveLength(3);
    const html = renderCompareHtml(runs);
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(/i);
    expect(countMarks(html, 'compare-incoherence-actions', 'bar')).toBe(6);
    expect(countMarks(html, 'compare-incoherence-actions', 'bar', 'data-run="sim-b"')).toBe(3);
  });

  it('prints markdown and writes the HTML file from the CLI', async () => {
    const out = path.join(root, 'cmp', 'compare.html');
    const result = await hotmess('compare', real.dir, 'sim-b', '--bootstrap', '50', '--out', out);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^# hotmess compare/);
    expect(result.stdout).toContain('| real-a | anthropic:claude-test | 25 |');
    expect(result.stderr).toBe(`Wrote ${out}`);
    expect(countMarks(await readFile(out, 'utf8'), 'compare-incoherence-actions', 'bar')).toBe(10);
  });
});
