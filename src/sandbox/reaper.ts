import type Docker from 'dockerode';
import os from 'node:os';
import { processAlive } from '../process-alive.ts';
import { LABEL_HOST, LABEL_PID, LABEL_RUN } from './labels.ts';

export interface ReapResult {
  removed: string[];
  kept: number;
}

/**
 * Removes hotmess containers (and only those, by label) whose owning process on this host is gone:
 * the leftovers of a killed run. `all` also removes those owned by live processes or other hosts.
 */
export async function reapContainers(docker: Docker, opts: { all?: boolean; run?: string } = {}): Promise<ReapResult> {
  const label = opts.run ? [`${LABEL_RUN}=${opts.run}`] : [LABEL_RUN];
  const containers = await docker.listContainers({ all: true, filters: { label } });
  const host = os.hostname();
  const removed: string[] = [];
  let kept = 0;
  for (const info of containers) {
    const labels = info.Labels ?? {};
    const pid = Number(labels[LABEL_PID]);
    const stale = labels[LABEL_HOST] === host && Number.isInteger(pid) && pid !== process.pid && !processAlive(pid);
    if (!(opts.all || stale)) {
      kept += 1;
      continue;
    }
    try {
      await docker.getContainer(info.Id).remove({ force: true, v: true });
      removed.push(info.Id);
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
  }
  return { removed, kept };
}
