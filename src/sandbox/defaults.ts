import type { SandboxLimits } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/** Safe defaults for one unroll's container (DESIGN.md §3): no network, bounded memory, pids and CPU. */
export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 2 * 1024 ** 3,
  pidsLimit: 512,
  cpus: 1,
  network: false,
  user: 'hotmess',
  workdir: '/testbed',
  diskBytes: 10 * 1024 ** 3,
  execMode: 'persistent',
};
