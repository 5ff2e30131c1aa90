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
  #onEvict;
  #totalSize = 0;
  #stats = { hits: 0, misses: 0, evictions: 0 };

  constructor(options = {}) {
    const { max = Infinity, maxSize = Infinity, sizeOf = () => 1, ttl = 0, now = Date.now, onEvict } = options;
    if (!(max >= 1)) throw new RangeError('max must be at least 1');
    if (!(maxSize > 0)) throw new RangeError('maxSize must be positive');
    if (!(ttl >= 0)) throw new RangeError('ttl must be 0 (never expire) or positive');
    this.#max = max;
    this.#maxSize = maxSize;
    this.#sizeOf = sizeOf;
    this.#ttl = ttl;
    this.#now = now;
    this.#onEvict = onEvict;
  }

  get size() {
    return this.#map.size;
  }

  get totalSize() {
    return this.#totalSize;
  }

  get(key) {
    const entry = this.#map.get(key);
    if (entry === undefined) {
      this.#stats.misses++;
      return undefined;
    }
    if (this.#isStale(entry)) {
      this.#remove(key, entry, 'expire');
      this.#stats.misses++;
      return undefined;
    }
    this.#map.delete(key);
    this.#map.set(key, entry);
    this.#stats.hits++;
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
    // An entry larger than maxSize could never fit: storing it would only flush everything else.
    if (size > this.#maxSize) {
      this.delete(key);
      return this;
    }
    // expires is 0 for an entry that never expires.
    const expires = ttl > 0 ? this.#now() + ttl : 0;
    const existing = this.#map.get(key);
    if (existing === undefined) {
      this.#map.set(key, { value, size, expires });
    } else {
      // Updated in place rather than deleted and re-added, so that onEvict hears 'set', not 'delete'.
      if (existing.value !== value) this.#onEvict?.(key, existing.value, 'set');
      existing.value = value;
      existing.size = size;
      existing.expires = expires;
    }
    this.#totalSize += size;
    this.#evict();
    return this;
  }

  delete(key) {
    const entry = this.#map.get(key);
    if (entry === undefined) return false;
    this.#remove(key, entry, 'delete');
    return true;
  }

  clear() {
    for (const [key, entry] of [...this.#map]) this.#remove(key, entry, 'delete');
  }

  /** Removes every expired entry; returns how many there were. */
  prune() {
    let removed = 0;
    for (const [key, entry] of [...this.#map]) {
      if (this.#isStale(entry)) {
        this.#remove(key, entry, 'expire');
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

  stats() {
    return { ...this.#stats };
  }

  resetStats() {
    this.#stats = { hits: 0, misses: 0, evictions: 0 };
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

  #remove(key, entry, reason) {
    this.#map.delete(key);
    this.#totalSize -= entry.size;
    this.#onEvict?.(key, entry.value, reason);
  }

  #evict() {
    while (this.#map.size > this.#max || this.#totalSize > this.#maxSize) {
      const [key, entry] = this.#map.entries().next().value;
      this.#remove(key, entry, 'evict');
      this.#stats.evictions++;
    }
  }
}
