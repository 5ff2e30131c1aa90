// Shared helpers of build.mjs and check.mjs: deterministic git, search/replace edits, node:test TAP parsing.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const AUTHORING = path.dirname(fileURLToPath(import.meta.url));
export const POCKET = path.resolve(AUTHORING, '..', '..');
export const TASKS_SRC = path.join(AUTHORING, 'tasks');
export const REPOS_SRC = path.join(AUTHORING, 'repos');
export const JSONL = path.join(POCKET, 'js.jsonl');
export const TEST_CMD = 'node --test --test-reporter=tap';

// Neither the user's nor the system's git config may leak into hashes or diff output.
const GIT_ENV = {
  PATH: process.env.PATH,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  HOME: os.tmpdir(),
  LC_ALL: 'C',
  TZ: 'UTC',
};

export function git(cwd, args, extraEnv = {}) {
  return execFileSync('git', ['-c', 'core.abbrev=7', '-c', 'pack.threads=1', ...args], {
    cwd,
    env: { ...GIT_ENV, ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Task directories under tasks/, sorted, with their task.json. */
export function loadTasks() {
  return fs
    .readdirSync(TASKS_SRC)
    .sort()
    .map((id) => ({ id, dir: path.join(TASKS_SRC, id), ...readJson(path.join(TASKS_SRC, id, 'task.json')) }));
}

export const isTestFile = (file) => file.startsWith('test/') || file.endsWith('.test.js');

/** Files a unified git diff touches (its b/ side, or a/ for deletions). */
export function diffFiles(diff) {
  const files = [];
  for (const match of diff.matchAll(/^diff --git a\/(\S+) b\/(\S+)$/gm)) files.push(match[2]);
  return files;
}

/**
 * Parses an .edits file: "=== FILE <path>" selects a file, then blocks of
 *   <<<<<<< SEARCH / ======= / >>>>>>> REPLACE
 * each replace exactly one occurrence; an empty SEARCH creates the file.
 */
export function parseEdits(text, source) {
  const edits = [];
  let file = null;
  let mode = null;
  let search = [];
  let replace = [];
  text.split('\n').forEach((line, index) => {
    const where = `${source}:${index + 1}`;
    if (mode === null) {
      if (line.startsWith('=== FILE ')) file = line.slice('=== FILE '.length).trim();
      else if (line === '<<<<<<< SEARCH') {
        if (!file) throw new Error(`${where}: SEARCH before any "=== FILE"`);
        mode = 'search';
        search = [];
        replace = [];
      } else if (line.trim() !== '') throw new Error(`${where}: unexpected line outside a block`);
    } else if (mode === 'search') {
      if (line === '=======') mode = 'replace';
      else search.push(line);
    } else if (line === '>>>>>>> REPLACE') {
      const join = (lines) => (lines.length ? lines.join('\n') + '\n' : '');
      edits.push({ file, search: join(search), replace: join(replace), where });
      mode = null;
    } else replace.push(line);
  });
  if (mode !== null) throw new Error(`${source}: unterminated block`);
  return edits;
}

export function applyEdits(dir, edits) {
  for (const edit of edits) {
    const target = path.join(dir, edit.file);
    if (edit.search === '') {
      if (fs.existsSync(target)) throw new Error(`${edit.where}: ${edit.file} already exists`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, edit.replace);
      continue;
    }
    const text = fs.readFileSync(target, 'utf8');
    const count = text.split(edit.search).length - 1;
    if (count !== 1) throw new Error(`${edit.where}: SEARCH matches ${count} times in ${edit.file}`);
    fs.writeFileSync(target, text.replace(edit.search, () => edit.replace));
  }
}

/** The diff that an .edits file makes against `commit`, produced in the clean checkout `dir`. */
export function diffFromEdits(dir, commit, editsFile) {
  git(dir, ['checkout', '-q', '--detach', commit]);
  applyEdits(dir, parseEdits(fs.readFileSync(editsFile, 'utf8'), editsFile));
  git(dir, ['add', '-A']);
  const diff = git(dir, ['diff', '--cached', '--no-color', '--no-ext-diff', '--no-renames', commit]);
  git(dir, ['reset', '-q', '--hard', commit]);
  git(dir, ['clean', '-qfdx']);
  if (!diff) throw new Error(`${editsFile} changes nothing`);
  return diff;
}

/**
 * Per-test statuses from node:test TAP output: the chain of subtest names joined by " > ".
 * Only leaf tests count (a describe's own ok line only summarises its children). Node 18 wraps
 * each file in a subtest named by its path; that level is dropped.
 */
export function parseTap(log) {
  const results = new Map();
  const duplicates = [];
  const stack = [];
  const hasChildren = [];
  for (const line of log.split('\n')) {
    const subtest = /^((?: {4})*)# Subtest: (.*)$/.exec(line);
    if (subtest) {
      const level = subtest[1].length / 4;
      stack.length = level;
      stack[level] = subtest[2];
      hasChildren.length = level;
      hasChildren[level] = false;
      if (level > 0) hasChildren[level - 1] = true;
      continue;
    }
    const result = /^((?: {4})*)(not ok|ok) \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/.exec(line);
    if (!result) continue;
    const level = result[1].length / 4;
    if (hasChildren[level]) continue;
    let chain = stack.slice(0, level + 1);
    if (chain.length && /(^|\/)[^/\s]+\.[cm]?js$/.test(chain[0])) chain = chain.slice(1);
    if (!chain.length) continue;
    const status = result[4] ? result[4].toLowerCase() : result[2] === 'ok' ? 'pass' : 'fail';
    const id = chain.join(' > ');
    if (results.has(id)) duplicates.push(id);
    results.set(id, status);
  }
  return { results, duplicates };
}

/** Runs the task's test command on `files` in `dir`; returns test id -> status. */
export function runTests(dir, files, node = process.env.NODE_BIN || 'node') {
  const run = spawnSync(node, ['--test', '--test-reporter=tap', ...files], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: os.tmpdir() },
  });
  if (run.error) throw run.error;
  return { ...parseTap(run.stdout), log: run.stdout + run.stderr };
}
