import {
  comparePaired,
  pairTasks,
  pairedFigureNames,
  type PairedComparison,
  type PairedDiff,
} from '../stats/paired.ts';
import type { ComparedRun } from './compare.ts';

const labels: Record<(typeof pairedFigureNames)[number], string> = {
  resolveRate: 'Resolve rate',
  passRate: 'Test pass rate',
  error: 'Error',
  bias2: 'Bias²',
  variance: 'Variance',
  incoherence: 'Incoherence',
};

const num = (x: number | null) => (x === null ? '—' : x.toFixed(3));
const signed = (x: number | null) => (x === null ? '—' : x >= 0 ? `+${x.toFixed(3)}` : x.toFixed(3));

function deltaCell(d: PairedDiff): string {
  const { value, lo, hi } = d.diff;
  return lo === null || hi === null ? signed(value) : `${signed(value)} [${signed(lo)}, ${signed(hi)}]`;
}

/** Each run after the first against the first, on the tasks both share (paired bootstrap over tasks). */
export function pairedComparisons(
  runs: readonly ComparedRun[],
  options: { resamples?: number; seed?: number; level?: number; buckets?: number } = {},
): { base: ComparedRun; run: ComparedRun; comparison: PairedComparison | null }[] {
  const [base, ...rest] = runs;
  if (base === undefined) return [];
  return rest.map((run) => {
    const { pairs, onlyA, onlyB } = pairTasks(base.report.stats.tasks, run.report.stats.tasks);
    return {
      base,
      run,
      comparison: pairs.length === 0 ? null : comparePaired(pairs, { ...options, swapDraws: 0 }, { onlyA, onlyB }),
    };
  });
}

/** Figure | A | B | B − A [CI] | per-task r. */
export function pairedTable(base: ComparedRun, run: ComparedRun, c: PairedComparison): string[][] {
  return [
    ['Figure', base.label, run.label, `${run.label} − ${base.label} [${Math.round(c.level * 100)}% CI]`, 'Per-task r'],
    ...pairedFigureNames.map((name) => {
      const d = c.overall[name];
      return [labels[name], num(d.a), num(d.b), deltaCell(d), d.correlation === null ? '—' : d.correlation.toFixed(2)];
    }),
  ];
}

/** One row per action-count bucket of the shared tasks: the difference of every figure. */
export function pairedBucketTable(c: PairedComparison): string[][] {
  return [
    ['Bucket', 'Tasks', 'Mean actions', ...pairedFigureNames.map((n) => `Δ ${labels[n]}`)],
    ...c.buckets.map((b) => [
      String(b.index + 1),
      String(b.tasks),
      `${b.range[0].toFixed(1)}–${b.range[1].toFixed(1)}`,
      ...pairedFigureNames.map((n) => deltaCell(b.figures[n])),
    ]),
  ];
}

export function pairedHeading(base: ComparedRun, run: ComparedRun, c: PairedComparison | null): string {
  if (c === null) return `${run.label} vs ${base.label}: no shared task, so no paired comparison.`;
  const left =
    c.onlyA + c.onlyB > 0
      ? ` (${c.onlyA} task(s) only in ${base.label} and ${c.onlyB} only in ${run.label} left out)`
      : '';
  return `${run.label} vs ${base.label}, paired on the ${c.tasks} tasks both ran${left}: bootstrap over tasks, both runs' values of a drawn task together.`;
}
