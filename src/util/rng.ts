import { createHash } from 'node:crypto';

/**
 * A seeded stream of uniform numbers: sfc32, a small, fast generator whose stream is the same on every platform
 * (Math.random's is not). The simulated agent draws keyed streams from it, the bootstrap millions of indices.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // The first outputs mix the seed state poorly: discard them.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The state filled from one integer seed by splitmix32 (the bootstrap's streams, see stats/random.ts). */
  static fromSeed(seed: number): Rng {
    let s = seed >>> 0;
    const split = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    return new Rng(split(), split(), split(), split());
  }

  /**
   * The state filled from a SHA-256 of the key parts. Named streams (e.g. `plan`, `fault`) derived from the same
   * (instance, seed) are independent, so drawing faults never shifts the policy's draws.
   */
  static fromKey(...key: readonly (string | number)[]): Rng {
    const digest = createHash('sha256').update(key.map(String).join('\u0000')).digest();
    return new Rng(digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12));
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1), 53 bits (two outputs). */
  next(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /** Uniform in [0, 1), 32 bits (one output): for the bootstrap's many draws, where speed matters. */
  next32(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /**
   * Fills `out` with `from[int(from.length)]`, `out.length` times: a bootstrap draw. The same stream as
   * calling next32() repeatedly, with the state kept in locals for speed.
   */
  drawFrom(from: Int32Array, out: Int32Array): void {
    const n = from.length;
    let { a, b, c, d } = this;
    for (let k = 0; k < out.length; k++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      out[k] = from[Math.floor(((t >>> 0) / 4294967296) * n)] as number;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }
}
