import { lengthMetrics } from '../stats/types.ts';
import type { Report } from './build.ts';
import { metricTitle } from './charts/buckets.ts';
import { fmtLevel } from './format.ts';
import { headlineTable } from './headline.ts';
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

/**
 * Text shown as written: task ids, model names, test ids and notes may hold markup (`<script>`, `*bold*`, a
 * backslash before a pipe) that a markdown renderer would otherwise act on.
 */
export function mdText(text: string): string {
  // Brackets and an underscore inside a word make no markup, and numbers such as `0.4 [0.3, 0.5]` stay readable.
  return text.replace(/[\\`*<|~&]|(?<!\w)_|_(?!\w)/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}

/** A GitHub-flavoured markdown table whose cells are plain text. */
export function mdTable(rows: readonly (readonly string[])[]): string {
  const cell = mdText;
  const [header, ...body] = rows;
  if (header === undefined) return '';
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...body.map(line)].join('\n');
}

export function mdBanner(banner: string): string {
  return `> **⚠ SIMULATED AGENT — CALIBRATION RUN.** ${banner}`;
}

/** report.md: the same sections as report.html, with tables in place of charts. */
export function renderMarkdown(report: Report): string {
  const { stats } = report;
  const out: string[] = [];
  const level = fmtLevel(stats.options.bootstrap.level);
  out.push(`# hotmess report: ${mdText(report.run.runId)}`);
  if (report.banner !== null) out.push(mdBanner(report.banner));
  if (report.resolvedOnlyBanner !== null) out.push(`> **RESOLVED-ONLY DATA.** ${report.resolvedOnlyBanner}`);
  out.push(
    `Model **${mdText(report.run.model)}**, ${stats.counts.tasks} tasks, ${stats.counts.used} unrolls. Incoherence = variance / error; intervals are ${level} bootstrap intervals over tasks.`,
  );

  out.push('## Headline', mdTable(headlineTable(report)));
  out.push(
    '## Critique checks',
    mdTable([
      ['Check', 'Finding', 'Holds'],
      ...critiqueChecks(report).map((c) => [c.check, c.finding, c.holds === null ? '' : c.holds ? 'yes' : 'NO']),
    ]),
  );
  if (report.expected !== null) {
    out.push(
      '## Expected vs measured (simulated agent)',
      report.expected.notes.map((n) => `- ${mdText(n)}`).join('\n'),
    );
    if (report.expected.overall !== null) out.push(mdTable(expectedTable(report.expected)));
  }
  for (const metric of lengthMetrics) {
    const view = stats.buckets[metric];
    out.push(`## By ${metricTitle[metric]}`);
    if (view.buckets === null) out.push(`_${view.note ?? 'No buckets.'}_`);
    else out.push(mdTable(bucketTable(view, metric === 'actions' ? (report.expected?.buckets ?? null) : null)));
  }
  out.push("## Below vs at/above each task's median action count");
  if (stats.medianSplit === null) out.push('_No task has unrolls on both sides of its median action count._');
  else {
    out.push(
      `${stats.medianSplit.tasks} tasks split; ${stats.medianSplit.excludedTasks} left out (all unrolls on one side).`,
      mdTable(medianSplitTable(stats.medianSplit)),
    );
  }
  out.push('## Ensembling', ...ensemblingText(stats));
  out.push(
    stats.ensembling.length === 0
      ? '_No task has the 2 unrolls that two ensembles need._'
      : mdTable(ensemblingTable(stats.ensembling)),
  );
  out.push('## Reliability', mdText(reliabilityText(stats.reliability)), mdTable(reliabilityTable(stats.reliability)));
  out.push('## Notes', stats.notes.length === 0 ? '_None._' : stats.notes.map((n) => `- ${mdText(n)}`).join('\n'));
  if (report.warnings.length > 0)
    out.push('## Warnings about unrolls.jsonl', report.warnings.map((w) => `- ${mdText(w)}`).join('\n'));
  out.push('## Counts', mdTable([['', ''], ...countRows(report)]));
  out.push('## Run', mdTable([['', ''], ...runRows(report)]));
  out.push('## Per task', mdTable(taskTable(report)));
  if (report.banner !== null) out.push(mdBanner(report.banner));
  return `${out.join('\n\n')}\n`;
}
