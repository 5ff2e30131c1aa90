import { CsvError } from './errors.js';

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3;

const defaults = { delimiter: ',', quote: '"', header: false, skipEmptyLines: false };

/**
 * Splits CSV text into records: { fields, line } with the line each record starts on. A
 * character-level state machine, because quoted fields may contain line breaks.
 */
function tokenize(text, { delimiter, quote }) {
  const records = [];
  let row = [];
  let field = '';
  let state = FIELD_START;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;

  const endField = () => {
    row.push(field);
    field = '';
    state = FIELD_START;
  };
  const endRow = () => {
    endField();
    records.push({ fields: row, line: rowLine });
    row = [];
    line++;
    rowLine = line;
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    switch (state) {
      case FIELD_START:
        if (ch === quote) {
          state = QUOTED;
          quoteLine = line;
        } else if (ch === delimiter) endField();
        else if (ch === '\n') endRow();
        else {
          field += ch;
          state = UNQUOTED;
        }
        break;
      case UNQUOTED:
        if (ch === delimiter) endField();
        else if (ch === '\n') endRow();
        else field += ch;
        break;
      case QUOTED:
        if (ch !== quote) {
          if (ch === '\n') line++;
          field += ch;
        } else if (text[i + 1] === quote) {
          // A doubled quote inside a quoted field is one literal quote.
          field += quote;
          i++;
        } else {
          state = AFTER_QUOTE;
        }
        break;
      default: // AFTER_QUOTE
        if (ch === delimiter) endField();
        else if (ch === '\n') endRow();
        else throw new CsvError(`Unexpected ${JSON.stringify(ch)} after a closing quote`, line);
    }
  }
  if (state === QUOTED) throw new CsvError('Unterminated quoted field', quoteLine);
  // The last record need not end with a newline.
  if (state !== FIELD_START || row.length > 0) endRow();
  return records;
}

function checkOptions({ delimiter, quote }) {
  for (const [name, value] of Object.entries({ delimiter, quote })) {
    if (typeof value !== 'string' || value.length !== 1 || value === '\n' || value === '\r') {
      throw new TypeError(`${name} must be a single character other than a line break`);
    }
  }
  if (delimiter === quote) throw new TypeError('delimiter and quote must differ');
}

/** Parses CSV text into rows: arrays of strings, or objects keyed by column with `header`. */
export function parse(text, opts = {}) {
  const options = { ...defaults, ...opts };
  checkOptions(options);
  let records = tokenize(text, options);
  if (options.skipEmptyLines) {
    records = records.filter(({ fields }) => fields.length > 1 || fields[0] !== '');
  }
  if (!options.header) return records.map(({ fields }) => fields);

  const columns = Array.isArray(options.header) ? options.header : (records.shift()?.fields ?? []);
  return records.map(({ fields, line }) => {
    if (fields.length !== columns.length) {
      throw new CsvError(`Expected ${columns.length} fields but found ${fields.length}`, line);
    }
    return Object.fromEntries(columns.map((column, index) => [column, fields[index]]));
  });
}
