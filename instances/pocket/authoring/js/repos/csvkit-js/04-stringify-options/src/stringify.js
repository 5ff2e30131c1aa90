const defaults = { delimiter: ',', eol: '\n', columns: null, header: true, quoteAll: false };

function formatField(value, options) {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  // Anything that could end the field or the record early has to be quoted.
  const special = /[",\r\n]/.test(text);
  return options.quoteAll || special ? '"' + text.replaceAll('"', '""') + '"' : text;
}

/** Writes rows as CSV, one line per row; object rows get a header line first. */
export function stringify(rows, opts = {}) {
  const options = { ...defaults, ...opts };
  const line = (values) =>
    values.map((value) => formatField(value, options)).join(options.delimiter) + options.eol;

  if (rows.length === 0 || Array.isArray(rows[0])) return rows.map(line).join('');

  const columns = options.columns ?? Object.keys(rows[0]);
  const body = rows.map((row) => line(columns.map((column) => row[column]))).join('');
  return options.header ? line(columns) + body : body;
}
