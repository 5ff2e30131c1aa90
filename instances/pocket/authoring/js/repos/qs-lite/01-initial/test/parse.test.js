import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../src/index.js';

describe('parse', () => {
  describe('flat pairs', () => {
    it('parses simple pairs', () => {
      assert.deepEqual(parse('a=1&b=2'), { a: '1', b: '2' });
    });

    it('returns an empty object for an empty string', () => {
      assert.deepEqual(parse(''), {});
    });

    it('parses a key without a value as an empty string', () => {
      assert.deepEqual(parse('a&b='), { a: '', b: '' });
    });

    it('collects repeated keys into an array', () => {
      assert.deepEqual(parse('a=1&a=2&a=3'), { a: ['1', '2', '3'] });
    });

    it('strips a leading question mark when asked', () => {
      assert.deepEqual(parse('?a=1', { ignoreQueryPrefix: true }), { a: '1' });
      assert.deepEqual(parse('?a=1'), { '?a': '1' });
    });

    it('supports a custom delimiter', () => {
      assert.deepEqual(parse('a=1;b=2', { delimiter: ';' }), { a: '1', b: '2' });
    });

    it('ignores pairs past parameterLimit', () => {
      assert.deepEqual(parse('a=1&b=2&c=3', { parameterLimit: 2 }), { a: '1', b: '2' });
    });
  });

  describe('decoding', () => {
    it('decodes percent-encoded keys and values', () => {
      assert.deepEqual(parse('full%20name=J%C3%B6rg'), { 'full name': 'Jörg' });
    });

    it('treats a plus as a space', () => {
      assert.deepEqual(parse('q=hello+world'), { q: 'hello world' });
    });

    it('keeps an encoded plus as a literal plus', () => {
      assert.deepEqual(parse('sum=1%2B1'), { sum: '1+1' });
    });

    it('leaves malformed percent sequences as they are', () => {
      assert.deepEqual(parse('a=%E0%A4%A'), { a: '%E0%A4%A' });
    });
  });
});
