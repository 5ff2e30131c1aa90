import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LRUCache } from '../src/index.js';

describe('size', () => {
  it('counts every entry as size 1 by default', () => {
    const cache = new LRUCache();
    cache.set('a', 'x').set('b', 'yy');
    assert.equal(cache.totalSize, 2);
  });

  it('measures values with sizeOf', () => {
    const cache = new LRUCache({ sizeOf: (value) => value.length });
    cache.set('a', 'xyz').set('b', 'hello');
    assert.equal(cache.totalSize, 8);
  });

  it('takes an explicit size over sizeOf', () => {
    const cache = new LRUCache({ sizeOf: () => 100 });
    cache.set('a', 'x', { size: 3 });
    assert.equal(cache.totalSize, 3);
  });

  it('evicts least recently used entries until the total fits', () => {
    const cache = new LRUCache({ maxSize: 10 });
    cache.set('a', 1, { size: 4 }).set('b', 2, { size: 4 });
    cache.get('a');
    cache.set('c', 3, { size: 5 });
    assert.deepEqual(cache.keys(), ['c', 'a']);
    assert.equal(cache.totalSize, 9);
  });

  it('does not store an entry larger than maxSize', () => {
    const cache = new LRUCache({ maxSize: 10 });
    cache.set('a', 1, { size: 4 });
    cache.set('huge', 2, { size: 11 });
    assert.equal(cache.has('huge'), false);
    assert.deepEqual(cache.keys(), ['a']);
    assert.equal(cache.totalSize, 4);
  });

  it('frees the size of deleted and cleared entries', () => {
    const cache = new LRUCache();
    cache.set('a', 1, { size: 4 }).set('b', 2, { size: 3 });
    cache.delete('a');
    assert.equal(cache.totalSize, 3);
    cache.clear();
    assert.equal(cache.totalSize, 0);
  });

  it('frees the size of expired entries', () => {
    let time = 0;
    const cache = new LRUCache({ ttl: 10, now: () => time });
    cache.set('a', 1, { size: 4 }).set('b', 2, { size: 3 });
    time = 20;
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.totalSize, 3);
    cache.prune();
    assert.equal(cache.totalSize, 0);
  });

  it('rejects a negative size', () => {
    assert.throws(() => new LRUCache().set('a', 1, { size: -1 }), RangeError);
  });
});
