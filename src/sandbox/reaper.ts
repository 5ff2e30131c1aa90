import type Docker from 'dockerode';
import { LABEL_KEEP, LABEL_OWNER, LABEL_RUN } from './labels.ts';
import { ownerState, pruneLeases } from './lease.ts';

export interface ReapResult {
  removed: string[];
  /** Left alone: their owner is alive. */
  alive: number;
  /** Left alone: nothing here proves their owner dead (another user's or machine's, or made before leases). */
  unknown: number;
  /** Left alone: kept on purpose with --keep. */
  kept: number;
}

/**
 * Removes hotmess containers (and only those, by label) whose owner is provably dead (lease.ts): the leftovers
 * of a killed run. A container kept with --keep, or whose owner is alive or cannot be told, stays. `all` removes
 * every hotmess container (of the run, if given), whoever owns it.
 */
export async function reapContainers(docker: Docker, opts: { all?: boolean; run?: string } = {}): Promise<ReapResult> {
  const label = opts.run ? [`${LABEL_RUN}=${opts.run}`] : [LABEL_RUN];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  const result: ReapResult = { removed: [], alive: 0, unknown: 0, kept: 0 };
  const named = new Set<string>();
  for (const info of containers) {
    const labels = info.Labels ?? {};
    const owner = labels[LABEL_OWNER];
    if (!opts.all) {
      const state = owner === undefined ? 'unknown' : ownerState(owner);
      const why = labels[LABEL_KEEP] === 'true' ? 'kept' : state === 'dead' ? undefined : state;
      if (why !== undefined) {
        result[why] += 1;
        if (owner !== undefined) named.add(owner);
        continue;
      }
    }
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      result.removed.push(info.Id);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }
  // Leases of other runs may still be named by containers this listing (filtered by run) did not see.
  if (!opts.run) pruneLeases(named);
  return result;
}
