import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
