import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createParser } from '../src/index.js';

/** Feeds `chunks` to a parser with `options` and returns every row it emitted. */
function feed(chunks, options = {}) {
  const rows = [];
  const parser = createParser(options, (row) => rows.push(row));
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  return rows;
}

describe('stream', () => {
  it('emits each row as soon as its line ends', () => {
    const rows = [];
    const parser = createParser({}, (row) => rows.push(row));
    parser.write('a,b\nc');
    assert.deepEqual(rows, [['a', 'b']]);
    parser.write(',d\n');
    assert.deepEqual(rows, [
      ['a', 'b'],
      ['c', 'd'],
    ]);
    parser.end();
    assert.equal(rows.length, 2);
  });

  it('joins a field that is split across chunks', () => {
    assert.deepEqual(feed(['ab', 'c,d', '\n']), [['abc', 'd']]);
  });

  it('keeps a line break inside a quoted field that is split across chunks', () => {
    assert.deepEqual(feed(['"one\n', 'two",x\n']), [['one\ntwo', 'x']]);
  });

  it('accepts a closing quote at the end of a chunk', () => {
    assert.deepEqual(feed(['"a"', ',b\n']), [['a', 'b']]);
  });

  it('flushes a quoted last field on end()', () => {
    assert.deepEqual(feed(['x,"y"']), [['x', 'y']]);
  });

  it('maps rows to objects with a header', () => {
    assert.deepEqual(feed(['id,na', 'me\n1,Ann\n2,', 'Bo'], { header: true }), [
      { id: '1', name: 'Ann' },
      { id: '2', name: 'Bo' },
    ]);
  });

  it('throws on end() when a quoted field is never closed', () => {
    const parser = createParser({}, () => {});
    parser.write('a,"open');
    assert.throws(() => parser.end(), { name: 'CsvError', line: 1 });
  });
});
