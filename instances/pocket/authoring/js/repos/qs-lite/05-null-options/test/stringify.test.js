import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, stringify } from '../src/index.js';

describe('stringify', () => {
  describe('flat objects', () => {
    it('joins pairs with &', () => {
      assert.equal(stringify({ a: 1, b: 'x' }), 'a=1&b=x');
    });

    it('returns an empty string for non-objects', () => {
      assert.equal(stringify(null), '');
      assert.equal(stringify('a=1'), '');
    });

    it('skips undefined values', () => {
      assert.equal(stringify({ a: undefined, b: 2 }), 'b=2');
    });

    it('encodes reserved characters per RFC 3986', () => {
      assert.equal(stringify({ q: "it's (a) test!" }), 'q=it%27s%20%28a%29%20test%21');
    });

    it('adds a query prefix when asked', () => {
      assert.equal(stringify({ a: 1 }, { addQueryPrefix: true }), '?a=1');
      assert.equal(stringify({}, { addQueryPrefix: true }), '');
    });

    it('supports a custom delimiter', () => {
      assert.equal(stringify({ a: 1, b: 2 }, { delimiter: ';' }), 'a=1;b=2');
    });
  });

  describe('nesting', () => {
    it('writes nested objects with encoded brackets', () => {
      assert.equal(stringify({ a: { b: { c: 'd' } } }), 'a%5Bb%5D%5Bc%5D=d');
    });

    it('writes arrays with indices by default', () => {
      assert.equal(stringify({ a: ['x', 'y'] }), 'a%5B0%5D=x&a%5B1%5D=y');
    });

    it('supports the brackets and repeat array formats', () => {
      assert.equal(stringify({ a: ['x', 'y'] }, { arrayFormat: 'brackets' }), 'a%5B%5D=x&a%5B%5D=y');
      assert.equal(stringify({ a: ['x', 'y'] }, { arrayFormat: 'repeat' }), 'a=x&a=y');
    });

    it('rejects an unknown arrayFormat', () => {
      assert.throws(() => stringify({ a: [1] }, { arrayFormat: 'comma' }), TypeError);
    });

    it('writes dates as ISO strings', () => {
      assert.equal(stringify({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) }), 'at=2024-01-02T03%3A04%3A05.000Z');
    });

    it('round-trips nested objects and arrays through parse', () => {
      const value = { user: { name: 'Ada L', tags: ['x', 'y'] }, items: [{ id: '1' }, { id: '2' }] };
      assert.deepEqual(parse(stringify(value)), value);
    });
  });

  describe('null handling', () => {
    it('writes null as an empty value by default', () => {
      assert.equal(stringify({ a: null, b: 1 }), 'a=&b=1');
    });

    it('leaves out nulls with skipNulls', () => {
      assert.equal(stringify({ a: null, b: 1, c: { d: null } }, { skipNulls: true }), 'b=1');
    });

    it('writes a bare key for null with strictNullHandling', () => {
      assert.equal(stringify({ a: null, b: '' }, { strictNullHandling: true }), 'a&b=');
    });

    it('writes bare keys for nulls inside arrays with strictNullHandling', () => {
      assert.equal(stringify({ a: ['x', null] }, { strictNullHandling: true }), 'a%5B0%5D=x&a%5B1%5D');
    });
  });
});
