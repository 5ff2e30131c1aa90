/** The one BullMQ queue every run and worker shares, and the prefix of hotmess's own keys beside it. */
export const queueName = 'hotmess-unrolls';
export const keyPrefix = 'hotmess';

/**
 * A job's id names its run and (task, unroll), so that enqueuing the same unroll twice is a no-op and a job
 * can be matched to its run without reading it. BullMQ refuses ':' in ids, hence the encoding of the task id.
 * A job enqueued again after Redis lost it carries a generation, so that a worker still running the lost job
 * never mistakes the new one (and its lock) for it.
 */
export function jobId(runId: string, instanceId: string, unroll: number, generation?: string): string {
  return `${runId}|${unroll}|${encodeURIComponent(instanceId)}${generation === undefined ? '' : `|${generation}`}`;
}

export function parseJobId(id: string): { runId: string; instanceId: string; unroll: number } | undefined {
  const match = /^([^|]+)\|(\d+)\|([^|]+)(?:\|[a-z0-9]+)?$/.exec(id);
  if (!match) return undefined;
  return { runId: match[1] as string, unroll: Number(match[2]), instanceId: decodeURIComponent(match[3] as string) };
}

export const blobKey = (sha256: string): string => `${keyPrefix}:blob:${sha256}`;
export const workerKey = (id: string): string => `${keyPrefix}:worker:${id}`;
export const runKey = (runId: string): string => `${keyPrefix}:run:${runId}`;
export const rateKey = (provider: string): string => `${keyPrefix}:rate:${provider}`;
