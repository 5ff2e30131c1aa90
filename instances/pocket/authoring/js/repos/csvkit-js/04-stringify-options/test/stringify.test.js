import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, stringify } from '../src/index.js';

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

  describe('objects', () => {
    it('writes a header row from the first object keys', () => {
      assert.equal(stringify([{ id: 1, name: 'Ann' }, { id: 2, name: 'Bo' }]), 'id,name\n1,Ann\n2,Bo\n');
    });

    it('uses columns for order and selection', () => {
      assert.equal(stringify([{ id: 1, name: 'Ann', age: 40 }], { columns: ['name', 'id'] }), 'name,id\nAnn,1\n');
    });

    it('omits the header row with header: false', () => {
      assert.equal(stringify([{ id: 1 }], { header: false }), '1\n');
    });
  });

  describe('options', () => {
    it('ends lines with a custom eol', () => {
      assert.equal(stringify([['a'], ['b']], { eol: '\r\n' }), 'a\r\nb\r\n');
    });

    it('quotes every field with quoteAll', () => {
      assert.equal(stringify([['a', 1]], { quoteAll: true }), '"a","1"\n');
    });

    it('writes dates as ISO strings', () => {
      assert.equal(stringify([[new Date(Date.UTC(2024, 1, 29))]]), '2024-02-29T00:00:00.000Z\n');
    });

    it('round-trips through parse', () => {
      const rows = [
        ['id', 'note'],
        ['1', 'say "hi", then\nleave'],
        ['2', ''],
      ];
      assert.deepEqual(parse(stringify(rows)), rows);
    });
  });

  describe('delimiter option', () => {
    it('joins fields with a custom delimiter', () => {
      assert.equal(stringify([['a', 'b'], ['c', 'd']], { delimiter: '\t' }), 'a\tb\nc\td\n');
    });

    it('writes plain fields unquoted with a custom delimiter', () => {
      assert.equal(stringify([['a b', 'c']], { delimiter: ';' }), 'a b;c\n');
    });
  });
});
