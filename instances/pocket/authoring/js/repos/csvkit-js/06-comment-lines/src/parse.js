import { CsvError } from './errors.js';
import { Parser } from './parser.js';

const defaults = { delimiter: ',', quote: '"', comment: null, header: false, skipEmptyLines: false };

function resolveOptions(opts) {
  const options = { ...defaults, ...opts };
  const { delimiter, quote, comment } = options;
  const special = comment === null ? { delimiter, quote } : { delimiter, quote, comment };
  for (const [name, value] of Object.entries(special)) {
    if (typeof value !== 'string' || value.length !== 1 || value === '\n' || value === '\r') {
      throw new TypeError(`${name} must be a single character other than a line break`);
    }
  }
  if (new Set(Object.values(special)).size !== Object.keys(special).length) {
    throw new TypeError(`${Object.keys(special).join(', ')} must all differ`);
  }
  return options;
}

/** Turns records into rows: drops empty lines if asked, maps fields to objects under a header. */
function rowMaker(options) {
  let columns = Array.isArray(options.header) ? options.header : null;
  return (fields, line) => {
    if (options.skipEmptyLines && fields.length === 1 && fields[0] === '') return undefined;
    if (!options.header) return fields;
    if (!columns) {
      columns = fields;
      return undefined;
    }
    if (fields.length !== columns.length) {
      throw new CsvError(`Expected ${columns.length} fields but found ${fields.length}`, line);
    }
    return Object.fromEntries(columns.map((column, index) => [column, fields[index]]));
  };
}

/** Streaming parse: write() chunks as they arrive, then end(); onRow gets each row when complete. */
export function createParser(opts, onRow) {
  const options = resolveOptions(opts);
  const makeRow = rowMaker(options);
  const parser = new Parser(options, (fields, line) => {
    const row = makeRow(fields, line);
    if (row !== undefined) onRow(row);
  });
  return {
    write: (chunk) => parser.write(chunk),
    end: () => parser.end(),
  };
}

/** Parses CSV text into rows: arrays of strings, or objects keyed by column with `header`. */
export function parse(text, opts = {}) {
  const rows = [];
  const parser = createParser(opts, (row) => rows.push(row));
  parser.write(text);
  parser.end();
  return rows;
}
