/**
 * RFC 4180 CSV: fields separated by `separator`, optionally double-quoted (a quote inside doubled), records
 * ending in LF or CRLF (a quoted field may span lines). Blank lines are skipped.
 */
export function parseCsv(text: string, separator = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = (): void => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === separator) {
      row.push(field);
      field = '';
    } else if (ch === '\n') endRow();
    else if (ch !== '\r' || text[i + 1] !== '\n') field += ch;
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
