import pLimit, { type LimitFunction } from 'p-limit';

const limiters = new Map<string, LimitFunction>();

/**
 * One limiter per provider endpoint for the whole process, shared by every Model created for it, so that
 * several models (or runs) against one API never exceed its concurrency together. A later, different
 * setting replaces the earlier one.
 */
export function providerLimiter(key: string, concurrency: number): LimitFunction {
  const existing = limiters.get(key);
  if (existing) {
    if (existing.concurrency !== concurrency) existing.concurrency = concurrency;
    return existing;
  }
  const limit = pLimit(concurrency);
  limiters.set(key, limit);
  return limit;
}
