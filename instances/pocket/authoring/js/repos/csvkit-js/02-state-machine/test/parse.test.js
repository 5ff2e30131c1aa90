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

    it('keeps line breaks inside quoted fields', () => {
      assert.deepEqual(parse('"line 1\nline 2",x\ny,z\n'), [
        ['line 1\nline 2', 'x'],
        ['y', 'z'],
      ]);
    });

    it('reads an empty quoted field', () => {
      assert.deepEqual(parse('"",a\n'), [['', 'a']]);
    });
  });

  describe('errors', () => {
    it('rejects text after a closing quote', () => {
      assert.throws(() => parse('"a"b,c\n'), { name: 'CsvError', message: /after a closing quote/ });
    });

    it('reports the line where an unterminated quote starts', () => {
      assert.throws(() => parse('a\n"b\nc'), { name: 'CsvError', line: 2 });
    });
  });
});
