import { createHash } from 'node:crypto';

/**
 * The seed of one unroll, derived from the run's seed, the task and the unroll index, so that any unroll
 * can be rerun alone (or resumed) with the same seed, and unrolls of different tasks are independent.
 */
export function unrollSeed(runSeed: number, instanceId: string, unroll: number): number {
  const digest = createHash('sha256').update(`hotmess-unroll\0${runSeed}\0${instanceId}\0${unroll}`).digest();
  // 31 bits: a positive int that every provider's `seed` field accepts.
  return digest.readUInt32BE(0) >>> 1;
}

export interface PlannedUnroll {
  readonly instance_id: string;
  readonly unroll: number;
  readonly seed: number;
}

/** R unrolls of every task, interleaved (unroll 0 of every task first) so that a partial run covers all tasks. */
export function planUnrolls(instanceIds: readonly string[], unrolls: number, runSeed: number): PlannedUnroll[] {
  const plan: PlannedUnroll[] = [];
  for (let r = 0; r < unrolls; r++) {
    for (const id of instanceIds) plan.push({ instance_id: id, unroll: r, seed: unrollSeed(runSeed, id, r) });
  }
  return plan;
}

/** The same unrolls, each task's together, tasks in the order they first appear (stable within a task). */
export function groupedByTask<P extends { readonly instance_id: string }>(unrolls: readonly P[]): P[] {
  const groups = new Map<string, P[]>();
  for (const p of unrolls) {
    const group = groups.get(p.instance_id);
    if (group) group.push(p);
    else groups.set(p.instance_id, [p]);
  }
  return [...groups.values()].flat();
}
