/**
 * A least-recently-used cache. A Map iterates in insertion order, so moving a key to the end on
 * every use keeps the least recently used entry first, ready to be evicted.
 */
export class LRUCache {
  #map = new Map();
  #max;

  constructor({ max = Infinity } = {}) {
    if (!(max >= 1)) throw new RangeError('max must be at least 1');
    this.#max = max;
  }

  get size() {
    return this.#map.size;
  }

  get(key) {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, entry);
    return entry.value;
  }

  peek(key) {
    return this.#map.get(key)?.value;
  }

  has(key) {
    return this.#map.has(key);
  }

  set(key, value) {
    this.#map.delete(key);
    this.#map.set(key, { value });
    while (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value);
    return this;
  }

  delete(key) {
    return this.#map.delete(key);
  }

  clear() {
    this.#map.clear();
  }

  /** Keys from the most to the least recently used. */
  keys() {
    return [...this.#map.keys()].reverse();
  }
}
