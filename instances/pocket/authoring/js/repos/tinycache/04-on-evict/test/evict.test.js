import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LRUCache } from '../src/index.js';

/** A cache that records every onEvict call as [key, value, reason]. */
function recording(options) {
  const calls = [];
  const cache = new LRUCache({ ...options, onEvict: (...args) => calls.push(args) });
  return { cache, calls };
}

describe('onEvict', () => {
  it('reports capacity evictions with reason evict', () => {
    const { cache, calls } = recording({ max: 2 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    assert.deepEqual(calls, [['a', 1, 'evict']]);
  });

  it('reports size evictions with reason evict', () => {
    const { cache, calls } = recording({ maxSize: 5 });
    cache.set('a', 1, { size: 3 }).set('b', 2, { size: 3 });
    assert.deepEqual(calls, [['a', 1, 'evict']]);
  });

  it('reports expired entries with reason expire', () => {
    let time = 0;
    const { cache, calls } = recording({ ttl: 10, now: () => time });
    cache.set('a', 1).set('b', 2);
    time = 11;
    cache.get('a');
    cache.prune();
    assert.deepEqual(calls, [
      ['a', 1, 'expire'],
      ['b', 2, 'expire'],
    ]);
  });

  it('reports delete() and clear() with reason delete', () => {
    const { cache, calls } = recording();
    cache.set('a', 1).set('b', 2).set('c', 3);
    cache.delete('b');
    cache.clear();
    assert.deepEqual(calls, [
      ['b', 2, 'delete'],
      ['a', 1, 'delete'],
      ['c', 3, 'delete'],
    ]);
  });

  it('reports a replaced value with reason set', () => {
    const { cache, calls } = recording();
    cache.set('a', 1).set('a', 2);
    assert.deepEqual(calls, [['a', 1, 'set']]);
    assert.equal(cache.get('a'), 2);
  });

  it('stays quiet when the same value is set again', () => {
    const { cache, calls } = recording();
    const value = { id: 1 };
    cache.set('a', value).set('a', value);
    assert.deepEqual(calls, []);
  });
});
