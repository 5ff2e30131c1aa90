import { CsvError, parse } from 'csv-parse/sync';
import { InputError } from '../errors.ts';

/**
 * CSV (RFC 4180) or TSV as rows of strings: fields optionally double-quoted, a quote inside a quoted field doubled,
 * records ending in LF or CRLF (a quoted field may span lines), a leading BOM dropped and blank lines skipped.
 * Rows may differ in length, and a stray quote inside an unquoted field is kept as text, as spreadsheets write them.
 */
export function parseCsv(file: string, text: string, separator = ','): string[][] {
  try {
    return parse(text, {
      delimiter: separator,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
    });
  } catch (err) {
    if (err instanceof CsvError)
      throw new InputError(`${file} is not valid CSV (${err.message}).`, file, undefined, err);
    throw err;
  }
}
