import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LRUCache } from '../src/index.js';

describe('lru', () => {
  it('stores and returns values', () => {
    const cache = new LRUCache();
    cache.set('a', 1).set('b', { x: 2 });
    assert.equal(cache.get('a'), 1);
    assert.deepEqual(cache.get('b'), { x: 2 });
    assert.equal(cache.size, 2);
  });

  it('returns undefined for missing keys', () => {
    assert.equal(new LRUCache().get('nope'), undefined);
  });

  it('evicts the least recently used entry past max', () => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    assert.equal(cache.has('a'), false);
    assert.deepEqual(cache.keys(), ['c', 'b']);
  });

  it('counts get() as a use', () => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1).set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    assert.deepEqual(cache.keys(), ['c', 'a']);
  });

  it('does not count peek() or has() as a use', () => {
    const cache = new LRUCache({ max: 2 });
    cache.set('a', 1).set('b', 2);
    assert.equal(cache.peek('a'), 1);
    assert.equal(cache.has('a'), true);
    cache.set('c', 3);
    assert.deepEqual(cache.keys(), ['c', 'b']);
  });

  it('removes entries with delete() and clear()', () => {
    const cache = new LRUCache();
    cache.set('a', 1).set('b', 2).set('c', 3);
    assert.equal(cache.delete('a'), true);
    assert.equal(cache.delete('a'), false);
    assert.deepEqual(cache.keys(), ['c', 'b']);
    cache.clear();
    assert.equal(cache.size, 0);
  });

  it('rejects a max below 1', () => {
    assert.throws(() => new LRUCache({ max: 0 }), RangeError);
  });
});
