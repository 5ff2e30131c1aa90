import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from '../src/index.js';

describe('parse', () => {
  describe('basics', () => {
    it('splits rows and fields', () => {
      assert.deepEqual(parse('a,b\nc,d\n'), [
        ['a', 'b'],
        ['c', 'd'],
      ]);
    });

    it('returns no rows for empty input', () => {
      assert.deepEqual(parse(''), []);
    });

    it('keeps empty fields', () => {
      assert.deepEqual(parse('a,,b\n,\n'), [
        ['a', '', 'b'],
        ['', ''],
      ]);
    });

    it('parses a last row without a trailing newline', () => {
      assert.deepEqual(parse('a,b\nc,d'), [
        ['a', 'b'],
        ['c', 'd'],
      ]);
    });

    it('keeps spaces around unquoted fields', () => {
      assert.deepEqual(parse(' a , b \n'), [[' a ', ' b ']]);
    });
  });

  describe('quoting', () => {
    it('reads quoted fields that contain the delimiter', () => {
      assert.deepEqual(parse('"Pens, blue",3\n'), [['Pens, blue', '3']]);
    });

    it('turns doubled quotes into one', () => {
      assert.deepEqual(parse('"say ""hi""",x\n'), [['say "hi"', 'x']]);
    });

    it('parses a quoted field at the end of input', () => {
      assert.deepEqual(parse('a,"b"'), [['a', 'b']]);
    });
  });
});
