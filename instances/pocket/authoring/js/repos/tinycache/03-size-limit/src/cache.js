/**
 * A least-recently-used cache with optional expiry and size limit. A Map iterates in insertion
 * order, so moving a key to the end on every use keeps the least recently used entry first,
 * ready to be evicted.
 */
export class LRUCache {
  #map = new Map();
  #max;
  #maxSize;
  #sizeOf;
  #ttl;
  #now;
  #totalSize = 0;

  constructor({ max = Infinity, maxSize = Infinity, sizeOf = () => 1, ttl = 0, now = Date.now } = {}) {
    if (!(max >= 1)) throw new RangeError('max must be at least 1');
    if (!(maxSize > 0)) throw new RangeError('maxSize must be positive');
    if (!(ttl >= 0)) throw new RangeError('ttl must be 0 (never expire) or positive');
    this.#max = max;
    this.#maxSize = maxSize;
    this.#sizeOf = sizeOf;
    this.#ttl = ttl;
    this.#now = now;
  }

  get size() {
    return this.#map.size;
  }

  get totalSize() {
    return this.#totalSize;
  }

  get(key) {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    if (this.#isStale(entry)) {
      this.#remove(key, entry);
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

  set(key, value, { ttl = this.#ttl, size = this.#sizeOf(value, key) } = {}) {
    if (!(size >= 0)) throw new RangeError('size must be a non-negative number');
    this.delete(key);
    // An entry larger than maxSize could never fit: storing it would only flush everything else.
    if (size > this.#maxSize) return this;
    // expires is 0 for an entry that never expires.
    const expires = ttl > 0 ? this.#now() + ttl : 0;
    this.#map.set(key, { value, size, expires });
    this.#totalSize += size;
    this.#evict();
    return this;
  }

  delete(key) {
    const entry = this.#map.get(key);
    if (entry === undefined) return false;
    this.#remove(key, entry);
    return true;
  }

  clear() {
    this.#map.clear();
    this.#totalSize = 0;
  }

  /** Removes every expired entry; returns how many there were. */
  prune() {
    let removed = 0;
    for (const [key, entry] of [...this.#map]) {
      if (this.#isStale(entry)) {
        this.#remove(key, entry);
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

  #remove(key, entry) {
    this.#map.delete(key);
    this.#totalSize -= entry.size;
  }

  #evict() {
    while (this.#map.size > this.#max || this.#totalSize > this.#maxSize) {
      const [key, entry] = this.#map.entries().next().value;
      this.#remove(key, entry);
    }
  }
}
