import type { GradingStatus, Resolution, TestOutcome, UnrollRecord } from '../store/unroll-record.ts';
import type { TaskTestLists } from '../stats/matrix.ts';

/** One unroll converted from another tool's results, with the files that go beside it in the run directory. */
export interface ImportedUnroll {
  readonly record: UnrollRecord;
  /** The model patch, when the source has it (written to patches/ and predictions.jsonl). */
  readonly patch?: string;
  /** The raw test log, when the source has it (written to grading/). */
  readonly testLog?: string;
}

export interface ImportedFields {
  readonly instance_id: string;
  readonly unroll: number;
  readonly model: string;
  readonly grading_status: GradingStatus;
  readonly tests: TestOutcome[];
  readonly resolution: Resolution;
  readonly infra_error?: string | null;
  readonly patch_bytes?: number;
  readonly source: string;
  readonly resolved_only: boolean;
}

/**
 * An unroll record for imported data. What the source does not know is recorded as 0 (actions, turns,
 * messages, tokens, cost, time, seed) and the record is marked `imported`, so the statistics know that lengths
 * are missing. The stop reason is `submitted`: nothing says a limit was hit. run_id is set when the run is written.
 */
export function importedRecord(fields: ImportedFields): UnrollRecord {
  return {
    run_id: '',
    instance_id: fields.instance_id,
    unroll: fields.unroll,
    seed: 0,
    model: fields.model,
    stop_reason: 'submitted',
    grading_status: fields.grading_status,
    tests: fields.tests,
    resolution: fields.resolution,
    infra_error: fields.infra_error ?? null,
    actions: 0,
    turns: 0,
    messages: 0,
    input_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    cost_usd: 0,
    wall_ms: 0,
    attempts: 1,
    patch_bytes: fields.patch_bytes ?? 0,
    started_at: '',
    finished_at: '',
    imported: { source: fields.source, resolved_only: fields.resolved_only },
  };
}

/**
 * "No change" (DESIGN.md §7): the outcomes of a work tree left as it was — FAIL_TO_PASS tests fail,
 * PASS_TO_PASS tests pass. Their status is MISSING: no log says so, the rule does.
 */
export function noChangeTests(lists: TaskTestLists): TestOutcome[] {
  return [
    ...lists.FAIL_TO_PASS.map((id): TestOutcome => ({ id, category: 'FAIL_TO_PASS', status: 'MISSING', pass: false })),
    ...lists.PASS_TO_PASS.map((id): TestOutcome => ({ id, category: 'PASS_TO_PASS', status: 'MISSING', pass: true })),
  ];
}

/** Every listed test failing, as when the test run produced no results (it timed out). */
export function allFailTests(lists: TaskTestLists): TestOutcome[] {
  return [
    ...lists.FAIL_TO_PASS.map((id): TestOutcome => ({ id, category: 'FAIL_TO_PASS', status: 'MISSING', pass: false })),
    ...lists.PASS_TO_PASS.map((id): TestOutcome => ({ id, category: 'PASS_TO_PASS', status: 'MISSING', pass: false })),
  ];
}
