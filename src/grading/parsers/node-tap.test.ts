import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLogNodeTap } from './node-tap.ts';

const suiteFile = `
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
describe('parse', () => {
  describe('nested keys', () => {
    it('handles a[b][c]', () => { assert.equal(1, 1); });
    it('fails # with a hash', () => { assert.equal(1, 2); });
  });
  it('skips', { skip: 'not now' }, () => {});
  it('is todo', { todo: true }, () => { throw new Error('not yet'); });
  it('prints', () => { console.log('ok 9 - not a result'); });
  it('throws a message that looks like TAP', () => { throw new Error('boom\\n    ok 1 - fake'); });
});
test('top level', () => {});
test('with subtests', async (t) => {
  await t.test('sub one', () => {});
});
`;
const crashingFile = `throw new Error('file level boom');\n`;

let dir: string;
let tap: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hotmess-tap-'));
  await mkdir(path.join(dir, 'test'));
  await writeFile(path.join(dir, 'package.json'), '{"type": "module"}\n');
  await writeFile(path.join(dir, 'test', 'a.test.js'), suiteFile);
  await writeFile(path.join(dir, 'test', 'crash.test.js'), crashingFile);
  const run = await execa('node', ['--test', '--test-reporter=tap', 'test/a.test.js', 'test/crash.test.js'], {
    cwd: dir,
    reject: false,
    all: true,
  });
  tap = run.all;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const expected: Array<[string, string]> = [
  ['parse > nested keys > handles a[b][c]', 'PASSED'],
  ['parse > nested keys > fails # with a hash', 'FAILED'],
  ['parse > skips', 'SKIPPED'],
  ['parse > is todo', 'XFAIL'],
  ['parse > prints', 'PASSED'],
  ['parse > throws a message that looks like TAP', 'FAILED'],
  ['top level', 'PASSED'],
  ['with subtests > sub one', 'PASSED'],
];

/** Node 18's shape: each file's tests inside a top-level subtest named by the file's path. */
function wrapPerFile(file: string, body: string): string {
  const indented = body
    .split('\n')
    .map((line) => (line === '' ? line : `    ${line}`))
    .join('\n');
  return `# Subtest: ${file}\n${indented}\nnot ok 1 - ${file}\n  ---\n  duration_ms: 12\n  ...\n`;
}

describe('parse_log_node_tap', () => {
  it(`reads the real TAP output of this host's Node (${process.version})`, () => {
    expect(tap).toContain('TAP version 13');
    const map = parseLogNodeTap(tap);
    const crash = [...map.keys()].filter((id) => id.endsWith('crash.test.js'));
    expect(crash).toHaveLength(1);
    expect(map.get(crash[0]!)).toBe('FAILED');
    map.delete(crash[0]!);
    expect([...map]).toEqual(expected);
  });

  it('drops the per-file wrapper subtest of Node 18 from the ids', () => {
    const body = tap
      .split('\n')
      .filter((line) => !line.startsWith('TAP version'))
      .join('\n');
    const map = parseLogNodeTap(`TAP version 13\n${wrapPerFile('/testbed/test/a.test.js', body)}1..1\n`);
    for (const [id, status] of expected) expect(map.get(id)).toBe(status);
    expect([...map.keys()].some((id) => id.startsWith('/testbed/test/a.test.js >'))).toBe(false);
  });

  it('records leaves only and un-escapes names', () => {
    const log = [
      'TAP version 13',
      '# Subtest: outer \\\\ path',
      '    # Subtest: inner \\# 1',
      '    ok 1 - inner \\# 1 # SKIP because',
      '    # Subtest: todo done',
      '    ok 2 - todo done # TODO',
      '    1..2',
      'ok 1 - outer \\\\ path',
      '# Subtest: empty describe',
      'ok 2 - empty describe',
    ].join('\r\n');
    expect([...parseLogNodeTap(log)]).toEqual([
      ['outer \\ path > inner # 1', 'SKIPPED'],
      ['outer \\ path > todo done', 'XFAIL'],
      ['empty describe', 'PASSED'],
    ]);
  });

  it('finds nothing in output that is not TAP', () => {
    expect(parseLogNodeTap('▶ parse\n  ✔ works (0.5ms)\nℹ tests 1\n').size).toBe(0);
  });
});
