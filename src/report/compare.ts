import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../errors.ts';
import { formatEstimate } from '../stats/format.ts';
import { RunStoreError } from '../store/errors.ts';
import { buildReport, type Report, type ReportOptions } from './build.ts';
import { compareBucketsChart } from './charts/compare.ts';
import { esc } from './charts/svg.ts';
import { fmtCount, fmtNumber, fmtPercent, fmtRange } from './format.ts';
import { ruleLabel } from './headline.ts';
import { reportCss } from './html.ts';
import { loadRun } from './load.ts';
import { mdTable, mdText } from './markdown.ts';
import { pairedBucketTable, pairedComparisons, pairedHeading, pairedTable } from './paired.ts';

export interface ComparedRun {
  /** The run's id, made unique among the compared runs. */
  readonly label: string;
  readonly dir: string;
  readonly report: Report;
}

/** Reads and analyses every run with the same options, in the order given. */
export async function compareRuns(dirs: readonly string[], options: ReportOptions = {}): Promise<ComparedRun[]> {
  const runs: ComparedRun[] = [];
  const seen = new Map<string, number>();
  for (const dir of dirs) {
    const loaded = await loadRun(dir);
    const report = buildReport(loaded, options);
    const id = report.run.runId;
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    runs.push({ label: n === 1 ? id : `${id} (${n})`, dir: loaded.dir, report });
  }
  return runs;
}

/** One row per run: its headline figures under the applied rule, and the incoherence under the other rule. */
export function compareTable(runs: readonly ComparedRun[]): string[][] {
  const header = [
    'Run',
    'Model',
    'Tasks',
    'Unrolls/task',
    'Incoherence [CI]',
    'Pass rate',
    'Resolve rate',
    'Error',
    'Bias²',
    'Variance',
    'Incoherence, other limit rule',
  ];
  return [
    header,
    ...runs.map(({ label, report }) => {
      const s = report.stats;
      const f = s.overall;
      const other = s.limitRule.applied === 'no_change' ? 'grade' : 'no_change';
      const per = s.counts.unrollsPerTask;
      return [
        label + (report.simulated ? ' (simulated)' : '') + (s.resolvedOnly ? ' (resolved only)' : ''),
        report.run.model,
        fmtCount(s.counts.tasks),
        per.min === per.max ? String(per.min) : `${per.min}–${per.max}`,
        formatEstimate(f.incoherence),
        fmtPercent(f.passRate.value),
        fmtPercent(f.resolveRate?.value),
        fmtNumber(f.error.value),
        fmtNumber(f.bias2.value),
        fmtNumber(f.variance.value),
        `${fmtNumber(s.limitRule[other].incoherence.value)} ("${ruleLabel[other]}")`,
      ];
    }),
  ];
}

/** Incoherence of action-count bucket b of every run, side by side. */
export function compareBucketTable(runs: readonly ComparedRun[]): string[][] {
  const counts = runs.map((r) => r.report.stats.buckets.actions.buckets?.length ?? 0);
  const count = Math.max(0, ...counts);
  // Runs with fewer tasks than buckets have fewer buckets: bucket b is then not the same share in every run.
  const uneven = new Set(counts.filter((k) => k > 0)).size > 1;
  return [
    ['Bucket', ...runs.map((r) => r.label)],
    ...Array.from({ length: count }, (_, b) => [
      String(b + 1),
      ...runs.map((r) => {
        const bucket = r.report.stats.buckets.actions.buckets?.[b];
        const share = uneven ? `${b + 1}/${r.report.stats.buckets.actions.buckets?.length ?? 0}, ` : '';
        return bucket === undefined
          ? '—'
          : `${formatEstimate(bucket.figures.incoherence)} (${share}actions ${fmtRange(bucket.range)})`;
      }),
    ]),
  ];
}

function simulatedNote(runs: readonly ComparedRun[]): string | null {
  const sim = runs.filter((r) => r.report.simulated).map((r) => r.label);
  if (sim.length === 0) return null;
  return `${sim.join(', ')} ${sim.length === 1 ? 'is a calibration run' : 'are calibration runs'} on hotmess's simulated agent, not a real model.`;
}

export function renderCompareMarkdown(runs: readonly ComparedRun[]): string {
  const out: string[] = ['# hotmess compare'];
  const sim = simulatedNote(runs);
  if (sim !== null) out.push(`> **⚠ SIMULATED AGENT.** ${sim}`);
  out.push(mdTable(compareTable(runs)));
  out.push('## Incoherence by action-count bucket', mdTable(compareBucketTable(runs)));
  for (const { base, run, comparison } of pairedComparisons(runs)) {
    out.push(`## Paired: ${mdText(run.label)} vs ${mdText(base.label)}`, mdText(pairedHeading(base, run, comparison)));
    if (comparison !== null)
      out.push(mdTable(pairedTable(base, run, comparison)), mdTable(pairedBucketTable(comparison)));
  }
  return `${out.join('\n\n')}\n`;
}

export function renderCompareHtml(runs: readonly ComparedRun[]): string {
  const sim = simulatedNote(runs);
  const table = (rows: string[][]): string => {
    const [header = [], ...body] = rows;
    return (
      `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>` +
      body.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('') +
      `</tbody></table>`
    );
  };
  const series = runs.map((r) => ({ runId: r.label, buckets: r.report.stats.buckets.actions }));
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>hotmess compare</title><style>${reportCss}</style></head><body>` +
    (sim === null
      ? ''
      : `<div class="sim-banner" role="alert" data-banner="simulated">⚠ SIMULATED AGENT. ${esc(sim)}</div>`) +
    `<h1>hotmess compare</h1>${table(compareTable(runs))}` +
    `<h2>Incoherence by action-count bucket</h2><figure class="chart">${compareBucketsChart(series)}` +
    `<figcaption>Bucket b holds the b-th of K equal shares of each run's tasks, sorted by mean action count.</figcaption></figure>` +
    `${table(compareBucketTable(runs))}` +
    pairedComparisons(runs)
      .map(
        ({ base, run, comparison }) =>
          `<section class="paired"><h2>Paired: ${esc(run.label)} vs ${esc(base.label)}</h2><p>${esc(pairedHeading(base, run, comparison))}</p>` +
          (comparison === null
            ? ''
            : table(pairedTable(base, run, comparison)) + table(pairedBucketTable(comparison))) +
          '</section>',
      )
      .join('') +
    `</body></html>\n`
  );
}

export async function writeCompareHtml(file: string, runs: readonly ComparedRun[]): Promise<string> {
  const target = path.resolve(file);
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, renderCompareHtml(runs));
  } catch (err) {
    throw new RunStoreError(`Cannot write ${target} (${errorMessage(err)}).`, target, err);
  }
  return target;
}
