import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { actionCapacity, defaultLimits } from '../../src/agent/limits.ts';
import { main } from '../../src/cli/main.ts';
import { loadInstances } from '../../src/instances/load.ts';
import { repoRoot } from '../../src/paths.ts';
import { expectSpec } from '../../src/sim/expected.ts';
import { loadSimSpec } from '../../src/sim/spec-load.ts';

const { instances } = await loadInstances(path.join(repoRoot, 'instances', 'pocket'), { strict: true });

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, out: out.join(''), err: err.join('') };
}

describe('hotmess expected', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('prints every task and the set, with the plug-in figure a run of R unrolls should measure', async () => {
    const { code, out } = await run(['expected', '--unrolls', '30']);
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(instances.length + 2);
    const specs = await Promise.all(
      instances.map(async (i) => expectSpec(await loadSimSpec(i), { actionLimit: actionCapacity(defaultLimits) })),
    );
    const v = specs.reduce((s, t) => s + t.variance, 0);
    const e = specs.reduce((s, t) => s + t.error, 0);
    const last = (lines.at(-1) as string).trim().split(/\s+/);
    expect(last.slice(0, 3)).toEqual(['all', String(instances.length), 'tasks']);
    expect(Number(last.at(-2))).toBeCloseTo(v / e, 3);
    expect(Number(last.at(-1))).toBeCloseTo(((29 / 30) * v) / e, 3);
  });

  it('prints the expectations as JSON, with the action limit they assume', async () => {
    const { code, out } = await run([
      'expected',
      '--instance-ids',
      'pocket__semver-3',
      '--max-actions',
      '10',
      '--json',
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as {
      actionLimit: number;
      tasks: { instanceId: string; limitHitProbability: number }[];
    };
    expect(json.actionLimit).toBe(10);
    expect(json.tasks.map((t) => t.instanceId)).toEqual(['pocket__semver-3']);
    expect(json.tasks[0]?.limitHitProbability).toBeGreaterThan(0);
  });

  it('refuses a bad unroll count in one line', async () => {
    const { code, err } = await run(['expected', '--unrolls', '0']);
    expect(code).toBe(2);
    expect(err).toMatch(/^hotmess: --unrolls must be a whole number of at least 1\./);
  });
});
