import type { Redis } from 'ioredis';
import type { Model } from '../models/types.ts';
import { rateKey } from './names.ts';

/** A provider's shared pace: so many requests a minute, with bursts of up to `burst` at once. */
export interface Rate {
  perMinute: number;
  burst: number;
}

export interface GcraState {
  /** Theoretical arrival time of the next request, in ms; undefined before the first. */
  tat: number | undefined;
}

/**
 * One step of the generic cell rate algorithm: may a request go at `now`, and if not, how long until it may.
 * A request that goes moves the arrival time on by one interval; one that waits changes nothing.
 */
export function gcraStep(state: GcraState, now: number, rate: Rate): { waitMs: number; tat: number | undefined } {
  const interval = 60_000 / rate.perMinute;
  const tolerance = interval * (rate.burst - 1);
  const tat = Math.max(state.tat ?? now, now);
  if (tat - now > tolerance) return { waitMs: Math.ceil(tat - now - tolerance), tat: state.tat };
  return { waitMs: 0, tat: tat + interval };
}

/** gcraStep, atomically in Redis on the server's clock (shared by every worker): returns the wait in ms. */
const gcraScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if tat - now > tolerance then return math.ceil(tat - now - tolerance) end
redis.call('SET', KEYS[1], tostring(tat + interval), 'PX', math.ceil(tat + interval - now + tolerance + 1000))
return 0
`;

/** A limiter every worker of the queue shares, one per provider: each call waits until the provider's pace allows. */
export class SharedRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly provider: string,
    private readonly rate: Rate,
  ) {}

  async take(signal?: AbortSignal): Promise<void> {
    const interval = 60_000 / this.rate.perMinute;
    for (;;) {
      signal?.throwIfAborted();
      const wait = Number(
        await this.redis.eval(gcraScript, 1, rateKey(this.provider), interval, interval * (this.rate.burst - 1)),
      );
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** The model, each turn of it waiting for the shared limiter first. */
export function rateLimited(model: Model, limiter: SharedRateLimiter): Model {
  return {
    name: model.name,
    simulated: model.simulated,
    turn: async (messages, tools, opts) => {
      await limiter.take(opts?.signal);
      return model.turn(messages, tools, opts);
    },
  };
}
