import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LRUCache } from '../src/index.js';

/** A cache on a fake clock: tick(ms) moves time forward. */
function clocked(options) {
  const clock = { time: 0 };
  const cache = new LRUCache({ ...options, now: () => clock.time });
  return { cache, tick: (ms) => (clock.time += ms) };
}

describe('ttl', () => {
  it('returns a value before it expires', () => {
    const { cache, tick } = clocked({ ttl: 100 });
    cache.set('a', 1);
    tick(50);
    assert.equal(cache.get('a'), 1);
  });

  it('expires entries after their ttl', () => {
    const { cache, tick } = clocked({ ttl: 100 });
    cache.set('a', 1);
    tick(150);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.size, 0);
  });

  it('never expires entries without a ttl', () => {
    const { cache, tick } = clocked();
    cache.set('a', 1);
    tick(1e9);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.has('a'), true);
  });

  it('takes a per-entry ttl over the default', () => {
    const { cache, tick } = clocked({ ttl: 100 });
    cache.set('short', 1, { ttl: 10 });
    cache.set('forever', 2, { ttl: 0 });
    cache.set('default', 3);
    tick(50);
    assert.deepEqual([cache.get('short'), cache.get('forever'), cache.get('default')], [undefined, 2, 3]);
  });

  it('makes has() and peek() respect expiry', () => {
    const { cache, tick } = clocked({ ttl: 100 });
    cache.set('a', 1);
    tick(101);
    assert.equal(cache.has('a'), false);
    assert.equal(cache.peek('a'), undefined);
  });

  it('removes expired entries with prune()', () => {
    const { cache, tick } = clocked({ ttl: 100 });
    cache.set('a', 1).set('b', 2);
    tick(60);
    cache.set('c', 3);
    tick(60);
    assert.equal(cache.prune(), 2);
    assert.equal(cache.size, 1);
    assert.deepEqual(cache.keys(), ['c']);
  });

  it('counts remainingTTL() down', () => {
    const { cache, tick } = clocked({ ttl: 100 });
    cache.set('a', 1);
    assert.equal(cache.remainingTTL('a'), 100);
    tick(40);
    assert.equal(cache.remainingTTL('a'), 60);
    assert.equal(cache.remainingTTL('missing'), 0);
  });

  it('reports Infinity from remainingTTL() without a ttl', () => {
    const { cache } = clocked();
    cache.set('a', 1);
    assert.equal(cache.remainingTTL('a'), Infinity);
  });

  it('leaves expired keys out of keys()', () => {
    const { cache, tick } = clocked({ ttl: 100 });
    cache.set('old', 1);
    tick(80);
    cache.set('new', 2);
    tick(30);
    assert.deepEqual(cache.keys(), ['new']);
  });

  it('rejects a negative ttl', () => {
    assert.throws(() => new LRUCache({ ttl: -1 }), RangeError);
  });
});
