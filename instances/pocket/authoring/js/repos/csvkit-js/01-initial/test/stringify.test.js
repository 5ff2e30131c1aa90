import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from '../src/index.js';

describe('stringify', () => {
  describe('basics', () => {
    it('joins fields and rows', () => {
      assert.equal(stringify([['a', 'b'], [1, 2]]), 'a,b\n1,2\n');
    });

    it('writes null and undefined as empty fields', () => {
      assert.equal(stringify([[null, 'x', undefined]]), ',x,\n');
    });

    it('quotes fields that contain commas', () => {
      assert.equal(stringify([['Pens, blue', 3]]), '"Pens, blue",3\n');
    });

    it('doubles embedded quotes', () => {
      assert.equal(stringify([['say "hi"']]), '"say ""hi"""\n');
    });

    it('quotes fields that contain line breaks', () => {
      assert.equal(stringify([['two\nlines', 'cr\r']]), '"two\nlines","cr\r"\n');
    });
  });
});
