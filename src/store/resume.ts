import type { UnrollRecord } from './unroll-record.ts';
import { unrollKey } from './run-dir.ts';

/** One planned unroll of a run. */
export interface PlannedUnroll {
  readonly instance_id: string;
  readonly unroll: number;
}

export interface ResumePlan<P extends PlannedUnroll> {
  /** Planned unrolls already in unrolls.jsonl: never run again. */
  readonly done: P[];
  /** Planned unrolls still to run, in plan order. */
  readonly remaining: P[];
  /** Recorded unrolls that are not in the plan (a run resumed with a smaller plan); kept, not rerun. */
  readonly unplanned: UnrollRecord[];
}

export interface ResumeOptions {
  /** Rerun unrolls whose only record is an infrastructure error (the new record supersedes it on read). */
  readonly retryInfraErrors?: boolean;
}

/**
 * Resume bookkeeping (DESIGN.md §6): an unroll with a line in unrolls.jsonl is finished and kept; every other
 * planned unroll runs. Each (instance, unroll) appears once in `remaining` however often the plan names it.
 */
export function planResume<P extends PlannedUnroll>(
  planned: readonly P[],
  records: readonly UnrollRecord[],
  options: ResumeOptions = {},
): ResumePlan<P> {
  const finished = new Set<string>();
  for (const record of records) {
    if (options.retryInfraErrors && record.infra_error !== null) continue;
    finished.add(unrollKey(record.instance_id, record.unroll));
  }
  const plannedKeys = new Set<string>();
  const done: P[] = [];
  const remaining: P[] = [];
  for (const unroll of planned) {
    const key = unrollKey(unroll.instance_id, unroll.unroll);
    if (plannedKeys.has(key)) continue;
    plannedKeys.add(key);
    (finished.has(key) ? done : remaining).push(unroll);
  }
  const unplanned = records.filter((record) => !plannedKeys.has(unrollKey(record.instance_id, record.unroll)));
  return { done, remaining, unplanned };
}
