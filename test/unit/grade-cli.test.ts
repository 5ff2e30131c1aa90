import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/paths.ts';

const swebench = path.join(path.resolve(repoRoot, '../shared'), 'swebench');
const haveShared = existsSync(swebench);
if (!haveShared) console.log(`skipping hotmess grade CLI tests: ${swebench} is absent`);

const verified = path.join(swebench, 'datasets/SWE-bench_Verified.test.jsonl');
const runDir = path.join(swebench, 'harness-logs/20240620_sweagent_claude3.5sonnet__verified');
const harnessLogs = path.join(swebench, 'harness-logs');

function hotmess(...args: string[]) {
  return execa('node', [path.join(repoRoot, 'bin/hotmess.js'), ...args], { cwd: repoRoot, reject: false });
}

describe.skipIf(!haveShared)('hotmess grade', () => {
  it.each(['django__django-11099', 'sympy__sympy-12419', 'astropy__astropy-14182'])(
    'prints exactly the official report.json of %s and nothing else on stdout',
    async (id) => {
      const dir = path.join(runDir, id);
      const run = await hotmess(
        'grade',
        '--instances',
        verified,
        '--instance-id',
        id,
        '--log',
        path.join(dir, 'test_output.txt'),
      );
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')));
      expect(run.stderr).toMatch(new RegExp(`^${id}: RESOLVED_(FULL|NO|PARTIAL) by parse_log_\\w+ under v2 rules`));
    },
  );

  it('honours --era and --parser', async () => {
    const dir = path.join(runDir, 'django__django-11099');
    const log = path.join(dir, 'test_output.txt');
    const v5 = await hotmess(
      'grade',
      '--instances',
      verified,
      '--instance-id',
      'django__django-11099',
      '--log',
      log,
      '--era',
      'v5',
    );
    expect(v5.exitCode).toBe(0);
    expect(JSON.parse(v5.stdout)['django__django-11099']).toMatchObject({
      patch_successfully_applied: false,
      resolved: false,
      infra_failure: false,
    });
    expect(v5.stderr).toMatch(/not applied: markers_missing: the log lacks one of the start\/end test-output markers/);
    const other = await hotmess(
      'grade',
      '--instances',
      verified,
      '--instance-id',
      'django__django-11099',
      '--log',
      log,
      '--parser',
      'parse_log_pytest',
    );
    expect(JSON.parse(other.stdout)['django__django-11099'].resolved).toBe(false);
  });

  it.each([
    [
      ['--instance-id', 'nope__nope-1', '--log', 'x.txt'],
      /^hotmess: No instance nope__nope-1 in .* \(500 instances loaded\)\.$/,
    ],
    [
      ['--instance-id', 'django__django-11099', '--log', '/no/such/test_output.txt'],
      /^hotmess: Log file \/no\/such\/test_output\.txt does not exist\.$/,
    ],
    [
      ['--instance-id', 'django__django-11099', '--log', verified, '--parser', 'parse_log_nope'],
      /^hotmess: Unknown log parser parse_log_nope /,
    ],
    [['--instance-id', 'django__django-11099', '--log', verified, '--era', 'v9'], /^hotmess: Invalid values:/],
    [['--log', verified], /^hotmess: Missing required argument: instance-id/],
  ])('fails with one named line and exit code 2: %j', async (args, message) => {
    const run = await hotmess('grade', '--instances', verified, ...args);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    // The prediction's patch was None: the report says so and evaluates nothing.
    ['composio_langgraph__langgraph_agent_1725960377N', ['--no-patch']],
    // An empty patch ("", not None) from the same runner: evaluated like any patch.
    ['composio_langgraph__langgraph_agent_1725824120N', ['--patch', 'patch.diff']],
  ])('reproduces the report of an empty or None patch (%s, %j)', async (system, flags) => {
    const dir = path.join(harnessLogs, system, 'sympy__sympy-13551');
    const patchFlags = flags.map((f) => (f === 'patch.diff' ? path.join(dir, f) : f));
    const run = await hotmess(
      'grade',
      '--instances',
      verified,
      '--instance-id',
      'sympy__sympy-13551',
      '--log',
      path.join(dir, 'test_output.txt'),
      ...patchFlags,
    );
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')));
  });

  it('names a --patch file that does not exist, and --patch without a file', async () => {
    const log = path.join(runDir, 'django__django-11099', 'test_output.txt');
    const missing = await hotmess(
      'grade',
      '--instances',
      verified,
      '--instance-id',
      'django__django-11099',
      '--log',
      log,
      '--patch',
      '/no/such.diff',
    );
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe('hotmess: Patch file /no/such.diff does not exist.');
    const bare = await hotmess(
      'grade',
      '--instances',
      verified,
      '--instance-id',
      'django__django-11099',
      '--log',
      log,
      '--patch',
    );
    expect(bare.exitCode).toBe(2);
    expect(bare.stderr.split('\n')[0]).toBe('hotmess: --patch needs a file (or use --no-patch for a None patch).');
  });

  it.each([
    ['empty', Buffer.alloc(0), 'it is empty'],
    ['binary', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0x10]), 'it is binary (it holds NUL bytes)'],
  ])('says that an %s file is not a test log, with exit code 2', async (_kind, bytes, why) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hotmess-grade-log-'));
    try {
      const log = path.join(dir, 'test_output.txt');
      await writeFile(log, bytes);
      const run = await hotmess('grade', '--instances', verified, '--instance-id', 'django__django-11099', log);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`hotmess: Log file ${log} is not a test log: ${why}.`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('grades a folder of harness instance folders in one process: a JSON line per instance and a summary', async () => {
    const run = await hotmess('grade', '--instances', verified, runDir);
    expect(run.exitCode).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { instance_id: string; report: Record<string, { resolved: boolean }> });
    const folders = readdirSync(runDir, { withFileTypes: true }).filter(
      (e) => e.isDirectory() && existsSync(path.join(runDir, e.name, 'test_output.txt')),
    );
    expect(lines.map((l) => l.instance_id)).toEqual(folders.map((e) => e.name).sort());
    const want = JSON.parse(readFileSync(path.join(runDir, 'django__django-11099', 'report.json'), 'utf8'));
    expect(lines.find((l) => l.instance_id === 'django__django-11099')?.report).toEqual(want);
    const summary = run.stderr.trim().split('\n').at(-1);
    expect(summary).toMatch(
      new RegExp(
        `^graded ${lines.length} of ${lines.length} logs in [\\d.]+ s: \\d+ RESOLVED_FULL, .* agree on resolved`,
      ),
    );
  });

  it('names a missing instance file', async () => {
    const run = await hotmess('grade', '--instances', '/no/such.jsonl', '--instance-id', 'x', '--log', 'y');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe('hotmess: Instance file /no/such.jsonl does not exist.');
  });
});

describe('hotmess grade on a broken instance file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hotmess-grade-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('says how many problems the file had and what the first was, not only that the id is unknown', async () => {
    const file = path.join(dir, 'arr.json');
    await writeFile(file, '[\n{"instance_id": "a__a-1",\n "repo": }\n]\n');
    const run = await hotmess(
      'grade',
      '--instances',
      file,
      '--instance-id',
      'a__a-1',
      '--log',
      path.join(dir, 'none.txt'),
    );
    expect(run.exitCode).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^hotmess: No instance a__a-1 in ${file} \\(0 instances loaded; 1 problem, the first: ${file}(:3)?: invalid JSON: .+\\)\\.$`,
      ),
    );
  });
});
