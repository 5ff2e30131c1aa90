function formatField(value) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  // Anything that could end the field or the record early has to be quoted.
  return /[",\r\n]/.test(text) ? '"' + text.replaceAll('"', '""') + '"' : text;
}

/** Writes rows (arrays of values) as CSV, one line per row. */
export function stringify(rows) {
  return rows.map((row) => row.map(formatField).join(',') + '\n').join('');
}
