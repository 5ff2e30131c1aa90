/**
 * sfc32: a small, fast generator whose stream is the same on every platform (Math.random's is not). Both
 * the simulated agent (keyed streams) and the bootstrap (millions of indices) draw from it.
 */
export class Sfc32 {
  protected a: number;
  protected b: number;
  protected c: number;
  protected d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
    // The first outputs mix the seed state poorly: discard them.
    for (let i = 0; i < 12; i++) this.nextUint32();
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

  /** Uniform in [0, 1), 32 bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [0, 1), 53 bits (two outputs). */
  next53(): number {
    return ((this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6)) / 9007199254740992;
  }

  /**
   * Fills `out` with `from[int(from.length)]`, `out.length` times: a bootstrap draw. The same stream as
   * calling next() repeatedly, with the state kept in locals for speed.
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
