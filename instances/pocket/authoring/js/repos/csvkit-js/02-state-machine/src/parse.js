import { CsvError } from './errors.js';

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3;

/**
 * Parses CSV text into rows of string fields. A character-level state machine rather than a
 * split on newlines, because quoted fields may contain line breaks.
 */
export function parse(text) {
  const rows = [];
  let row = [];
  let field = '';
  let state = FIELD_START;
  let line = 1;
  let quoteLine = 1;

  const endField = () => {
    row.push(field);
    field = '';
    state = FIELD_START;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
    line++;
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    switch (state) {
      case FIELD_START:
        if (ch === '"') {
          state = QUOTED;
          quoteLine = line;
        } else if (ch === ',') endField();
        else if (ch === '\n') endRow();
        else {
          field += ch;
          state = UNQUOTED;
        }
        break;
      case UNQUOTED:
        if (ch === ',') endField();
        else if (ch === '\n') endRow();
        else field += ch;
        break;
      case QUOTED:
        if (ch !== '"') {
          if (ch === '\n') line++;
          field += ch;
        } else if (text[i + 1] === '"') {
          // A doubled quote inside a quoted field is one literal quote.
          field += '"';
          i++;
        } else {
          state = AFTER_QUOTE;
        }
        break;
      default: // AFTER_QUOTE
        if (ch === ',') endField();
        else if (ch === '\n') endRow();
        else throw new CsvError(`Unexpected ${JSON.stringify(ch)} after a closing quote`, line);
    }
  }
  if (state === QUOTED) throw new CsvError('Unterminated quoted field', quoteLine);
  // The last row need not end with a newline.
  if (state !== FIELD_START || row.length > 0) endRow();
  return rows;
}
