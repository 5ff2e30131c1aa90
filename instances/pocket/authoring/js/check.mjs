// Verifies every record of js.jsonl on this host, as the grader will: clone the bundle, check out
// base_commit, apply a candidate patch, reset the test files and apply test_patch, run test_cmd on
// the files test_patch touches, and compare per-test outcomes with FAIL_TO_PASS, PASS_TO_PASS and
// each spec candidate's declared `fails`.
//   node check.mjs [instance_id ...] [--print]     (--print shows actual failing sets; NODE_BIN picks node)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { JSONL, POCKET, diffFiles, git, isTestFile, runTests, tempDir } from './lib.mjs';

const args = process.argv.slice(2);
const print = args.includes('--print');
const only = args.filter((arg) => !arg.startsWith('--'));
const records = fs
  .readFileSync(JSONL, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line))
  .filter((record) => only.length === 0 || only.includes(record.instance_id));

const sameSet = (a, b) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
let problems = 0;
function problem(id, message) {
  problems++;
  console.log(`  FAIL ${id}: ${message}`);
}

const work = tempDir('pocket-js-check-');
try {
  for (const record of records) {
    const id = record.instance_id;
    console.log(`${id} (${record.difficulty})`);
    const dir = path.join(work, id);
    git(work, ['clone', '-q', path.join(POCKET, record.source), dir]);
    const base = git(dir, ['rev-parse', '--verify', `${record.base_commit}^{commit}`]).trim();
    if (base !== record.base_commit) problem(id, 'base_commit is not a full hash in the bundle');

    const f2p = record.FAIL_TO_PASS;
    const p2p = record.PASS_TO_PASS;
    const listed = [...f2p, ...p2p];
    if (f2p.length < 1 || p2p.length < 5) problem(id, `needs >= 1 FAIL_TO_PASS and >= 5 PASS_TO_PASS`);
    if (new Set(listed).size !== listed.length) problem(id, 'a test is listed twice');
    const testFiles = diffFiles(record.test_patch);
    if (!testFiles.every(isTestFile)) problem(id, `test_patch touches non-test files: ${testFiles}`);
    if (diffFiles(record.patch).some(isTestFile)) problem(id, 'gold patch touches test files');

    /** Statuses of the listed tests with `patch` (null: none) and test_patch applied. */
    const scenario = (patch) => {
      git(dir, ['checkout', '-q', '--detach', '-f', base]);
      git(dir, ['clean', '-qfdx']);
      const apply = (text) => {
        const file = path.join(work, 'apply.diff');
        fs.writeFileSync(file, text);
        git(dir, ['apply', file]);
      };
      if (patch) apply(patch);
      git(dir, ['checkout', base, '--', ...testFiles.filter((f) => fs.existsSync(path.join(dir, f)))]);
      apply(record.test_patch);
      return runTests(dir, testFiles);
    };
    const failing = (run) => listed.filter((test) => run.results.get(test) !== 'pass');

    const before = scenario(null);
    const stillPassing = f2p.filter((test) => before.results.get(test) === 'pass');
    const notPassing = p2p.filter((test) => before.results.get(test) !== 'pass');
    if (stillPassing.length) problem(id, `FAIL_TO_PASS passing before the fix: ${stillPassing.join(' | ')}`);
    if (notPassing.length) problem(id, `PASS_TO_PASS not passing before the fix: ${notPassing.join(' | ')}`);

    const gold = scenario(record.patch);
    if (failing(gold).length) problem(id, `gold leaves failing: ${failing(gold).join(' | ')}`);
    const unlisted = [...gold.results.keys()].filter((test) => !listed.includes(test));
    if (unlisted.length) problem(id, `tests in the touched files but not listed: ${unlisted.join(' | ')}`);
    if (gold.duplicates.length) problem(id, `duplicate test ids: ${gold.duplicates.join(' | ')}`);

    // Ids must be unique across all of the repository's test files, not only the touched ones.
    const allFiles = git(dir, ['ls-files', 'test']).split('\n').filter((f) => f.endsWith('.test.js'));
    const everything = runTests(dir, allFiles);
    if (everything.duplicates.length) problem(id, `ids repeat across files: ${everything.duplicates.join(' | ')}`);

    const specFile = path.join(POCKET, record.sim);
    const spec = parseYaml(fs.readFileSync(specFile, 'utf8'));
    if (spec.instance_id !== id) problem(id, 'spec instance_id differs');
    const commands = spec.commands ?? [];
    if (commands.length < 8 || commands.length > 20) problem(id, `${commands.length} commands, want 8-20`);
    // The simulated agent runs these at base_commit: each must work there (grep finding nothing is fine).
    git(dir, ['checkout', '-q', '--detach', '-f', base]);
    git(dir, ['clean', '-qfdx']);
    for (const command of commands) {
      const run = spawnSync('bash', ['-c', command], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
      const broken = /No such file|command not found|Cannot find module|SyntaxError|unknown option/i;
      if (run.status === null || run.status > 1 || broken.test(run.stderr)) {
        problem(id, `command fails at base (${run.status}): ${command}\n${run.stderr.slice(0, 300)}`);
      }
    }
    const failSets = new Set();
    for (const [name, candidate] of Object.entries(spec.candidates)) {
      const declared = candidate.fails ?? [];
      const unknown = declared.filter((test) => !listed.includes(test));
      if (unknown.length) problem(id, `${name} declares unlisted tests: ${unknown.join(' | ')}`);
      let actual;
      if (candidate.patch === null) {
        actual = f2p;
      } else if (candidate.patch === 'gold') {
        actual = failing(gold);
      } else {
        const patch = fs.readFileSync(path.resolve(path.dirname(specFile), candidate.patch), 'utf8');
        if (diffFiles(patch).some(isTestFile)) problem(id, `${name} touches test files`);
        actual = failing(scenario(patch));
      }
      if (print) console.log(`  ${name}: ${JSON.stringify(actual)}`);
      if (!sameSet(actual, declared)) {
        problem(id, `${name} declares [${declared.join(' | ')}] but fails [${actual.join(' | ')}]`);
      }
      if (candidate.patch !== 'gold') {
        const key = [...declared].sort().join('\n');
        if (failSets.has(key) && candidate.patch !== null) problem(id, `${name} repeats another candidate's fails`);
        failSets.add(key);
      }
    }
    console.log(`  ${f2p.length} FAIL_TO_PASS, ${p2p.length} PASS_TO_PASS, ${Object.keys(spec.candidates).length} candidates`);
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(problems ? `${problems} problem(s)` : `all ${records.length} tasks check out`);
process.exit(problems ? 1 : 0);
