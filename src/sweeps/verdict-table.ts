import { mdTable } from '../report/markdown.ts';
import { formatEstimate } from '../stats/format.ts';
import type { PairedDiff } from '../stats/paired.ts';
import type { CellResult } from './nightly.ts';
import type { SweepState } from './state.ts';
import { describeBreach } from './verdict.ts';

const signed = (x: number) => (x >= 0 ? `+${x.toFixed(3)}` : x.toFixed(3));

function delta(d: PairedDiff | undefined): string {
  if (d === undefined || d.diff.value === null) return '—';
  const { value, lo, hi } = d.diff;
  const ci = lo === null || hi === null ? '' : ` [${signed(lo)}, ${signed(hi)}]`;
  return `${signed(value)}${ci}${d.correlation === null ? '' : ` r=${d.correlation.toFixed(2)}`}`;
}

/** One row per cell: its figures, the paired differences against the previous sweep (95%), and the verdict. */
export function verdictRows(results: readonly CellResult[]): string[][] {
  return [
    [
      'Cell',
      'Model',
      'Tasks',
      'Resolve rate',
      'Δ resolve',
      'Test pass rate',
      'Δ test pass',
      'Incoherence',
      'Δ incoherence',
      'pass@1',
      'pass^R',
      'Flips',
      'vs',
      'Verdict',
    ],
    ...results.map(({ cell, model, analysis }) => {
      const o = analysis.stats.overall;
      const c = analysis.comparison?.overall;
      const r = analysis.stats.reliability;
      return [
        cell.name,
        model,
        String(analysis.stats.counts.tasks),
        formatEstimate(o.resolveRate),
        delta(c?.resolveRate),
        formatEstimate(o.passRate),
        delta(c?.passRate),
        formatEstimate(o.incoherence),
        delta(c?.incoherence),
        (r.passAtK[0] ?? 0).toFixed(3),
        `${(r.passHatK.at(-1) ?? 0).toFixed(3)} (k=${r.k.length})`,
        `${Math.round(r.flipShare * 100)}%`,
        analysis.line.comparison?.against ?? '—',
        analysis.verdict.status === 'no_baseline' ? 'first night' : analysis.verdict.status.toUpperCase(),
      ];
    }),
  ];
}

/** Plain-text table for the terminal, columns padded. */
export function formatVerdictTable(results: readonly CellResult[]): string {
  const rows = verdictRows(results);
  const widths = (rows[0] ?? []).map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, j) => cell.padEnd(widths[j] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The breaches of every cell, one line each. */
export function breachLines(results: readonly CellResult[]): string[] {
  return results.flatMap((r) => r.analysis.verdict.breaches.map((b) => `${r.cell.name}: ${describeBreach(b)}`));
}

/** logs/sweeps/<name>/<id>/verdict.md. */
export function verdictMarkdown(state: SweepState, results: readonly CellResult[]): string {
  const regression = results.some((r) => r.analysis.verdict.status === 'regression');
  const breaches = breachLines(results);
  return (
    [
      `# hotmess sweep ${state.name} ${state.id}: ${regression ? 'REGRESSION' : 'no regression'}`,
      `Started ${state.started_at}; ${state.instance_ids.length} tasks (${state.instances}, revision ${state.tasks_revision ?? 'unknown'}); seed ${state.seed}. ` +
        'Δ = this sweep − the same cell of the previous sweep on the tasks both share, with its 95% paired bootstrap interval over tasks and the per-task correlation r.',
      mdTable(verdictRows(results)),
      breaches.length === 0 ? '_No threshold was crossed._' : breaches.map((b) => `- ${b}`).join('\n'),
    ].join('\n\n') + '\n'
  );
}
