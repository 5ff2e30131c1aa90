import { Redis } from 'ioredis';
import { HotmessError, UsageError } from '../errors.ts';

/** Where the queue lives: `redis://HOST:PORT[/DB]`. */
export interface QueueAddress {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  /** The address as given, for messages. */
  readonly text: string;
}

const addressPattern = /^redis:\/\/([^/:@\s]+|\[[0-9a-fA-F:.]+\]):(\d{1,5})(?:\/(\d{1,2}))?\/?$/;

/** Parses `--queue`; anything else (credentials, a path, a missing port) is a usage error. */
export function parseQueueAddress(text: string): QueueAddress {
  const match = addressPattern.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65_535)
    throw new UsageError(`--queue ${text} is not an address of the form redis://HOST:PORT[/DB].`);
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port, db: Number(match[3] ?? 0), text: text.trim() };
}

/**
 * A connection that rides out a Redis restart: it reconnects forever (every 0.2 s to 2 s) and, as BullMQ's
 * blocking commands require, never fails a command for lack of retries, waiting for the server instead.
 */
export function redisOptions(address: QueueAddress) {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times: number): number => Math.min(200 * times, 2000),
  };
}

export function connectRedis(address: QueueAddress): Redis {
  const redis = new Redis(redisOptions(address));
  // Errors while Redis is away are retried by the connection itself; the caller's commands wait for it.
  redis.on('error', () => undefined);
  return redis;
}

/** No Redis answers at the queue's address when a command starts. */
export class QueueUnavailableError extends HotmessError {
  constructor(address: QueueAddress, cause?: unknown) {
    super('queue_unavailable', `No Redis answers at ${address.text}: start it, or check the address and port.`, {
      cause,
      exitCode: 3,
      infrastructure: true,
    });
  }
}

/** Fails at once, in one sentence, when nothing answers at the address (later outages are waited out). */
export async function checkQueueReachable(address: QueueAddress, timeoutMs = 5000): Promise<void> {
  const probe = new Redis({
    host: address.host,
    port: address.port,
    db: address.db,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new QueueUnavailableError(address, err);
  } finally {
    probe.disconnect();
  }
}
