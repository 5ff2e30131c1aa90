import { formatEstimate } from '../stats/format.ts';
import type { Estimate, Figures, LimitRule } from '../stats/types.ts';
import type { Report } from './build.ts';
import type { ExpectedFigures } from './expected.ts';
import { fmtCount, fmtNumber, fmtPercent } from './format.ts';

export interface HeadlineRow {
  readonly key: 'applied' | 'other-rule' | 'fail-to-pass' | 'pass-to-pass' | 'category-split' | 'expected';
  readonly label: string;
  /** null: the row has no data (e.g. no task has PASS_TO_PASS tests); `absent` says why. */
  readonly figures: Figures | null;
  readonly absent?: string;
  readonly expected?: ExpectedFigures;
}

export const headlineHeader = [
  '',
  'Incoherence [CI]',
  'Pass rate',
  'Resolve rate',
  'Error',
  'Bias²',
  'Variance',
  'Tasks',
  'Unrolls',
];

const otherRule: Record<LimitRule, LimitRule> = { no_change: 'grade', grade: 'no_change' };
export const ruleLabel: Record<LimitRule, string> = { no_change: 'no change', grade: 'grade the diff' };

/**
 * The headline rows: the decomposition under the applied limit rule, the same under the other rule (the
 * rule's effect), FAIL_TO_PASS and PASS_TO_PASS apart (not applicable to resolved-only data, whose one test
 * "resolved" is no FAIL_TO_PASS test of the task), and the simulated agent's expectation when known.
 */
export function headlineRows(report: Report): HeadlineRow[] {
  const { stats } = report;
  const applied = stats.limitRule.applied;
  const other = otherRule[applied];
  const rows: HeadlineRow[] = [
    { key: 'applied', label: `All tests, limit rule "${ruleLabel[applied]}" (applied)`, figures: stats.overall },
    { key: 'other-rule', label: `All tests, limit rule "${ruleLabel[other]}"`, figures: stats.limitRule[other] },
  ];
  if (stats.resolvedOnly)
    rows.push({
      key: 'category-split',
      label: 'FAIL_TO_PASS / PASS_TO_PASS split',
      figures: null,
      absent: 'not applicable: resolved only',
    });
  else {
    rows.push(
      { key: 'fail-to-pass', label: 'FAIL_TO_PASS tests only', figures: stats.categories.FAIL_TO_PASS },
      { key: 'pass-to-pass', label: 'PASS_TO_PASS tests only', figures: stats.categories.PASS_TO_PASS },
    );
  }
  const expected = report.expected?.overall;
  if (expected)
    rows.push({
      key: 'expected',
      label: 'Expected (simulated agent, exact; rule "no change")',
      figures: null,
      expected: expected.expected,
    });
  return rows;
}

/** One row's cells, in `headlineHeader` order; `ci` adds intervals to every figure, not only incoherence. */
export function headlineCells(row: HeadlineRow, ci = false): string[] {
  if (row.expected) {
    const e = row.expected;
    return [
      row.label,
      fmtNumber(e.incoherence),
      fmtPercent(e.passRate),
      fmtPercent(e.resolveRate),
      fmtNumber(e.error),
      fmtNumber(e.bias2),
      fmtNumber(e.variance),
      fmtCount(e.tasks),
      '—',
    ];
  }
  const f = row.figures;
  if (f === null && row.absent !== undefined) return [row.label, row.absent, '—', '—', '—', '—', '—', '—', '—'];
  if (f === null) return [row.label, 'no such tests', '—', '—', '—', '—', '—', '0', '0'];
  const cell = (e: Estimate, format: (v: number | null) => string): string =>
    ci ? formatEstimate(e, { value: format }) : format(e.value);
  const number = (e: Estimate): string => cell(e, fmtNumber);
  const percent = (e: Estimate): string => cell(e, fmtPercent);
  return [
    row.label,
    formatEstimate(f.incoherence),
    percent(f.passRate),
    f.resolveRate === null ? 'n/a' : percent(f.resolveRate),
    number(f.error),
    number(f.bias2),
    number(f.variance),
    fmtCount(f.tasks),
    fmtCount(f.unrolls),
  ];
}

/** Header and rows as text cells (markdown and the terminal). */
export function headlineTable(report: Report, ci = false): string[][] {
  return [headlineHeader, ...headlineRows(report).map((row) => headlineCells(row, ci))];
}
