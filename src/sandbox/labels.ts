import os from 'node:os';
import { ownerId } from './lease.ts';
import type { SandboxLabels } from './types.ts';

export const LABEL_RUN = 'hotmess.run';
export const LABEL_INSTANCE = 'hotmess.instance';
export const LABEL_UNROLL = 'hotmess.unroll';
export const LABEL_PID = 'hotmess.pid';
export const LABEL_HOST = 'hotmess.host';
/** The owning process's lease (lease.ts): what tells a leftover from a live run's container. */
export const LABEL_OWNER = 'hotmess.owner';
/** Set on containers kept on purpose (`--keep`): never reaped but by `hotmess reap --all`. */
export const LABEL_KEEP = 'hotmess.keep';

/** Labels name the run and the process that owns the container (its lease, pid and host), so leftovers can be reaped. */
export function containerLabels(labels: SandboxLabels, opts: { keep?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {
    [LABEL_RUN]: labels.run,
    [LABEL_OWNER]: ownerId(),
    [LABEL_PID]: String(process.pid),
    [LABEL_HOST]: os.hostname(),
  };
  if (labels.instance !== undefined) out[LABEL_INSTANCE] = labels.instance;
  if (labels.unroll !== undefined) out[LABEL_UNROLL] = String(labels.unroll);
  if (opts.keep) out[LABEL_KEEP] = 'true';
  return out;
}
