import type { StatusMap } from '../status.ts';
import { beforeFirst, beforeLast, logLines, pySplit, pyStrip, pyWhitespaceClass } from './text.ts';

const ws = pyWhitespaceClass;
// Python's re.MULTILINE `^`/`$` see only \n as a line break (JavaScript's also see \r), hence the lookarounds.
const lineStart = '(?<=^|\\n)';
const lineEnd = '(?=\\n|$)';
/**
 * Results interrupted by a multi-line print, seen in three shapes (§3.7): `<test> ... <output>\nok`.
 * Group 1 is the test.
 */
const interruptedResults = [
  new RegExp(
    `${lineStart}([^\\n]*?)${ws}\\.\\.\\.${ws}Testing against Django installed in ([\\s\\S]*?) silenced\\)\\.\\nok${lineEnd}`,
    'gu',
  ),
  new RegExp(`${lineStart}([^\\n]*?)${ws}\\.\\.\\.${ws}Internal Server Error: \\/([^\\n]*)\\/\\nok${lineEnd}`, 'gu'),
  new RegExp(
    `${lineStart}([^\\n]*?)${ws}\\.\\.\\.${ws}System check identified no issues \\(0 silenced\\)\\nok${lineEnd}`,
    'gu',
  ),
];

const passSuffixes = [' ... ok', ' ... OK', ' ...  OK'];
const django7188Prefix = 'Applying sites.0002_alter_domain_unique...test_no_migrations';

/**
 * parse_log_django (§3.7): unittest verbose output `test_x (module.Class) ... ok|FAIL|ERROR|skipped`, the
 * `FAIL:`/`ERROR:` headers, a bare `ok` after intervening output, and three known multi-line interruptions.
 * The checks are independent and applied in the harness's order, so later ones win.
 */
export function parseLogDjango(log: string): StatusMap {
  const map: StatusMap = new Map();
  let prevTest: string | undefined;
  for (const rawLine of logLines(log)) {
    let line = pyStrip(rawLine);
    if (line.includes('--version is equivalent to version')) map.set('--version is equivalent to version', 'PASSED');
    if (line.includes(' ... ')) prevTest = beforeFirst(line, ' ... ');
    const suffix = passSuffixes.find((s) => line.endsWith(s));
    if (suffix !== undefined) {
      if (line.startsWith(django7188Prefix)) line = pyStrip(line.slice(line.indexOf('...') + 3));
      map.set(beforeLast(line, suffix), 'PASSED');
    }
    if (line.includes(' ... skipped')) map.set(beforeFirst(line, ' ... skipped'), 'SKIPPED');
    if (line.endsWith(' ... FAIL')) map.set(beforeFirst(line, ' ... FAIL'), 'FAILED');
    const header = pySplit(line)[1];
    if (line.startsWith('FAIL:') && header !== undefined) map.set(header, 'FAILED');
    if (line.endsWith(' ... ERROR')) map.set(beforeFirst(line, ' ... ERROR'), 'ERROR');
    if (line.startsWith('ERROR:') && header !== undefined) map.set(header, 'ERROR');
    if (line.startsWith('ok') && prevTest !== undefined) map.set(prevTest, 'PASSED');
  }
  for (const pattern of interruptedResults) {
    for (const match of log.matchAll(pattern)) map.set(match[1] ?? '', 'PASSED');
  }
  return map;
}
