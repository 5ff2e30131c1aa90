import { limitStopReasons, type UnrollRecord } from '../store/unroll-record.ts';
import { groupPatches, type PatchGroup } from './patch-groups.ts';

export interface UnrollRow {
  readonly unroll: number;
  /** RESOLVED_FULL / _PARTIAL / _NO, or why there is no grade (infrastructure failure, no record). */
  readonly outcome: string;
  readonly actions: number;
  readonly stopReason: string;
  readonly costUsd: number;
  readonly gradingStatus: string;
  /** Label of the unroll's patch group. */
  readonly patch: string;
  readonly passed: number;
  readonly tests: number;
}

export interface MatrixRow {
  readonly id: string;
  readonly category: 'FAIL_TO_PASS' | 'PASS_TO_PASS';
  /** Per unroll (in `unrolls` order): true passed, false failed, null no result (infrastructure failure). */
  readonly passes: (boolean | null)[];
  readonly passRate: number;
}

export interface TaskSummary {
  readonly instanceId: string;
  readonly unrolls: number[];
  readonly rows: UnrollRow[];
  readonly groups: PatchGroup[];
  readonly matrix: MatrixRow[];
  readonly resolved: number;
  /** Unrolls stopped by a limit (graded as "no change" under the default limit rule). */
  readonly limitStopped: number;
}

export function outcomeOf(record: UnrollRecord): string {
  if (record.infra_error !== null) return 'INFRA_FAILURE';
  return `RESOLVED_${record.resolution}`;
}

/**
 * Every unroll of one task at a glance: its outcome, its patch group (the same normalised diff, same letter),
 * and which tests it passed. One wrong patch everywhere is bias; many different patches is variance.
 */
export function summariseTask(
  instanceId: string,
  records: readonly UnrollRecord[],
  patches: ReadonlyMap<number, string>,
): TaskSummary {
  const sorted = [...records].sort((a, b) => a.unroll - b.unroll);
  const groups = groupPatches(sorted.map((r) => ({ unroll: r.unroll, patch: patches.get(r.unroll) ?? '' })));
  const groupOf = new Map(groups.flatMap((g) => g.unrolls.map((u) => [u, g.label] as const)));
  const tests = new Map<string, MatrixRow['category']>();
  for (const r of sorted) for (const t of r.tests) if (!tests.has(t.id)) tests.set(t.id, t.category);
  const ordered = [...tests].sort(
    ([a, ca], [b, cb]) => (ca === cb ? 0 : ca === 'FAIL_TO_PASS' ? -1 : 1) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const matrix = ordered.map(([id, category]) => {
    const passes = sorted.map((r) => {
      if (r.infra_error !== null) return null;
      return r.tests.find((t) => t.id === id)?.pass ?? null;
    });
    const known = passes.filter((p) => p !== null);
    return { id, category, passes, passRate: known.length === 0 ? 0 : known.filter(Boolean).length / known.length };
  });
  const rows = sorted.map((r) => ({
    unroll: r.unroll,
    outcome: outcomeOf(r),
    actions: r.actions,
    stopReason: r.stop_reason,
    costUsd: r.cost_usd,
    gradingStatus: r.grading_status,
    patch: groupOf.get(r.unroll) ?? '-',
    passed: r.tests.filter((t) => t.pass).length,
    tests: r.tests.length,
  }));
  return {
    instanceId,
    unrolls: sorted.map((r) => r.unroll),
    rows,
    groups,
    matrix,
    resolved: sorted.filter((r) => r.infra_error === null && r.resolution === 'FULL').length,
    limitStopped: sorted.filter((r) => limitStopReasons.includes(r.stop_reason)).length,
  };
}
