/**
 * Collects one stream's output up to a byte cap while scanning for an end marker. Memory stays at
 * about `cap` plus one chunk whatever the command prints: bytes past the cap are counted and dropped.
 */
export class MarkedCapture {
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private carry: Buffer = Buffer.alloc(0);
  private trailer: Buffer[] | undefined;
  /** Bytes seen before the marker (kept or not). */
  totalBytes = 0;
  truncated = false;
  done = false;
  /** Text after the marker up to the end of its line (e.g. the exit code). */
  trailerText = '';

  constructor(
    private readonly marker: Buffer,
    private readonly cap: number,
  ) {}

  /** Feeds a chunk; returns true once the marker line is complete. Bytes after it are ignored. */
  push(chunk: Buffer): boolean {
    if (this.done) return true;
    if (this.trailer) return this.pushTrailer(chunk);
    const m = this.marker.length;
    if (this.carry.length > 0 && chunk.length < m) {
      // Too short to decide about a marker starting in the tail: join them (both are small) and start over.
      const joined = Buffer.concat([this.carry, chunk]);
      this.carry = Buffer.alloc(0);
      return this.push(joined);
    }
    if (this.carry.length > 0) {
      // Only a marker that starts in the held-back tail needs the two joined; the window is small.
      const window = Buffer.concat([this.carry, chunk.subarray(0, m - 1)]);
      const at = window.indexOf(this.marker);
      if (at >= 0 && at < this.carry.length) {
        // The marker ends inside this chunk, at this offset.
        const end = at + m - this.carry.length;
        this.commit(window.subarray(0, at));
        this.carry = Buffer.alloc(0);
        this.trailer = [];
        return this.pushTrailer(chunk.subarray(end));
      }
      this.commit(this.carry);
      this.carry = Buffer.alloc(0);
    }
    const at = chunk.indexOf(this.marker);
    if (at >= 0) {
      this.commit(chunk.subarray(0, at));
      this.trailer = [];
      return this.pushTrailer(chunk.subarray(at + m));
    }
    // The marker may straddle chunks: hold back a tail shorter than it.
    const hold = Math.min(chunk.length, m - 1);
    this.commit(chunk.subarray(0, chunk.length - hold));
    this.carry = Buffer.from(chunk.subarray(chunk.length - hold));
    return false;
  }

  /** Everything received so far, including a held-back tail (used when the stream ends without a marker). */
  flush(): void {
    this.commit(this.carry);
    this.carry = Buffer.alloc(0);
  }

  text(): string {
    return Buffer.concat(this.kept, this.keptBytes).toString('utf8');
  }

  private pushTrailer(chunk: Buffer): boolean {
    const trailer = this.trailer as Buffer[];
    const nl = chunk.indexOf(0x0a);
    trailer.push(nl >= 0 ? chunk.subarray(0, nl) : chunk);
    if (nl < 0) return false;
    this.trailerText = Buffer.concat(trailer).toString('utf8');
    this.done = true;
    return true;
  }

  private commit(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.totalBytes += bytes.length;
    const room = this.cap - this.keptBytes;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const take = bytes.length <= room ? bytes : bytes.subarray(0, room);
    if (take.length < bytes.length) this.truncated = true;
    // Copy: the source chunk belongs to the socket and may be large; keep only what we need.
    this.kept.push(Buffer.from(take));
    this.keptBytes += take.length;
  }
}
