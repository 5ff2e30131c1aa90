/**
 * A least-recently-used cache with optional expiry. A Map iterates in insertion order, so moving
 * a key to the end on every use keeps the least recently used entry first, ready to be evicted.
 */
export class LRUCache {
  #map = new Map();
  #max;
  #ttl;
  #now;

  constructor({ max = Infinity, ttl = 0, now = Date.now } = {}) {
    if (!(max >= 1)) throw new RangeError('max must be at least 1');
    if (!(ttl >= 0)) throw new RangeError('ttl must be 0 (never expire) or positive');
    this.#max = max;
    this.#ttl = ttl;
    this.#now = now;
  }

  get size() {
    return this.#map.size;
  }

  get(key) {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    if (this.#isStale(entry)) {
      this.#map.delete(key);
      return undefined;
    }
    this.#map.delete(key);
    this.#map.set(key, entry);
    return entry.value;
  }

  peek(key) {
    const entry = this.#map.get(key);
    return entry === undefined || this.#isStale(entry) ? undefined : entry.value;
  }

  has(key) {
    const entry = this.#map.get(key);
    return entry !== undefined && !this.#isStale(entry);
  }

  set(key, value, { ttl = this.#ttl } = {}) {
    // expires is 0 for an entry that never expires.
    const expires = ttl > 0 ? this.#now() + ttl : 0;
    this.#map.delete(key);
    this.#map.set(key, { value, expires });
    while (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value);
    return this;
  }

  delete(key) {
    return this.#map.delete(key);
  }

  clear() {
    this.#map.clear();
  }

  /** Removes every expired entry; returns how many there were. */
  prune() {
    let removed = 0;
    for (const [key, entry] of [...this.#map]) {
      if (this.#isStale(entry)) {
        this.#map.delete(key);
        removed++;
      }
    }
    return removed;
  }

  /** Time left before `key` expires: Infinity without ttl, 0 when missing or expired. */
  remainingTTL(key) {
    const entry = this.#map.get(key);
    if (entry === undefined || this.#isStale(entry)) return 0;
    return entry.expires === 0 ? Infinity : entry.expires - this.#now();
  }

  /** Live keys from the most to the least recently used. */
  keys() {
    return [...this.#map]
      .filter(([, entry]) => !this.#isStale(entry))
      .map(([key]) => key)
      .reverse();
  }

  #isStale(entry) {
    return entry.expires !== 0 && this.#now() > entry.expires;
  }
}
