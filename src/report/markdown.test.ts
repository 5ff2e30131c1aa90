import { describe, expect, it } from 'vitest';
import { mdTable, mdText } from './markdown.ts';

/** Cells of a GFM table row: split at pipes not escaped by an odd run of backslashes. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i] as string;
    if (c === '\\') {
      cell += c + (row[i + 1] ?? '');
      i += 1;
    } else if (c === '|') {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out.slice(1, -1);
}

describe('markdown', () => {
  it('keeps a table row whole whatever its cells hold, and shows markup as text', () => {
    const hostile = ['pipe\\|back', 'evil<script>alert(1)</script>|x', '*bold* _u_ `code` ~~s~~ &lt;', 'a\nb'];
    const table = mdTable([['1', '2', '3', '4'], hostile]);
    const row = table.split('\n')[2] as string;
    expect(cells(row)).toHaveLength(4);
    expect(row).not.toMatch(/(^|[^\\])<script/);
    expect(row).not.toMatch(/(^|[^\\])\*bold/);
    expect(row).not.toMatch(/(^|[^\\])&lt;/);
  });

  it('leaves ids and intervals readable', () => {
    expect(mdText('pocket__semver-3')).toBe('pocket__semver-3');
    expect(mdText('0.586 [0.506, 0.683]')).toBe('0.586 [0.506, 0.683]');
    expect(mdText('tests/test_a.py::test_x[a b]')).toBe('tests/test_a.py::test_x[a b]');
  });
});
