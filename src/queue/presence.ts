import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keyPrefix, workerKey } from './names.ts';

/** A worker's presence in Redis: refreshed every few seconds, gone when it stops refreshing. */
export const workerPresenceSchema = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  concurrency: z.number().int().positive(),
  engine: z.string(),
  jobs: z.array(z.string()),
  startedAt: z.string(),
  beatAt: z.string(),
});
export type WorkerPresence = z.infer<typeof workerPresenceSchema>;

export const PRESENCE_BEAT_MS = 5_000;
const PRESENCE_TTL_MS = 3 * PRESENCE_BEAT_MS;

export async function announce(redis: Redis, presence: WorkerPresence): Promise<void> {
  await redis.set(workerKey(presence.id), JSON.stringify(presence), 'PX', PRESENCE_TTL_MS);
}

export async function withdraw(redis: Redis, id: string): Promise<void> {
  await redis.del(workerKey(id));
}

/** Every worker that announced itself in the last few seconds. */
export async function liveWorkers(redis: Redis): Promise<WorkerPresence[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${keyPrefix}:worker:*`, 'COUNT', 200);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  const values = keys.length ? await redis.mget(keys) : [];
  return values
    .map((v) => (v === null ? undefined : workerPresenceSchema.safeParse(JSON.parse(v))))
    .flatMap((p) => (p?.success ? [p.data] : []))
    .sort((a, b) => a.id.localeCompare(b.id));
}
