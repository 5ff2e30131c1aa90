import type { ParseOptions, StatusMap } from '../status.ts';
import { logLines, pySplit, pyStrip } from './text.ts';

/**
 * Failure headers such as `____ sympy/x/tests/test_y.py:test_z ____`, matched anywhere in the log as the
 * harness does (unanchored, greedy, not crossing a newline; a \r is an ordinary character as in Python).
 */
const failureHeader = /(_*) ([^\n]*)\.py:([^\n]*) (_*)/gu;

/**
 * parse_log_sympy (§3.6): `bin/test --verbose` lines `test_name ok|F|E`. Expected failures (`f`) and skips (`s`)
 * are not recorded. The v2.1 harness first cut a trailing `[OK]`/`[FAIL]` file verdict; v5 does not, so there
 * the last test of each file goes unrecorded.
 */
export function parseLogSympy(log: string, options: ParseOptions): StatusMap {
  const map: StatusMap = new Map();
  for (const match of log.matchAll(failureHeader)) map.set(`${match[2]}.py:${match[3]}`, 'FAILED');
  for (const rawLine of logLines(log)) {
    let line = pyStrip(rawLine);
    if (!line.startsWith('test_')) continue;
    if (options.era === 'v2' && (line.endsWith('[FAIL]') || line.endsWith('[OK]'))) {
      line = pyStrip(line.slice(0, line.lastIndexOf('[')));
    }
    const name = pySplit(line)[0] ?? '';
    if (line.endsWith(' E')) map.set(name, 'ERROR');
    if (line.endsWith(' F')) map.set(name, 'FAILED');
    if (line.endsWith(' ok')) map.set(name, 'PASSED');
  }
  return map;
}
