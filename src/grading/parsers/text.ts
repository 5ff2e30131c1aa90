/**
 * Python string semantics the harness's parsers rely on. JavaScript's \s differs from Python's str.isspace()
 * (Python counts \x1c-\x1f and \x85, JavaScript counts \ufeff), and `.`/`^`/`$` treat \r differently, so the
 * parsers use these instead of the built-ins to split, strip and match exactly as the harness does.
 */
const pyWhitespace =
  '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** A regex source for one Python whitespace character (Python's \s in a str pattern). */
export const pyWhitespaceClass = `[${pyWhitespace}]`;
/** Python's \S. */
export const pyNonWhitespaceClass = `[^${pyWhitespace}]`;

const runs = new RegExp(`${pyWhitespaceClass}+`, 'u');
const leading = new RegExp(`^${pyWhitespaceClass}+`, 'u');
const trailing = new RegExp(`${pyWhitespaceClass}+$`, 'u');

/** Python's `s.split()`: split on runs of whitespace, no empty tokens. */
export function pySplit(s: string): string[] {
  return s.split(runs).filter((token) => token !== '');
}

/** Python's `s.strip()`. */
export function pyStrip(s: string): string {
  return s.replace(leading, '').replace(trailing, '');
}

/** Python's `s.split(sep)[0]`: the text before the first `sep`, or all of it. */
export function beforeFirst(s: string, sep: string): string {
  const at = s.indexOf(sep);
  return at < 0 ? s : s.slice(0, at);
}

/** Python's `s.rsplit(sep, 1)[0]`: the text before the last `sep`, or all of it. */
export function beforeLast(s: string, sep: string): string {
  const at = s.lastIndexOf(sep);
  return at < 0 ? s : s.slice(0, at);
}

/** Log lines exactly as Python's `log.split("\n")` gives them (a \r stays on its line). */
export function logLines(log: string): string[] {
  return log.split('\n');
}
