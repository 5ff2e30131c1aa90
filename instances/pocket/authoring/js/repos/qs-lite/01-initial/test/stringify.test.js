import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from '../src/index.js';

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
});
