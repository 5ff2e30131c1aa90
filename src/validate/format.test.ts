import { describe, expect, it } from 'vitest';
import { compareRuns, failedCheck } from './compare.ts';
import { validationRows, validationSummary } from './format.ts';
import type { ValidationReport } from './validate.ts';

const lists = { FAIL_TO_PASS: ['f1'], PASS_TO_PASS: ['p1', 'p2'] };
const graded = (fails: string[]) => ({ gradingStatus: 'graded' as const, fails });

describe('validate table', () => {
  const checks = [
    compareRuns('t__b', lists, 'w_one', ['p1'], [graded(['p1']), graded(['p1'])]),
    compareRuns('t__b', lists, 'gold', [], [graded([]), graded(['p2'])]),
    compareRuns('t__b', lists, 'empty', ['f1'], [graded(['f1']), { gradingStatus: 'test_timeout', fails: [] }]),
    failedCheck('t__a', 'image', 'Instance t__a: its source /x does not exist.'),
  ];
  const spec = failedCheck('t__c', 'sim spec', 'spec.yaml: candidates: expected a map');
  const report: ValidationReport = {
    checks,
    tasks: 2,
    mismatches: 3,
    flakyTests: [{ instance_id: 't__b', test: 'p2' }],
    gradings: 6,
    wallMs: 12_345,
  };

  it('puts image, empty and gold first, shows every repeat, and names what differs', () => {
    expect(validationRows(report).map((r) => r.cells)).toEqual([
      ['t__a', 'image', '', '', 'BUILD FAILED Instance t__a: its source /x does not exist.'],
      ['t__b', 'empty', '1 fail', '1 fail / test_timeout', 'MISMATCH grading ended as test_timeout'],
      ['t__b', 'gold', '0 fail', '0 fail / 1 fail', 'MISMATCH unexpected fails: p2; flaky: p2'],
      ['t__b', 'w_one', '1 fail', '1 fail (×2)', 'ok'],
    ]);
  });

  it('calls a task that could not be checked what it is, not a mismatch', () => {
    expect(validationRows({ ...report, checks: [spec] })[0]?.cells.at(-1)).toBe(
      'SPEC INVALID spec.yaml: candidates: expected a map',
    );
  });

  it('closes with the counts and the wall time', () => {
    expect(validationSummary(report)).toBe('1/4 checks ok on 2 task(s), 6 gradings; 1 flaky test(s); wall time 12.3 s');
  });
});
