import { createHash } from 'node:crypto';
import { Sfc32 } from '../util/sfc32.ts';

/** A seeded stream of uniform numbers; the same key always gives the same stream on every platform. */
export interface Rng {
  /** Uniform in [0, 1), 53 bits. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
}

/**
 * sfc32 seeded from a SHA-256 of the key parts. Named streams (e.g. `plan`, `fault`) derived from the same
 * (instance, seed) are independent, so drawing faults never shifts the policy's draws.
 */
export function createRng(...key: readonly (string | number)[]): Rng {
  const digest = createHash('sha256').update(key.map(String).join('\u0000')).digest();
  const g = new Sfc32(digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12));
  const next = (): number => g.next53();
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
  };
}

/** A short stable hex digest of the key parts, for ids that must not change between runs. */
export function stableId(...key: readonly (string | number)[]): string {
  return createHash('sha256').update(key.map(String).join('\u0000')).digest('hex').slice(0, 24);
}
