import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotmessError, InputError, UsageError } from '../../src/errors.ts';
import { importRun } from '../../src/import/import-run.ts';
import { repoRoot } from '../../src/paths.ts';
import type { Report } from '../../src/report/build.ts';
import { fmtNumber, fmtPercent } from '../../src/report/format.ts';
import { resolvedOnlyBanner, simulatedBanner } from '../../src/report/meta.ts';
import { compareBucketTable, compareRuns } from '../../src/report/compare.ts';
import { writeReport } from '../../src/report/write.ts';
import { computeStats } from '../../src/stats/compute.ts';
import { formatEstimate } from '../../src/stats/format.ts';
import type { UnrollRecord } from '../../src/store/unroll-record.ts';
import { outcomes, unrollRecord } from '../helpers/unroll-record.ts';
import { chartSvg, countMarks, simulatedRun, syntheticRun, writeRun } from './report-fixture.ts';

const swebench = path.join(path.resolve(repoRoot, '../shared'), 'swebench');
const haveShared = existsSync(swebench);
if (!haveShared) console.log(`skipping the report test on an imported resolved table: ${swebench} is absent`);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-report-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const read = (file: string) => readFile(file, 'utf8');

describe('writeReport on a run of a real model', () => {
  let html: string;
  let md: string;
  let json: Report;
  let expectedStats: ReturnType<typeof computeStats>;
  const options = { buckets: 4, bootstrap: 200, seed: 5 };

  beforeAll(async () => {
    const run = await syntheticRun(root, 'real', { tasks: 30, unrolls: 8, tests: 6, seed: 3 });
    const written = await writeReport(run.dir, options);
    expect(written.files).toEqual({
      json: path.join(run.dir, 'report.json'),
      markdown: path.join(run.dir, 'report.md'),
      html: path.join(run.dir, 'report.html'),
    });
    html = await read(written.files.html);
    md = await read(written.files.markdown);
    json = JSON.parse(await read(written.files.json)) as Report;
    expectedStats = computeStats(run.records, { buckets: 4, bootstrap: { resamples: 200, seed: 5 } });
  });

  it('writes the StatsResult of computeStats and the run metadata into report.json', () => {
    expect(json.format).toBe('hotmess.report/1');
    expect(json.stats).toEqual(JSON.parse(JSON.stringify(expectedStats)));
    expect(json.run).toMatchObject({
      runId: 'real',
      kind: 'run',
      model: 'anthropic:claude-test',
      instancesSource: 'instances/test.jsonl',
      unrollsRequested: 8,
      limits: { maxActions: 60 },
      seed: 7,
      simulated: false,
    });
    expect(json.run.versions).toHaveProperty('hotmess');
    expect(json.simulated).toBe(false);
    expect(json.banner).toBeNull();
    expect(json.expected).toBeNull();
  });

  it('shows the headline figures of computeStats in report.html and report.md', () => {
    const overall = expectedStats.overall;
    const headline = html.slice(
      html.indexOf('<table class="headline">'),
      html.indexOf('</table>', html.indexOf('<table class="headline">')),
    );
    const applied = headline.slice(headline.indexOf('data-row="applied"'));
    expect(applied).toContain(`<td>${formatEstimate(overall.incoherence)}</td>`);
    expect(applied).toContain(`<td>${fmtPercent(overall.passRate.value)}</td>`);
    expect(applied).toContain(`<td>${fmtPercent(overall.resolveRate?.value)}</td>`);
    expect(applied).toContain(`<td>${fmtNumber(overall.bias2.value)}</td>`);
    const grade = headline.slice(headline.indexOf('data-row="other-rule"'));
    expect(grade).toContain(`<td>${formatEstimate(expectedStats.limitRule.grade.incoherence)}</td>`);
    const f2p = headline.slice(headline.indexOf('data-row="fail-to-pass"'));
    expect(f2p).toContain(`<td>${formatEstimate(expectedStats.categories.FAIL_TO_PASS?.incoherence ?? null)}</td>`);
    expect(headline).toContain('data-row="pass-to-pass"');

    const mdApplied = md.split('\n').find((l) => l.startsWith('| All tests, limit rule "no change" (applied)'));
    expect(mdApplied).toContain(
      `| ${formatEstimate(overall.incoherence)} | ${fmtPercent(overall.passRate.value)} | ${fmtPercent(overall.resolveRate?.value)} |`,
    );
    expect(md).toContain(
      `| All tests, limit rule "grade the diff" | ${formatEstimate(expectedStats.limitRule.grade.incoherence)} |`,
    );
  });

  it('draws one bar and whisker per bucket, two segments per bucket, one point per task', () => {
    const buckets = expectedStats.buckets.actions.buckets ?? [];
    expect(buckets).toHaveLength(4);
    const defined = buckets.filter((b) => b.figures.incoherence.value !== null).length;
    expect(countMarks(html, 'incoherence-actions', 'bar')).toBe(defined);
    expect(countMarks(html, 'incoherence-actions', 'whisker')).toBe(
      buckets.filter((b) => b.figures.incoherence.lo !== null).length,
    );
    expect(countMarks(html, 'decomposition-actions', 'segment')).toBe(8);
    expect(countMarks(html, 'incoherence-output_tokens', 'bar')).toBe(
      (expectedStats.buckets.output_tokens.buckets ?? []).length,
    );
    expect(countMarks(html, 'task-scatter', 'point')).toBe(
      expectedStats.tasks.filter((t) => t.incoherence !== null).length,
    );
    expect(countMarks(html, 'task-scatter', 'point')).toBeGreaterThan(20);
    expect(countMarks(html, 'median-split', 'bar')).toBe(10);
    const sizes = expectedStats.ensembling.length;
    // 8 unrolls: sizes 1, 2, 4; size 8 would leave each task one ensemble.
    expect(sizes).toBe(3);
    expect(countMarks(html, 'ensembling', 'point')).toBe(4 * sizes);
    expect(countMarks(html, 'ensembling', 'point', 'data-panel="incoherence" data-series="majority"')).toBe(sizes);
    expect(countMarks(html, 'ensembling', 'line')).toBe(4);
  });

  it('puts each bar at the height of its figure', () => {
    const svg = chartSvg(html, 'incoherence-actions');
    const values = [...svg.matchAll(/data-mark="bar" data-bucket="(\d+)" data-value="([^"]+)"/g)].map((m) =>
      Number(m[2]),
    );
    expect(values).toEqual((expectedStats.buckets.actions.buckets ?? []).map((b) => b.figures.incoherence.value));
    const heights = [...svg.matchAll(/data-mark="bar"[^>]* height="([^"]+)"/g)].map((m) => Number(m[1]));
    const ratio = (heights[0] as number) / (values[0] as number);
    heights.forEach((h, i) => expect(h).toBeCloseTo((values[i] as number) * ratio, 0));
  });

  it('is self-contained: no script, no stylesheet link, nothing fetched', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // The only links are to the viewer's task pages beside it.
    const links = html.match(/href="[^"]*"/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).toMatch(/^href="tasks\/[\w.-]+\/index\.html"$/);
    expect(html.replace(/<a href="tasks\/[\w.-]+\/index\.html">/g, '')).not.toMatch(
      /<script|<link|<img|<iframe|@import|url\(|src=|href=/i,
    );
    expect(html).toContain('<style>');
  });

  it('shows the critique checks, notes and counts', () => {
    expect(html).toContain('One binary outcome: incoherence is a failure-weighted pass rate');
    expect(html).toContain('class="holds-yes"');
    expect(html).not.toContain('class="holds-no"');
    expect(html).toContain(`${expectedStats.tasks.length} of ${expectedStats.tasks.length} tasks match`);
    for (const note of expectedStats.notes)
      expect(html).toContain(
        note.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
      );
    expect(md).toContain(
      `| Infrastructure failures (left out, reported apart) | ${expectedStats.counts.infraErrors} |`,
    );
    expect(md).toContain(`| Stopped at a limit (graded by the limit rule) | ${expectedStats.counts.limitStopped} |`);
    expect(md.match(/^\| synthetic__task-\d+ \|/gm)).toHaveLength(30);
    expect(
      html.match(/<td><a href="tasks\/synthetic__task-\d+\/index\.html">synthetic__task-\d+<\/a><\/td>/g),
    ).toHaveLength(30);
  });

  it('carries no simulated-agent banner', () => {
    expect(html).not.toContain('data-banner');
    expect(md).not.toContain('SIMULATED');
    expect(md).not.toContain('RESOLVED-ONLY');
    expect(json.resolvedOnlyBanner).toBeNull();
  });

  it('shows only ensemble sizes with 2 ensembles per task, and says how ties and the (k−1)/k factor work', () => {
    const section = html.slice(
      html.indexOf('<section id="ensembling">'),
      html.indexOf('</section>', html.indexOf('<section id="ensembling">')),
    );
    expect(section).toContain('a tie counts as a fail, so at size 2 majority is an AND of both members');
    expect(section).toContain('with k ensembles per task the plug-in variance also carries the factor (k−1)/k');
    const rows = [...section.matchAll(/<tr><td>(\d+)<\/td><td>(\d+)<\/td><td>([^<]+)<\/td><td>([^<]+)<\/td>/g)].map(
      (m) => m.slice(1, 5),
    );
    expect(rows).toEqual(
      expectedStats.ensembling.map((p) => [
        String(p.size),
        '30',
        `≥${p.ensemblesPerTask}`,
        fmtNumber(p.mean.variance.value),
      ]),
    );
    expect(rows.map((r) => r[2])).toEqual(['≥8', '≥4', '≥2']);
    const mdSection = md.slice(md.indexOf('## Ensembling'), md.indexOf('## Notes'));
    expect(mdSection).toContain('a tie counts as a fail, so at size 2 majority is an AND');
    expect(mdSection).toContain('the factor (k−1)/k');
    expect(mdSection).toContain('| Ensemble size | Tasks | Ensembles per task |');
    expect(mdSection).not.toContain('0.000 [0');
  });
});

describe('writeReport on a run of the simulated agent', () => {
  let run: Awaited<ReturnType<typeof simulatedRun>>;
  let report: Report;
  let html: string;
  let md: string;

  beforeAll(async () => {
    run = await simulatedRun(root, 'sim-run', 20, 60);
    const written = await writeReport(run.dir, { buckets: 4, bootstrap: 300, out: path.join(root, 'sim-out') });
    report = JSON.parse(await read(written.files.json)) as Report;
    html = await read(written.files.html);
    md = await read(written.files.markdown);
  });

  it('writes into --out and leaves the run directory alone', async () => {
    await expect(stat(path.join(root, 'sim-out', 'report.html'))).resolves.toBeTruthy();
    await expect(stat(path.join(run.dir, 'report.html'))).rejects.toThrow();
  });

  it('carries the calibration banner on every page', () => {
    expect(report.simulated).toBe(true);
    expect(report.banner).toBe(simulatedBanner);
    expect(Object.keys(report).slice(0, 2)).toEqual(['format', 'banner']);
    expect(html.match(/data-banner="simulated"/g)).toHaveLength(2);
    expect(html).toContain('<title>[SIMULATED] hotmess report: sim-run</title>');
    expect(md.split('\n')[2]).toMatch(
      /^> \*\*⚠ SIMULATED AGENT — CALIBRATION RUN\.\*\* Calibration run on hotmess's simulated agent, not a real model/,
    );
  });

  it('compares the exact expectation of the plug-in estimator with the measured figures', () => {
    const R = 60;
    let error = 0;
    let variance = 0;
    for (const p of run.probabilities) {
      error += p.reduce((s, x) => s + (1 - x), 0) / p.length;
      variance += (p.reduce((s, x) => s + x * (1 - x), 0) / p.length) * ((R - 1) / R);
    }
    const overall = report.expected?.overall;
    expect(overall?.expected.incoherence).toBeCloseTo(variance / error, 12);
    expect(overall?.expected.error).toBeCloseTo(error / 20, 12);
    expect(overall?.measured).toEqual(report.stats.limitRule.no_change);
    // 20 tasks × 60 unrolls: the measured incoherence lies near the exact one.
    expect(Math.abs((overall?.measured.incoherence.value ?? 0) - variance / error)).toBeLessThan(0.05);
    expect(html).toContain('data-row="expected"');
    expect(md).toMatch(/\| Incoherence \| [\d.]+ \| [\d.]+ \[[\d.]+, [\d.]+\] \| (yes|no) \|/);
  });

  it('expects the true variance from the unbiased estimator', async () => {
    const written = await writeReport(run.dir, {
      buckets: 4,
      bootstrap: 0,
      unbiased: true,
      out: path.join(root, 'sim-unbiased'),
    });
    const error = run.probabilities.reduce((s, p) => s + p.reduce((a, x) => a + (1 - x), 0) / 4, 0);
    const variance = run.probabilities.reduce((s, p) => s + p.reduce((a, x) => a + x * (1 - x), 0) / 4, 0);
    expect(written.report.expected?.estimator).toBe('unbiased');
    expect(written.report.expected?.overall?.expected.incoherence).toBeCloseTo(variance / error, 12);
    expect(written.report.expected?.overall?.expected.bias2).toBeCloseTo(
      run.probabilities.reduce((s, p) => s + p.reduce((a, x) => a + (1 - x) ** 2, 0) / 4, 0) / 20,
      12,
    );
  });

  it('shows the expected incoherence of each action bucket over the same tasks', () => {
    const buckets = report.expected?.buckets ?? [];
    expect(buckets).toHaveLength(4);
    // Task t's actions grow with t, so bucket b holds tasks 5b … 5b + 4.
    buckets.forEach((bucket, b) => {
      expect(bucket.measured.tasks).toBe(5);
      const probs = run.probabilities.slice(5 * b, 5 * b + 5);
      const e = probs.reduce((s, p) => s + p.reduce((a, x) => a + (1 - x), 0) / 4, 0);
      const v = probs.reduce((s, p) => s + (p.reduce((a, x) => a + x * (1 - x), 0) / 4) * (59 / 60), 0);
      expect(bucket.expected.incoherence).toBeCloseTo(v / e, 12);
    });
    expect(countMarks(html, 'incoherence-actions', 'expected')).toBe(4);
  });

  it('says when a length is unknown instead of drawing its buckets', () => {
    expect(report.stats.buckets.reasoning_tokens.buckets).toBeNull();
    const section = html.slice(html.indexOf('<section id="buckets-reasoning_tokens">'));
    expect(section.slice(0, section.indexOf('</section>'))).toContain(
      `<p>${report.stats.buckets.reasoning_tokens.note ?? 'missing note'}</p>`,
    );
    expect(html).not.toContain('data-chart="incoherence-reasoning_tokens"');
    expect(countMarks(html, 'incoherence-output_tokens', 'bar')).toBe(4);
  });

  it('leaves per-bucket expectations out under the grade rule, which they do not assume', async () => {
    const written = await writeReport(run.dir, {
      buckets: 4,
      bootstrap: 0,
      limitRule: 'grade',
      out: path.join(root, 'sim-grade'),
    });
    expect(written.report.expected?.buckets).toBeNull();
    expect(written.report.expected?.notes.join(' ')).toMatch(/only under the no-change limit rule/);
    expect(written.report.expected?.overall?.measured).toEqual(written.report.stats.limitRule.no_change);
  });
});

describe('writeReport where some tasks never fail', () => {
  it('marks a bucket without error instead of drawing a bar, and leaves its tasks off the scatter', async () => {
    // Six tasks, two per bucket by action count; the two shortest always pass every test.
    const records = Array.from({ length: 6 }, (_, t) =>
      Array.from({ length: 4 }, (_, u) =>
        unrollRecord({
          instance_id: `task-${t}`,
          unroll: u,
          actions: 10 * (t + 1) + u,
          tests: t < 2 ? outcomes([1], [1]) : outcomes([u % 2], [u % 3 === 0 ? 0 : 1]),
        }),
      ),
    ).flat();
    const run = await writeRun(root, 'never-fail', records);
    const written = await writeReport(run.dir, { buckets: 3, bootstrap: 0 });
    const html = await read(written.files.html);
    const buckets = written.report.stats.buckets.actions.buckets ?? [];
    expect(buckets.map((b) => b.figures.incoherence.value === null)).toEqual([true, false, false]);
    expect(countMarks(html, 'incoherence-actions', 'bar')).toBe(2);
    expect(countMarks(html, 'incoherence-actions', 'undefined')).toBe(1);
    expect(countMarks(html, 'incoherence-actions', 'whisker')).toBe(0);
    expect(countMarks(html, 'task-scatter', 'point')).toBe(4);
    expect(html).toContain('One point per task; 2 task(s) never failed a test and have no incoherence.');
  });
});

describe('writeReport with infrastructure failures', () => {
  it('reports them apart, grouped by reason, and leaves them out of the figures', async () => {
    const records = Array.from({ length: 3 }, (_, t) =>
      Array.from({ length: 4 }, (_, u) =>
        unrollRecord({ instance_id: `task-${t}`, unroll: u, actions: 5 + t + u, tests: outcomes([u % 2], [1]) }),
      ),
    ).flat();
    records[1] = {
      ...(records[1] as UnrollRecord),
      stop_reason: 'model_error',
      infra_error: '429 rate limited\nretry-after 30',
    };
    records[6] = { ...(records[6] as UnrollRecord), stop_reason: 'model_error', infra_error: '429 rate limited' };
    records[7] = { ...(records[7] as UnrollRecord), grading_status: 'error', tests: [] };
    const run = await writeRun(root, 'infra', records);
    const written = await writeReport(run.dir, { buckets: 2, bootstrap: 0 });
    expect(written.report.stats.counts.infraErrors).toBe(3);
    expect(written.report.stats.counts.used).toBe(9);
    expect(written.report.infraFailures).toEqual([
      { reason: 'model_error: 429 rate limited', count: 2, example: 'task-0#1' },
      { reason: 'submitted: grading error', count: 1, example: 'task-1#3' },
    ]);
    expect(await read(written.files.markdown)).toContain(
      '| Infrastructure failures (left out, reported apart) | 3; 2 × model_error: 429 rate limited (e.g. task-0#1); 1 × submitted: grading error (e.g. task-1#3) |',
    );
  });
});

describe('writeReport on bad input', () => {
  const fails = async (dir: string): Promise<HotmessError> => {
    const err = await writeReport(dir, { bootstrap: 0 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HotmessError);
    return err as HotmessError;
  };

  it('names a missing run directory', async () => {
    const err = await fails(path.join(root, 'no-such-run'));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/^No run directory .*no-such-run/);
  });

  it('names a directory that is not a run', async () => {
    const dir = path.join(root, 'not-a-run');
    await mkdir(dir);
    const err = await fails(dir);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain('is not a hotmess run directory (it has no run.json)');
  });

  it('says a run without unrolls has nothing to report', async () => {
    const { dir } = await writeRun(root, 'no-unrolls', []);
    const err = await fails(dir);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(
      `Run no-unrolls has no unroll records yet (${path.join(dir, 'unrolls.jsonl')} is missing or empty): nothing to report.`,
    );
    await writeFile(path.join(dir, 'unrolls.jsonl'), '');
    expect((await fails(dir)).message).toContain('is missing or empty');
  });

  it('says a corrupt unrolls.jsonl holds no valid record, with the first bad line', async () => {
    const { dir } = await writeRun(root, 'corrupt', []);
    await writeFile(path.join(dir, 'unrolls.jsonl'), 'not json\n{"run_id": 3}\n');
    const err = await fails(dir);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(
      /unrolls\.jsonl holds no valid unroll record: all 2 line\(s\) are bad \(line 1: not valid JSON/,
    );
  });

  it('reports a partly corrupt run, listing the skipped lines', async () => {
    const run = await syntheticRun(root, 'partly', { tasks: 6, unrolls: 4, tests: 3, seed: 1 });
    await writeFile(path.join(run.dir, 'unrolls.jsonl'), `${await read(path.join(run.dir, 'unrolls.jsonl'))}garbage\n`);
    const written = await writeReport(run.dir, { bootstrap: 0 });
    expect(written.report.warnings).toEqual([
      expect.stringMatching(/unrolls\.jsonl:25: skipped a bad line: not valid JSON/),
    ]);
    expect(await read(written.files.html)).toContain('Warnings about unrolls.jsonl');
  });

  it('says which expected.json is malformed', async () => {
    const run = await syntheticRun(root, 'bad-expected', { tasks: 4, unrolls: 2, tests: 2, seed: 1 });
    await writeFile(
      path.join(run.dir, 'expected.json'),
      '{"format": "hotmess.expected/1", "tasks": [{"instanceId": 1}]}',
    );
    const err = await fails(run.dir);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/expected\.json is not a valid expected\.json \(tasks\.0\.instanceId: /);
  });
});

describe.skipIf(!haveShared)('writeReport on an imported per-run resolved table', () => {
  let written: Awaited<ReturnType<typeof writeReport>>;
  let html: string;
  let md: string;

  beforeAll(async () => {
    const table = path.join(swebench, 'multi-run/kkkkkk0725_swebench-reliability-study/scored/per_run_results.json');
    const runs = ['i0_run1', 'i0_run2', 'i0_run3', 'i0_run4', 'i0_run5'];
    const imported = await importRun({ source: { kind: 'table', file: table, runs }, root, runId: 'resolved-table' });
    written = await writeReport(imported.runDir, { bootstrap: 100 });
    html = await read(written.files.html);
    md = await read(written.files.markdown);
  });

  it('opens report.html and report.md with the resolved-only banner', () => {
    expect(written.report.stats.resolvedOnly).toBe(true);
    expect(written.report.resolvedOnlyBanner).toBe(resolvedOnlyBanner);
    expect(resolvedOnlyBanner).toMatch(
      /treat "resolved" as the only test of each task: a task's incoherence is then exactly its resolve rate p/,
    );
    const banner = html.indexOf('data-banner="resolved-only"');
    expect(banner).toBeGreaterThan(0);
    expect(banner).toBeLessThan(html.indexOf('<header>'));
    expect(html).toContain(`RESOLVED-ONLY DATA. ${resolvedOnlyBanner.replace(/"/g, '&quot;')}`);
    expect(md.split('\n')[2]).toBe(`> **RESOLVED-ONLY DATA.** ${resolvedOnlyBanner}`);
  });

  it('shows the FAIL_TO_PASS / PASS_TO_PASS split as not applicable', () => {
    expect(html).not.toContain('data-row="fail-to-pass"');
    expect(html).not.toContain('data-row="pass-to-pass"');
    const row = html.slice(
      html.indexOf('data-row="category-split"'),
      html.indexOf('</tr>', html.indexOf('data-row="category-split"')),
    );
    expect(row).toContain('<td>FAIL_TO_PASS / PASS_TO_PASS split</td><td>not applicable: resolved only</td>');
    expect(md).not.toContain('FAIL_TO_PASS tests only');
    expect(md).toContain('| FAIL_TO_PASS / PASS_TO_PASS split | not applicable: resolved only |');
    expect(md).toContain(
      '| FAIL_TO_PASS vs PASS_TO_PASS | Not applicable: resolved-only data has the one test "resolved" per task. |',
    );
  });

  it('ensembles only the tasks with enough unrolls for 2 ensembles', () => {
    // 3 to 5 unrolls per task: size 2 needs 4, so the tasks with 3 sit it out.
    const ensembling = written.report.stats.ensembling;
    expect(ensembling.map((p) => p.size)).toEqual([1, 2]);
    expect(ensembling[0]?.mean.tasks).toBe(100);
    expect(ensembling[1]?.mean.tasks).toBe(written.report.stats.tasks.filter((t) => t.unrolls >= 4).length);
    expect(ensembling[1]?.mean.tasks).toBeLessThan(100);
    expect(md).toMatch(/\| 2 \| \d+ \| ≥2 \|/);
  });
});

describe('compare', () => {
  it('names each bucket as its share of the run when the runs have different bucket counts', async () => {
    const wide = await syntheticRun(root, 'cmp-wide', { tasks: 10, unrolls: 4, tests: 3, seed: 2 });
    const narrow = await syntheticRun(root, 'cmp-narrow', { tasks: 2, unrolls: 4, tests: 3, seed: 4 });
    const runs = await compareRuns([wide.dir, narrow.dir], { bootstrap: 0 });
    const rows = compareBucketTable(runs).slice(1);
    expect(rows).toHaveLength(5);
    expect(rows[1]?.[1]).toMatch(/^\S+ \(2\/5, actions /);
    expect(rows[1]?.[2]).toMatch(/^\S+ \(2\/2, actions /);
    expect(rows[4]?.[2]).toBe('—');
    const same = compareBucketTable(await compareRuns([wide.dir, wide.dir], { bootstrap: 0 }));
    expect(same[1]?.[1]).toMatch(/^\S+ \(actions /);
  });
});
