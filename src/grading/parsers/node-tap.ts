import type { StatusMap } from '../status.ts';
import { logLines } from './text.ts';

const subtestLine = /^((?: {4})*)# Subtest: (.*)$/;
const resultLine = /^((?: {4})*)(not ok|ok) \d+(?: - (.*))?$/;
/** Node 18 wraps each test file in a top-level subtest named by the file's path; it is not part of test ids. */
const filePathName = /^(?:\/|\.{1,2}\/)?(?:[^\s/]+\/)*[^\s/]+\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Joins the names from the outermost describe down to a test. */
export const nodeTapIdSeparator = ' > ';

/**
 * parse_log_node_tap: the TAP reporter of node:test (`node --test --test-reporter=tap`), Node 18 and 20.
 * Nesting is read from indentation (4 spaces per level) and `# Subtest:` lines. Only leaves are recorded
 * (a describe or a test with subtests is not a test id), keyed by the chain of names joined by " > ".
 * `ok` -> PASSED, `not ok` -> FAILED, `# SKIP` -> SKIPPED, and `# TODO` -> XFAIL whether it passed or not,
 * because node:test itself never fails a run for a todo test. A per-file wrapper subtest is dropped from the
 * chain; one without children (the file crashed before defining tests) is recorded under its path as a failure.
 * YAML diagnostic blocks are skipped, so an error message that looks like a result line is not one.
 */
export function parseLogNodeTap(log: string): StatusMap {
  const map: StatusMap = new Map();
  const names: string[] = [];
  const sawChild: boolean[] = [];
  let wrapped = false;
  let yamlEnd: string | undefined;
  for (const rawLine of logLines(log)) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (yamlEnd !== undefined) {
      if (line === yamlEnd) yamlEnd = undefined;
      continue;
    }
    const subtest = subtestLine.exec(line);
    if (subtest) {
      const level = (subtest[1] ?? '').length / 4;
      const name = unescapeTap(subtest[2] ?? '');
      names.length = level;
      names[level] = name;
      sawChild.length = level;
      sawChild[level] = false;
      if (level === 0) wrapped = filePathName.test(name);
      continue;
    }
    const result = resultLine.exec(line);
    if (!result) {
      if (line.trimStart() === '---') yamlEnd = `${line.slice(0, line.indexOf('---'))}...`;
      continue;
    }
    const indent = result[1] ?? '';
    const level = indent.length / 4;
    const { name, directive } = splitDirective(result[3] ?? '');
    if (level > 0) sawChild[level - 1] = true;
    const isLeaf = sawChild[level] !== true;
    sawChild[level] = false;
    if (!isLeaf) continue;
    const chain = [...names.slice(0, level), name];
    const id = (wrapped && level > 0 ? chain.slice(1) : chain).join(nodeTapIdSeparator);
    map.set(id, statusOf(result[2] === 'ok', directive));
  }
  return map;
}

function statusOf(ok: boolean, directive: string): string {
  if (/^todo\b/i.test(directive)) return 'XFAIL';
  if (/^skip\b/i.test(directive)) return 'SKIPPED';
  return ok ? 'PASSED' : 'FAILED';
}

/** The reporter escapes `\` as `\\` and `#` as `\#` in names; the first unescaped `#` starts a directive. */
function splitDirective(text: string): { name: string; directive: string } {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '#')
      return { name: unescapeTap(text.slice(0, i).trimEnd()), directive: text.slice(i + 1).trim() };
  }
  return { name: unescapeTap(text), directive: '' };
}

/**
 * Undoes `\\` and `\#`. Control characters stay as the two-character escapes the reporter printed (`\n` etc.),
 * because the reporter's escaping makes a newline and a literal backslash-n indistinguishable.
 */
function unescapeTap(text: string): string {
  return text.replace(/\\([\\#])/g, '$1');
}
