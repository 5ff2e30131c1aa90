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

  describe('nested keys', () => {
    it('builds nested objects from brackets', () => {
      assert.deepEqual(parse('user[name]=Ada&user[langs][first]=en'), {
        user: { name: 'Ada', langs: { first: 'en' } },
      });
    });

    it('merges siblings under the same parent', () => {
      assert.deepEqual(parse('a[b]=1&c=2&a[d]=3'), { a: { b: '1', d: '3' }, c: '2' });
    });

    it('collects repeated nested keys into an array', () => {
      assert.deepEqual(parse('a[b]=1&a[b]=2'), { a: { b: ['1', '2'] } });
    });

    it('decodes percent-encoded brackets in keys', () => {
      assert.deepEqual(parse('a%5Bb%5D=c'), { a: { b: 'c' } });
    });

    it('keeps brackets past depth as a literal segment', () => {
      assert.deepEqual(parse('a[b][c][d]=e', { depth: 1 }), { a: { b: { '[c][d]': 'e' } } });
    });

    it('treats a key that starts with a bracket literally', () => {
      assert.deepEqual(parse('[a]=b'), { '[a]': 'b' });
    });
  });

  describe('arrays', () => {
    it('appends values for empty brackets', () => {
      assert.deepEqual(parse('a[]=x&a[]=y'), { a: ['x', 'y'] });
    });

    it('places values at their index', () => {
      assert.deepEqual(parse('a[1]=y&a[0]=x'), { a: ['x', 'y'] });
    });

    it('closes the gaps of sparse indices', () => {
      assert.deepEqual(parse('a[1]=x&a[5]=y'), { a: ['x', 'y'] });
    });

    it('turns an index above arrayLimit into an object key', () => {
      assert.deepEqual(parse('a[21]=x'), { a: { 21: 'x' } });
      assert.deepEqual(parse('a[3]=x', { arrayLimit: 2 }), { a: { 3: 'x' } });
    });

    it('builds arrays of objects', () => {
      assert.deepEqual(parse('items[0][id]=1&items[1][id]=2&items[0][name]=pen'), {
        items: [{ id: '1', name: 'pen' }, { id: '2' }],
      });
    });

    it('mixes a plain value with empty brackets', () => {
      assert.deepEqual(parse('a=x&a[]=y'), { a: ['x', 'y'] });
    });
  });

  describe('allowDots', () => {
    it('splits dotted keys into nested objects', () => {
      assert.deepEqual(parse('a.b.c=d', { allowDots: true }), { a: { b: { c: 'd' } } });
    });

    it('keeps dots literal without the option', () => {
      assert.deepEqual(parse('a.b=c'), { 'a.b': 'c' });
    });

    it('mixes dots and brackets', () => {
      assert.deepEqual(parse('a.b[c]=d&a.e[]=f', { allowDots: true }), { a: { b: { c: 'd' }, e: ['f'] } });
    });
  });
});
