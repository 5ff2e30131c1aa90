import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { agentLimitsSchema } from '../../src/agent/limits.ts';
import { connectEngine } from '../../src/docker/engine.ts';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { repoRoot } from '../../src/paths.ts';
import { runSweep } from '../../src/run/sweep.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';

const { docker } = await connectEngine();
const pocket = path.join(repoRoot, 'instances', 'pocket');

type Spec = { candidates: Record<string, { patch: string | null; weight: number; fails?: string[] }> };

/** A copy of the bundled set in which one task's simulated agent always picks `choose`. */
async function leaning(
  instance: Instance,
  choose: (name: string, c: Spec['candidates'][string]) => boolean,
): Promise<{ dir: string; picked: string; fails: string[] }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hotmess-lean-'));
  await cp(pocket, dir, { recursive: true });
  const file = path.join(dir, instance.sim as string);
  const spec = YAML.parse(await readFile(file, 'utf8')) as Spec;
  const [picked, candidate] = Object.entries(spec.candidates).find(([n, c]) => choose(n, c)) ?? [];
  if (!picked || !candidate) throw new Error('no such candidate');
  for (const [name, c] of Object.entries(spec.candidates)) c.weight = name === picked ? 1 : 0;
  await writeFile(file, YAML.stringify(spec));
  return { dir, picked, fails: candidate.fails ?? [] };
}

async function sweep(dir: string, instance: Instance) {
  const { instances } = await loadInstances(dir, { strict: true });
  const { runDir } = await runSweep({
    docker,
    provider: new DockerSandboxProvider(docker),
    instances,
    config: {
      instancesSource: dir,
      instanceIds: [instance.instance_id],
      model: 'sim',
      modelOptions: {},
      unrolls: 2,
      seed: 3,
      limits: agentLimitsSchema.parse({}),
      testTimeoutMs: 300_000,
      infraRetries: 0,
      execMode: 'persistent',
    },
    concurrency: 2,
    run: { kind: 'new', root: dir },
  });
  return (await runDir.readUnrolls()).records;
}

const { instances: bundled } = await loadInstances(pocket, { strict: true });
const hard = bundled.find((i) => i.difficulty === 'hard' && i.language === 'python') as Instance;

describe('a real unroll of a bundled task in Docker', () => {
  it('resolves under a gold-leaning simulated agent', async () => {
    const { dir } = await leaning(hard, (_n, c) => c.patch === 'gold');
    const records = await sweep(dir, hard);
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r).toMatchObject({
        stop_reason: 'submitted',
        grading_status: 'graded',
        resolution: 'FULL',
        infra_error: null,
        log_truncated: false,
      });
      expect(r.actions).toBeGreaterThan(2);
    }
  });

  it('records that its test log was cut to the size cap, and still grades the results kept at its end', async () => {
    const { dir } = await leaning(hard, (_n, c) => c.patch === 'gold');
    // 40 MB of output before the tests: the grader keeps the head and the tail of its 32 MB cap.
    for (const name of (await readdir(dir)).filter((f) => f.endsWith('.jsonl'))) {
      const file = path.join(dir, name);
      const lines = (await readFile(file, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const record of lines) {
        if (record.instance_id === hard.instance_id)
          record.test_cmd = `python3 -c "import sys; sys.stdout.write('x' * 40_000_000)"; ${hard.test_cmd}`;
      }
      await writeFile(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    }
    const records = await sweep(dir, hard);
    expect(records).toHaveLength(2);
    for (const r of records)
      expect(r).toMatchObject({ grading_status: 'graded', resolution: 'FULL', log_truncated: true });
  });

  it('fails, exactly as the candidate declares, under a wrong-leaning one', async () => {
    const { dir, fails } = await leaning(
      hard,
      (_n, c) => c.patch !== null && c.patch !== 'gold' && (c.fails?.length ?? 0) > 0,
    );
    const records = await sweep(dir, hard);
    for (const r of records) {
      expect(r.resolution).not.toBe('FULL');
      expect(
        r.tests
          .filter((t) => !t.pass)
          .map((t) => t.id)
          .sort(),
      ).toEqual([...fails].sort());
    }
  });
});
