import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxTimerMs, timeoutMsFrom } from '../../src/cli/run-options.ts';
import { UsageError } from '../../src/errors.ts';
import { repoRoot } from '../../src/paths.ts';

// A dead engine: every case must fail on its options before it would need one.
const env = { DOCKER_HOST: 'unix:///nonexistent/hotmess-test/docker.sock' };
const hotmess = (...args: string[]) =>
  execa('node', [path.join(repoRoot, 'bin/hotmess.js'), ...args], { env, reject: false });

describe('timeout flags', () => {
  it('accept up to the longest delay a Node timer holds, in seconds', () => {
    expect(timeoutMsFrom('test-timeout', 1.5)).toBe(1500);
    expect(timeoutMsFrom('test-timeout', Math.floor(maxTimerMs / 1000))).toBeLessThanOrEqual(maxTimerMs);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, maxTimerMs / 1000 + 1, 1e12]) {
      expect(() => timeoutMsFrom('test-timeout', bad)).toThrow(UsageError);
    }
  });

  it.each([
    ['validate', '--test-timeout', '3000000'],
    ['run-one', '--instance', 'pocket__durations-1', '--test-timeout', '3000000'],
    ['run-one', '--instance', 'pocket__durations-1', '--command-timeout', '1e9'],
    ['run-one', '--instance', 'pocket__durations-1', '--time-limit', '1e9'],
  ])('are refused with one line and exit code 2 when they would overflow a timer: %s %s %s', async (...args) => {
    const r = await hotmess(...args);
    const flag = args.find((a) => a.endsWith('-timeout') || a === '--time-limit');
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`hotmess: ${flag} must be a positive number of seconds, at most 2147483.`);
  });
});

describe('numeric flags', () => {
  let logs: string;
  beforeAll(async () => {
    logs = await mkdtemp(path.join(tmpdir(), 'hotmess-flags-'));
  });
  afterAll(async () => {
    await rm(logs, { recursive: true, force: true });
  });

  it.each([
    [['run', '--test-timeout', '-5'], '--test-timeout must be a positive number of seconds, at most 2147483.'],
    [['run', '--test-timeout', '0'], '--test-timeout must be a positive number of seconds, at most 2147483.'],
    [['run', '--infra-retries', '-1'], '--infra-retries must be a whole number of at least 0.'],
    [['run', '--seed', 'abc', '--run-id', 'seeded'], '--seed must be a whole number.'],
    [['run', '--seed', '1.5', '--run-id', 'seeded'], '--seed must be a whole number.'],
    [['run', '--unrolls', '2', '--unrolls', '0'], '--unrolls must be a whole number of at least 1.'],
    [['run-one', '--instance', 'pocket__durations-1', '--seed', 'x'], '--seed must be a whole number.'],
    [['validate', '--repeat', '0'], '--repeat must be a whole number of at least 1.'],
    [['exec', '--timeout', '-1', '--', 'true'], '--timeout must be a positive number of seconds, at most 2147483.'],
    [['stats', 'x', '--bootstrap', '-1'], '--bootstrap must be a whole number of at least 0.'],
    [['sim-server', '--port', '70000'], '--port must be a whole number from 0 to 65535.'],
    [['run', '--pull-retries', '-1'], '--pull-retries must be a whole number of at least 0.'],
    [['images', 'pull', '--pull-concurrency', '0'], '--pull-concurrency must be a whole number of at least 1.'],
    [['run', '--max-image-disk', '0'], '--max-image-disk must be a number above 0.'],
  ])(
    'are refused as parsed, with one sentence and exit code 2, leaving no run directory: %j',
    async (args, message) => {
      const r = await execa('node', [path.join(repoRoot, 'bin/hotmess.js'), ...args], {
        env: { ...env, HOTMESS_LOGS: logs },
        reject: false,
      });
      expect(r.exitCode).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`hotmess: ${message}`);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      expect(await readdir(logs)).toEqual([]);
    },
  );

  it('--resume of a folder that is not a run fails like a missing path, with exit code 2', async () => {
    // The engine as set up: the run command connects to it before it looks at --resume.
    const resume = (dir: string) =>
      execa('node', [path.join(repoRoot, 'bin/hotmess.js'), 'run', '--resume', dir], { reject: false });
    const missing = await resume(path.join(logs, 'no-such-run'));
    expect(missing.exitCode).toBe(2);
    const notARun = await resume(logs);
    expect(notARun.stderr.split('\n')[0]).toBe(`hotmess: ${logs} is not a hotmess run directory (it has no run.json).`);
    expect(notARun.exitCode).toBe(2);
  });
});

describe('hotmess images build', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hotmess-images-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails with one line and exit code 2 when no record of --instances is valid', async () => {
    const file = path.join(dir, 'bad.jsonl');
    await writeFile(file, '{"instance_id": "a__a-1"}\n{"instance_id": \n');
    const r = await hotmess('images', 'build', '--instances', file);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      `hotmess: No valid instance record in ${file}: 2 bad, the first: ${file}:1: repo: Invalid input: expected string, received undefined (and 6 more issues).`,
    ]);
  });
});
