import { lengthMetrics, type LengthMetric } from '../stats/types.ts';
import type { Report } from './build.ts';
import { bucketIncoherenceChart, metricTitle } from './charts/buckets.ts';
import { ensemblingChart } from './charts/ensembling.ts';
import { medianSplitChart } from './charts/median-split.ts';
import { taskScatterChart } from './charts/scatter.ts';
import { esc } from './charts/svg.ts';
import { stackedBucketChart } from './charts/stacked.ts';
import { fmtLevel } from './format.ts';
import { taskPageHref } from './pages.ts';
import { headlineCells, headlineHeader, headlineRows } from './headline.ts';
import {
  bucketTable,
  countRows,
  critiqueChecks,
  ensemblingTable,
  ensemblingText,
  expectedTable,
  medianSplitTable,
  reliabilityTable,
  reliabilityText,
  runRows,
  taskTable,
} from './sections.ts';

/** The page's only styling: inline, no fonts or files fetched. */
export const reportCss = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, sans-serif; color: #1d1d1d; margin: 0 auto; padding: 0 24px 48px; max-width: 1180px; }
h1 { font-size: 22px; margin: 20px 0 4px; }
h2 { font-size: 17px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.sim-banner { position: sticky; top: 0; z-index: 10; background: #fff3cd; border: 2px solid #d48806; color: #5c3b00;
  padding: 10px 14px; margin: 0 -24px; font-weight: 600; }
.sim-banner.bottom { position: static; margin-top: 32px; }
.resolved-banner { background: #e8f1fb; border: 2px solid #3b73b9; color: #123a66; padding: 10px 14px; margin: 8px -24px 0; font-weight: 600; }
.lede { color: #444; margin: 0 0 8px; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; display: block; max-width: 100%; overflow-x: auto; }
th, td { border-bottom: 1px solid #e6e6e6; padding: 4px 10px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { background: #f6f6f6; font-weight: 600; }
table.wrap td, table.wrap th { white-space: normal; text-align: left; }
tr.applied td { font-weight: 600; }
td.holds-yes { color: #1a7f37; font-weight: 600; } td.holds-no { color: #c62828; font-weight: 700; }
figure.chart { margin: 12px 0; display: inline-block; vertical-align: top; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 12px; max-width: 560px; }
.scroll { max-height: 560px; overflow: auto; border: 1px solid #e6e6e6; }
.scroll table { display: table; overflow: visible; margin: 0; }
.scroll th { position: sticky; top: 0; }
ul.notes li { margin: 2px 0; }
`;

function htmlTable(
  rows: readonly (readonly string[])[],
  options: {
    className?: string;
    rowKeys?: readonly string[];
    rowClasses?: readonly string[];
    /** A link for each row's first cell. */
    rowLinks?: readonly string[];
  } = {},
): string {
  const [header, ...body] = rows;
  if (header === undefined) return '';
  const head = `<thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`;
  const trs = body
    .map((cells, i) => {
      const key = options.rowKeys?.[i];
      const cls = options.rowClasses?.[i];
      const attrs = `${key === undefined ? '' : ` data-row="${esc(key)}"`}${cls ? ` class="${esc(cls)}"` : ''}`;
      const link = options.rowLinks?.[i];
      const cell = (c: string, j: number) =>
        j === 0 && link !== undefined ? `<td><a href="${esc(link)}">${esc(c)}</a></td>` : `<td>${esc(c)}</td>`;
      return `<tr${attrs}>${cells.map(cell).join('')}</tr>`;
    })
    .join('');
  return `<table${options.className ? ` class="${options.className}"` : ''}>${head}<tbody>${trs}</tbody></table>`;
}

function figure(svg: string, caption: string): string {
  return `<figure class="chart">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

function list(items: readonly string[], empty: string): string {
  return items.length === 0
    ? `<p>${esc(empty)}</p>`
    : `<ul class="notes">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
}

function banner(text: string, position: 'top' | 'bottom'): string {
  return `<div class="sim-banner${position === 'bottom' ? ' bottom' : ''}" role="alert" data-banner="simulated">⚠ SIMULATED AGENT — CALIBRATION RUN. ${esc(text)}</div>`;
}

function bucketSection(report: Report, metric: LengthMetric): string {
  const view = report.stats.buckets[metric];
  const expected = metric === 'actions' ? (report.expected?.buckets ?? null) : null;
  const heading = `<h2>Incoherence by ${esc(metricTitle[metric])}</h2>`;
  if (view.buckets === null)
    return `<section id="buckets-${metric}">${heading}<p>${esc(view.note ?? 'No buckets.')}</p></section>`;
  const k = view.buckets.length;
  return (
    `<section id="buckets-${metric}">${heading}` +
    `<p class="lede">Tasks sorted by their mean ${esc(metricTitle[metric])} and split into ${k} equal-count buckets; each bucket's incoherence is Σ variance / Σ error over its tasks.</p>` +
    figure(
      bucketIncoherenceChart(view, expected?.map((b) => b.expected.incoherence) ?? null),
      `Incoherence per bucket with its bootstrap interval${expected ? '; dashed red: the simulated agent’s expected incoherence' : ''}.`,
    ) +
    figure(
      stackedBucketChart(view),
      'Error per bucket split into bias² (every unroll wrong the same way) and variance (unrolls disagree).',
    ) +
    htmlTable(bucketTable(view, expected)) +
    `</section>`
  );
}

/** report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched). */
export function renderHtml(report: Report, options: { taskLinks?: boolean } = {}): string {
  const { stats } = report;
  const level = fmtLevel(stats.options.bootstrap.level);
  const rows = headlineRows(report);
  const checks = critiqueChecks(report);
  const body: string[] = [];
  if (report.banner !== null) body.push(banner(report.banner, 'top'));
  if (report.resolvedOnlyBanner !== null) {
    body.push(
      `<div class="resolved-banner" role="note" data-banner="resolved-only">RESOLVED-ONLY DATA. ${esc(report.resolvedOnlyBanner)}</div>`,
    );
  }
  body.push(
    `<header><h1>hotmess report: ${esc(report.run.runId)}</h1>` +
      `<p class="lede">Model <b>${esc(report.run.model)}</b> · ${stats.counts.tasks} tasks · ${stats.counts.used} unrolls · ` +
      `incoherence = variance / error, a ratio of sums over tasks · ${level} bootstrap intervals over tasks.</p></header>`,
  );
  body.push(
    `<section id="headline"><h2>Headline</h2>` +
      htmlTable([headlineHeader, ...rows.map((r) => headlineCells(r))], {
        className: 'headline',
        rowKeys: rows.map((r) => r.key),
        rowClasses: rows.map((r) => (r.key === 'applied' ? 'applied' : '')),
      }) +
      `</section>`,
  );
  const checkRows = checks
    .map((c) => {
      const holds =
        c.holds === null
          ? '<td></td>'
          : `<td class="holds-${c.holds ? 'yes' : 'no'}">${c.holds ? 'holds' : 'FAILS'}</td>`;
      return `<tr><td>${esc(c.check)}</td><td>${esc(c.finding)}</td>${holds}</tr>`;
    })
    .join('');
  body.push(
    `<section id="critique"><h2>Critique checks</h2><table class="wrap"><thead><tr><th>Check</th><th>Finding</th><th>Identity</th></tr></thead><tbody>${checkRows}</tbody></table></section>`,
  );
  if (report.expected !== null) {
    body.push(
      `<section id="expected"><h2>Expected vs measured (simulated agent)</h2>${list(report.expected.notes, '')}` +
        (report.expected.overall === null ? '' : htmlTable(expectedTable(report.expected), { className: 'expected' })) +
        `</section>`,
    );
  }
  body.push(bucketSection(report, 'actions'));
  const undefinedTasks = stats.tasks.filter((t) => t.incoherence === null).length;
  body.push(
    `<section id="scatter"><h2>Per task: length vs incoherence</h2>` +
      figure(
        taskScatterChart(stats.tasks),
        `One point per task${undefinedTasks > 0 ? `; ${undefinedTasks} task(s) never failed a test and have no incoherence` : ''}.`,
      ) +
      `</section>`,
  );
  const split = stats.medianSplit;
  body.push(
    `<section id="median-split"><h2>Below vs at/above each task's median action count</h2>` +
      figure(
        medianSplitChart(split),
        split === null
          ? ''
          : `${split.tasks} tasks split at their own median action count; ${split.excludedTasks} left out (all unrolls on one side).`,
      ) +
      (split === null ? '' : htmlTable(medianSplitTable(split))) +
      `</section>`,
  );
  body.push(
    `<section id="ensembling"><h2>Ensembling</h2>` +
      ensemblingText(stats)
        .map((text) => `<p class="lede">${esc(text)}</p>`)
        .join('') +
      figure(
        ensemblingChart(stats.ensembling),
        'Filled: the ensemble predicts its members’ mean per test; open: majority vote (a tie fails).',
      ) +
      htmlTable(ensemblingTable(stats.ensembling)) +
      `</section>`,
  );
  body.push(
    `<section id="reliability"><h2>Reliability</h2><p class="lede">${esc(reliabilityText(stats.reliability))}</p>` +
      htmlTable(reliabilityTable(stats.reliability)) +
      `</section>`,
  );
  for (const metric of lengthMetrics.filter((m) => m !== 'actions')) body.push(bucketSection(report, metric));
  body.push(
    `<section id="notes"><h2>Notes and counts</h2>${list(stats.notes, 'No notes.')}` +
      (report.warnings.length > 0 ? `<h3>Warnings about unrolls.jsonl</h3>${list(report.warnings, '')}` : '') +
      htmlTable([['Count', ''], ...countRows(report)], { className: 'counts wrap' }) +
      `</section>`,
  );
  body.push(
    `<section id="run"><h2>Run</h2>${htmlTable([['', ''], ...runRows(report)], { className: 'wrap' })}</section>`,
  );
  body.push(
    `<section id="tasks"><h2>Per task</h2>` +
      (options.taskLinks
        ? `<p class="lede">Each task links to its unrolls, patches and test matrix, and on to each trajectory.</p>`
        : '') +
      `<div class="scroll">${htmlTable(taskTable(report), {
        className: 'tasks',
        ...(options.taskLinks ? { rowLinks: report.stats.tasks.map((t) => taskPageHref(t.instance_id)) } : {}),
      })}</div></section>`,
  );
  if (report.banner !== null) body.push(banner(report.banner, 'bottom'));
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${report.simulated ? '[SIMULATED] ' : ''}hotmess report: ${esc(report.run.runId)}</title><style>${reportCss}</style></head>` +
    `<body>${body.join('\n')}</body></html>\n`
  );
}
