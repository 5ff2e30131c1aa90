import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInstances } from '../../src/instances/load.ts';
import { repoRoot } from '../../src/paths.ts';
import { defaultSimSpec } from '../../src/sim/default-spec.ts';
import { expectSpec } from '../../src/sim/expected.ts';

const datasets = path.join(path.resolve(repoRoot, '../shared'), 'swebench/datasets');
const haveShared = existsSync(datasets);
if (!haveShared) console.log(`skipping the --dataset tests on the shared Verified file: ${datasets} is absent`);

let empty: string;
let logs: string;
beforeAll(async () => {
  empty = await mkdtemp(path.join(tmpdir(), 'hotmess-nodata-'));
  logs = await mkdtemp(path.join(tmpdir(), 'hotmess-data-logs-'));
});
afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
  await rm(logs, { recursive: true, force: true });
});

// A dead engine: every case must fail on its input before it would need one.
const hotmess = (args: string[], env: Record<string, string> = {}) =>
  execa('node', [path.join(repoRoot, 'bin/hotmess.js'), ...args], {
    env: {
      DOCKER_HOST: 'unix:///nonexistent/hotmess-test/docker.sock',
      HOTMESS_LOGS: logs,
      HOTMESS_DATA: empty,
      ...env,
    },
    reject: false,
  });

describe('the flags of issue 9', () => {
  it.each([
    [['run', '--sim-default', 'gold=-1'], /^--sim-default gold=-1 is not a mix such as gold=0\.6,empty=0\.4/],
    [['expected', '--sim-default', 'gold=0,empty=0'], /^--sim-default gold=0,empty=0 is not a mix/],
    [['run', '--dataset', 'verifed'], /^--dataset verifed is not one of verified, lite, full, multilingual/],
    [['run', '--dataset', 'verified:dev'], /^--dataset verified:dev: verified has the splits test\.$/],
    [['run', '--dataset', 'lite', '--instances', 'x.jsonl'], /^Give --dataset or --instances, not both\.$/],
    [['run', '--max-run-cost', '0'], /^--max-run-cost must be a number above 0\.$/],
    [['run', '--dry-run', '--resume', 'x'], /^--dry-run plans a new run: leave out --resume\.$/],
  ])('refuses %j with one sentence and exit code 2', async (args, message) => {
    const r = await hotmess(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]?.replace(/^hotmess: /, '')).toMatch(message);
    expect(await readdir(logs)).toEqual([]);
  });

  it('says where to put a missing dataset and where it comes from, exit code 2', async () => {
    const r = await hotmess(['expected', '--dataset', 'lite']);
    expect(r.exitCode).toBe(2);
    const [line, ...rest] = r.stderr.trim().split('\n');
    expect(rest).toEqual([]);
    expect(line).toContain(
      `is not in ${empty}: put its data/test-*.parquet from https://huggingface.co/datasets/SWE-bench/SWE-bench_Lite into ${path.join(empty, 'SWE-bench_Lite')}`,
    );
  });

  it.skipIf(!haveShared)(
    'expected --dataset verified gives the default spec figures of real instances without a sim spec',
    async () => {
      const ids = ['astropy__astropy-12907', 'django__django-11099'];
      const r = await hotmess(
        [
          'expected',
          '--dataset',
          'verified',
          '--instance-ids',
          ...ids,
          '--sim-default',
          'gold=0.7,empty=0.3',
          '--json',
        ],
        { HOTMESS_DATA: datasets },
      );
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      const printed = JSON.parse(r.stdout) as { tasks: { instanceId: string; error: number; variance: number }[] };
      const { instances } = await loadInstances(path.join(datasets, 'SWE-bench_Verified.test.jsonl'), {
        only: new Set(ids),
      });
      const exact = instances.map((i) =>
        expectSpec(defaultSimSpec(i, { gold: 0.7, empty: 0.3 }), { actionLimit: 124 }),
      );
      expect(printed.tasks.map((t) => [t.instanceId, t.error, t.variance])).toEqual(
        exact.map((e) => [e.instanceId, e.error, e.variance]),
      );
      // Failing-to-pass tests pass exactly when the gold patch is written.
      const first = exact[0];
      const f2p = first?.tests.filter((t) => t.category === 'FAIL_TO_PASS') ?? [];
      expect(f2p.every((t) => Math.abs(t.pass - 0.7) < 1e-12)).toBe(true);
    },
  );
});
