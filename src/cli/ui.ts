import { err, out } from '../colour.ts';
import type { ProgressFn } from '../images/progress.ts';

/** Progress lines go to stderr so stdout stays clean for data (JSON, tables). */
export const stderrProgress: ProgressFn = (line) => {
  process.stderr.write(`${err.dim(line)}\n`);
};

export function fmtBytes(bytes: number | null): string {
  if (bytes === null) return 'unknown';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i += 1;
  }
  return `${v.toFixed(v < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

/** Left-aligned text table; the first row is the header. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell))))
        .join('  '),
    )
    .join('\n');
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/** Status colours for tables printed on stdout. */
export const ok = (text: string) => out.green(text);
export const bad = (text: string) => out.red(text);
export const warn = (text: string) => out.yellow(text);
