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

  describe('options', () => {
    it('supports a custom delimiter', () => {
      assert.deepEqual(parse('a;b\n"c;d";e\n', { delimiter: ';' }), [
        ['a', 'b'],
        ['c;d', 'e'],
      ]);
    });

    it('supports a custom quote character', () => {
      assert.deepEqual(parse("'a,b','it''s'\n", { quote: "'" }), [['a,b', "it's"]]);
    });

    it('rejects a delimiter that is not a single character', () => {
      assert.throws(() => parse('a', { delimiter: '::' }), TypeError);
      assert.throws(() => parse('a', { delimiter: '"' }), TypeError);
    });

    it('maps rows to objects with header: true', () => {
      assert.deepEqual(parse('id,name\n1,Ann\n2,Bo\n', { header: true }), [
        { id: '1', name: 'Ann' },
        { id: '2', name: 'Bo' },
      ]);
    });

    it('uses the given column names when header is an array', () => {
      assert.deepEqual(parse('1,Ann\n', { header: ['id', 'name'] }), [{ id: '1', name: 'Ann' }]);
    });

    it('throws when a row has the wrong number of fields', () => {
      assert.throws(() => parse('id,name\n1,Ann\n2\n', { header: true }), { name: 'CsvError', line: 3 });
    });

    it('keeps an empty line as one empty field by default', () => {
      assert.deepEqual(parse('a\n\nb\n'), [['a'], [''], ['b']]);
    });

    it('drops empty lines with skipEmptyLines', () => {
      assert.deepEqual(parse('a\n\nb\n\n', { skipEmptyLines: true }), [['a'], ['b']]);
    });
  });
});
