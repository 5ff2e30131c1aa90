import type { ValidationCheck, ValidationReport, ValidationRun } from './validate.ts';

const firstChecks = ['image', 'sim spec', 'empty', 'gold'];

/**
 * The rows `hotmess validate` prints: task, check, expected and observed failing tests (per repeat when they
 * differ), and ok or MISMATCH with the tests that differ named. Empty and gold come first in each task.
 */
export function validationRows(report: ValidationReport): { cells: string[]; ok: boolean }[] {
  const rank = (c: ValidationCheck) => {
    const i = firstChecks.indexOf(c.check);
    return i < 0 ? firstChecks.length : i;
  };
  const sorted = [...report.checks].sort((a, b) => a.instance_id.localeCompare(b.instance_id) || rank(a) - rank(b));
  return sorted.map((c) => ({
    cells: [
      c.instance_id,
      c.check,
      c.runs.length ? `${c.expectedFails.length} fail` : '',
      observed(c.runs),
      c.ok ? 'ok' : `${verdict(c)} ${mismatch(c)}`,
    ],
    ok: c.ok,
  }));
}

/**
 * A failed check's label: a task whose image did not build or whose sim spec did not load was never compared
 * with what it declares, so it is not called a mismatch.
 */
export function verdict(c: ValidationCheck): 'ok' | 'MISMATCH' | 'BUILD FAILED' | 'SPEC INVALID' {
  if (c.ok) return 'ok';
  if (c.runs.length === 0 && c.check === 'image') return 'BUILD FAILED';
  if (c.runs.length === 0 && c.check === 'sim spec') return 'SPEC INVALID';
  return 'MISMATCH';
}

function observed(runs: readonly ValidationRun[]): string {
  const each = runs.map((r) => (r.gradingStatus === 'graded' ? `${r.fails.length} fail` : r.gradingStatus));
  const distinct = [...new Set(each)];
  if (distinct.length === 1 && runs.length > 1) return `${distinct[0]} (×${runs.length})`;
  return each.join(' / ');
}

function mismatch(c: ValidationCheck): string {
  const parts: string[] = [];
  if (c.problem) parts.push(c.problem);
  if (c.unexpectedFails.length) parts.push(`unexpected fails: ${c.unexpectedFails.join(', ')}`);
  if (c.unexpectedPasses.length) parts.push(`unexpected passes: ${c.unexpectedPasses.join(', ')}`);
  if (c.flaky.length) parts.push(`flaky: ${c.flaky.join(', ')}`);
  return parts.join('; ');
}

/** The closing line: checks ok, tasks, gradings, flaky tests and the total wall time. */
export function validationSummary(report: ValidationReport): string {
  const flaky = report.flakyTests.length ? `; ${report.flakyTests.length} flaky test(s)` : '';
  return `${report.checks.length - report.mismatches}/${report.checks.length} checks ok on ${report.tasks} task(s), ${report.gradings} gradings${flaky}; wall time ${(report.wallMs / 1000).toFixed(1)} s`;
}
