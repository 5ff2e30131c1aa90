import os from 'node:os';
import type { SandboxLabels } from './types.ts';

export const LABEL_RUN = 'hotmess.run';
export const LABEL_INSTANCE = 'hotmess.instance';
export const LABEL_UNROLL = 'hotmess.unroll';
export const LABEL_PID = 'hotmess.pid';
export const LABEL_HOST = 'hotmess.host';

/** Labels name the run, and the process and host that own the container, so leftovers can be reaped. */
export function containerLabels(labels: SandboxLabels): Record<string, string> {
  const out: Record<string, string> = {
    [LABEL_RUN]: labels.run,
    [LABEL_PID]: String(process.pid),
    [LABEL_HOST]: os.hostname(),
  };
  if (labels.instance !== undefined) out[LABEL_INSTANCE] = labels.instance;
  if (labels.unroll !== undefined) out[LABEL_UNROLL] = String(labels.unroll);
  return out;
}
