import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keyPrefix } from './names.ts';
import { parseJobId } from './names.ts';
import { liveWorkers, type WorkerPresence } from './presence.ts';

export interface RunCounts {
  runId: string;
  waiting: number;
  active: number;
  /** Recorded by the coordinator, plus finished jobs it has not collected yet. */
  done: number;
  /** Jobs failed for good, plus unrolls recorded as infrastructure failures. */
  failed: number;
  /** Unrolls the run plans, when its coordinator is alive to say. */
  total: number | undefined;
  coordinator: string | undefined;
}

export interface QueueStatus {
  workers: WorkerPresence[];
  runs: RunCounts[];
}

const runSummarySchema = z.object({
  total: z.number(),
  done: z.number(),
  infraErrors: z.number(),
  coordinator: z.string(),
});

/** The workers alive, and each run's jobs by state (from the job ids, which name their run). */
export async function queueStatus(redis: Redis, queue: Queue): Promise<QueueStatus> {
  const runs = new Map<string, RunCounts>();
  const run = (runId: string): RunCounts => {
    let counts = runs.get(runId);
    if (!counts) {
      counts = { runId, waiting: 0, active: 0, done: 0, failed: 0, total: undefined, coordinator: undefined };
      runs.set(runId, counts);
    }
    return counts;
  };
  const states = {
    waiting: ['waiting', 'delayed', 'prioritized'],
    active: ['active'],
    done: ['completed'],
    failed: ['failed'],
  } as const;
  for (const [field, types] of Object.entries(states) as [
    keyof typeof states,
    (typeof states)[keyof typeof states],
  ][]) {
    for (const id of await queue.getRanges([...types], 0, -1)) {
      const parsed = parseJobId(id);
      if (parsed) run(parsed.runId)[field] += 1;
    }
  }
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:run:*`, 'COUNT', 200);
    cursor = next;
    for (const key of keys) {
      const summary = runSummarySchema.safeParse(JSON.parse((await redis.get(key)) ?? 'null'));
      if (!summary.success) continue;
      const counts = run(key.slice(`${keyPrefix}:run:`.length));
      counts.total = summary.data.total;
      counts.done += summary.data.done - summary.data.infraErrors;
      counts.failed += summary.data.infraErrors;
      counts.coordinator = summary.data.coordinator;
    }
  } while (cursor !== '0');
  return { workers: await liveWorkers(redis), runs: [...runs.values()].sort((a, b) => a.runId.localeCompare(b.runId)) };
}

/** The status as a few aligned lines. */
export function formatQueueStatus(status: QueueStatus, now = Date.now()): string {
  const lines: string[] = [];
  lines.push(`${status.workers.length} worker(s) alive`);
  for (const w of status.workers) {
    const age = Math.round((now - Date.parse(w.startedAt)) / 1000);
    lines.push(
      `  ${w.id}  host ${w.host}  concurrency ${w.concurrency}  engine ${w.engine}  up ${age}s  jobs ${w.jobs.length ? w.jobs.join(', ') : '-'}`,
    );
  }
  lines.push(`${status.runs.length} run(s) on the queue`);
  for (const r of status.runs) {
    const total = r.total === undefined ? '' : ` of ${r.total}`;
    const coordinator = r.coordinator ? `coordinator ${r.coordinator}` : 'no coordinator alive';
    lines.push(
      `  ${r.runId}  waiting ${r.waiting}  active ${r.active}  done ${r.done}${total}  failed ${r.failed}  (${coordinator})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
