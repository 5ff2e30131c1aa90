import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { parseCsv } from './csv.ts';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes and fields spanning lines', () => {
    expect(parseCsv('t.csv', '"a ""x""",b\r\n"multi\nline",2\r\n"",3')).toEqual([
      ['a "x"', 'b'],
      ['multi\nline', '2'],
      ['', '3'],
    ]);
  });

  it('drops a BOM, skips blank lines and keeps rows of any length', () => {
    expect(parseCsv('t.csv', '\ufeffinstance_id,r1,r2\n\na__a-1\n\nb__b-2,1,0,extra\n')).toEqual([
      ['instance_id', 'r1', 'r2'],
      ['a__a-1'],
      ['b__b-2', '1', '0', 'extra'],
    ]);
  });

  it('keeps a quote inside an unquoted field as text, and reads TSV', () => {
    expect(parseCsv('t.csv', 'run,5" pipe\n')).toEqual([['run', '5" pipe']]);
    expect(parseCsv('t.tsv', 'a,b\tc\n1\t"2\t3"\n', '\t')).toEqual([
      ['a,b', 'c'],
      ['1', '2\t3'],
    ]);
  });

  it('refuses an unclosed quote in one sentence naming the file and line', () => {
    expect(() => parseCsv('t.csv', 'a,b\n"1,2\n')).toThrow(InputError);
    expect(() => parseCsv('t.csv', 'a,b\n"1,2\n')).toThrow(
      /^t\.csv is not valid CSV \(Quote Not Closed: .* line 2\)\.$/,
    );
  });
});
