import { readFile, stat } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { agentLimitsSchema } from '../../src/agent/limits.ts';
import { connectEngine } from '../../src/docker/engine.ts';
import { loadInstances } from '../../src/instances/load.ts';
import { InternalError } from '../../src/errors.ts';
import { ModelError } from '../../src/models/errors.ts';
import { repoRoot } from '../../src/paths.ts';
import { runSweep, type SweepConfig } from '../../src/run/sweep.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { LABEL_RUN } from '../../src/sandbox/labels.ts';
import { openRunDir, readUnrolls } from '../../src/store/run-dir.ts';
import { unrollRecordSchema } from '../../src/store/unroll-record.ts';
import { computeStats } from '../../src/stats/compute.ts';

const { docker } = await connectEngine();
const pocket = path.join(repoRoot, 'instances', 'pocket');
const { instances } = await loadInstances(pocket, { strict: true });
const cli = path.join(repoRoot, 'bin/hotmess.js');

const config = (ids: string[], over: Partial<SweepConfig> = {}): SweepConfig => ({
  instancesSource: pocket,
  instanceIds: ids,
  model: 'sim',
  modelOptions: {},
  unrolls: 3,
  seed: 5,
  limits: agentLimitsSchema.parse({}),
  testTimeoutMs: 300_000,
  infraRetries: 0,
  execMode: 'persistent',
  ...over,
});

async function containersOf(runId: string): Promise<number> {
  return (await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } })).length;
}

describe('hotmess run (the sweep)', () => {
  let sweepRecords: Awaited<ReturnType<typeof readUnrolls>>['records'] = [];

  it('stores one self-sufficient record per unroll, with trajectories, patches, predictions and the expected figures', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'hotmess-runs-'));
    const picked = [
      instances.find((i) => i.language === 'python'),
      instances.find((i) => i.language === 'javascript'),
    ].map((i) => i?.instance_id as string);
    const { runDir, state } = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances,
      config: config(picked),
      concurrency: 3,
      run: { kind: 'new', root, runId: 'sweep-1' },
    });
    expect(state).toMatchObject({ done: 6, total: 6, infraErrors: 0 });
    const lines = (await readFile(path.join(runDir.dir, 'unrolls.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      const record = unrollRecordSchema.parse(JSON.parse(line));
      const instance = instances.find((i) => i.instance_id === record.instance_id);
      expect(record.tests.map((t) => t.id).sort()).toEqual(
        [...(instance?.FAIL_TO_PASS ?? []), ...(instance?.PASS_TO_PASS ?? [])].sort(),
      );
      expect(record.actions).toBeGreaterThan(0);
      await stat(path.join(runDir.dir, 'trajectories', record.instance_id, `${record.unroll}.json`));
      await stat(path.join(runDir.dir, 'patches', record.instance_id, `${record.unroll}.diff`));
    }
    const predictions = (await readFile(path.join(runDir.dir, 'predictions.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(predictions).toHaveLength(6);
    expect(Object.keys(predictions[0] ?? {})).toEqual(
      expect.arrayContaining(['instance_id', 'model_name_or_path', 'model_patch']),
    );
    const expected = JSON.parse(await readFile(path.join(runDir.dir, 'expected.json'), 'utf8')) as {
      tasks: { instanceId: string }[];
    };
    expect(expected.tasks.map((t) => t.instanceId).sort()).toEqual(expect.arrayContaining([...picked].sort()));
    expect(await containersOf('sweep-1')).toBe(0);
    const { versions } = JSON.parse(await readFile(path.join(runDir.dir, 'run.json'), 'utf8')) as {
      versions: Record<string, string>;
    };
    for (const part of ['hotmess', 'node', '@anthropic-ai/sdk', 'openai', 'dockerode', 'docker', 'base_image'])
      expect(versions[part], part).toMatch(/^[\w/]+[.:]|^\d/);
    sweepRecords = (await readUnrolls(runDir.dir)).records;
  });

  it('keeps infrastructure failures apart: recorded, retried, and left out of the statistics', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'hotmess-runs-'));
    const id = instances[0]?.instance_id as string;
    const { runDir, state } = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances,
      config: config([id], {
        unrolls: 2,
        infraRetries: 1,
        modelOptions: { baseUrl: 'http://127.0.0.1:9', maxRetries: 0 },
      }),
      concurrency: 2,
      run: { kind: 'new', root, runId: 'infra-1' },
      retryDelayMs: 10,
    });
    expect(state.infraErrors).toBe(2);
    const { records } = await readUnrolls(runDir.dir);
    expect(
      records.every(
        (r) => r.stop_reason === 'model_error' && r.attempts === 2 && r.infra_error?.startsWith('model_error'),
      ),
    ).toBe(true);
    expect(() => computeStats(records, { bootstrap: { resamples: 0 } })).toThrow(/none of the 2 records is usable/);
    const mixed = computeStats([...sweepRecords, ...records], { bootstrap: { resamples: 0 } });
    expect(mixed.counts).toMatchObject({ records: 8, used: 6, infraErrors: 2 });
  });

  it('keeps one line per unroll when --resume fails it again, and when it then finishes', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'hotmess-runs-'));
    const id = instances[0]?.instance_id as string;
    const { runDir } = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances,
      config: config([id], {
        unrolls: 2,
        infraRetries: 1,
        modelOptions: { baseUrl: 'http://127.0.0.1:9', maxRetries: 0 },
      }),
      concurrency: 2,
      run: { kind: 'new', root, runId: 'infra-again' },
      retryDelayMs: 10,
    });
    // Resumed, the failed unrolls run again; each keeps one line, which counts every attempt it took.
    const lines = async () => (await readFile(path.join(runDir.dir, 'unrolls.jsonl'), 'utf8')).trim().split('\n');
    const resume = async (modelOptions: SweepConfig['modelOptions']) =>
      runSweep({
        docker,
        provider: new DockerSandboxProvider(docker),
        instances,
        config: config([id], { unrolls: 2, infraRetries: 1, modelOptions }),
        concurrency: 2,
        run: { kind: 'resume', dir: await openRunDir(runDir.dir) },
        retryDelayMs: 10,
      });
    const again = await resume({ baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
    expect(again.state).toMatchObject({ done: 2, total: 2, infraErrors: 2 });
    expect(await lines()).toHaveLength(2);
    const twice = await readUnrolls(runDir.dir);
    expect(twice.duplicates).toBe(0);
    expect(twice.records.map((r) => [r.unroll, r.attempts, r.stop_reason])).toEqual(
      expect.arrayContaining([
        [0, 4, 'model_error'],
        [1, 4, 'model_error'],
      ]),
    );
    const fixed = await resume({});
    expect(fixed.state).toMatchObject({ done: 2, total: 2, infraErrors: 0 });
    expect(await lines()).toHaveLength(2);
    const done = await readUnrolls(runDir.dir);
    expect(done.duplicates).toBe(0);
    expect(done.records.map((r) => [r.infra_error, r.attempts])).toEqual([
      [null, 5],
      [null, 5],
    ]);
  }, 600_000);

  it('stops at a bug with exit code 70, saying where the log is, and keeps every finished unroll for --resume', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'hotmess-runs-'));
    const id = instances[0]?.instance_id as string;
    let finished = 0;
    const err = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances,
      config: config([id], { unrolls: 3, infraRetries: 2 }),
      concurrency: 1,
      run: { kind: 'new', root, runId: 'bug-1' },
      retryDelayMs: 10,
      hooks: { onUnroll: () => (finished += 1) },
      // A bug in hotmess's own code, met in the third unroll.
      observer: {
        onAction: () => {
          if (finished === 2) (undefined as unknown as { at: () => void }).at();
        },
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const dir = path.join(root, 'bug-1');
    expect(err).toBeInstanceOf(InternalError);
    expect((err as InternalError).exitCode).toBe(70);
    expect((err as Error).message).toBe(
      `This is a bug in hotmess (TypeError: Cannot read properties of undefined (reading 'at')): the run stopped, its finished unrolls are kept in ${dir} for hotmess run --resume ${dir}, and the stack trace is in ${dir}/hotmess.log.`,
    );
    const log = await readFile(path.join(dir, 'hotmess.log'), 'utf8');
    expect(log).toMatch(/"msg":"the run stopped"/);
    expect(log).toMatch(/TypeError: Cannot read properties of undefined[^"]*\\n\s+at /);
    // The two unrolls finished before the bug are on disk as they were; the one it broke is not recorded at all.
    const kept = (await readFile(path.join(dir, 'unrolls.jsonl'), 'utf8')).trim().split('\n');
    expect(kept).toHaveLength(2);
    const records = kept.map((l) => unrollRecordSchema.parse(JSON.parse(l)));
    expect(records.map((r) => [r.unroll, r.infra_error, r.attempts])).toEqual([
      [0, null, 1],
      [1, null, 1],
    ]);
    expect(await containersOf('bug-1')).toBe(0);
    const resumed = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances,
      config: config([id], { unrolls: 3 }),
      concurrency: 2,
      run: { kind: 'resume', dir: await openRunDir(dir) },
    });
    expect(resumed.state).toMatchObject({ done: 3, total: 3, infraErrors: 0 });
    const after = (await readFile(path.join(dir, 'unrolls.jsonl'), 'utf8')).trim().split('\n');
    expect(after.slice(0, 2)).toEqual(kept);
    expect(after).toHaveLength(3);
  }, 600_000);

  it('stops the whole run at once when the API rejects the key, recording no unroll and leaving no container', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'hotmess-runs-'));
    const ids = instances.slice(0, 2).map((i) => i.instance_id);
    const sweep = runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances,
      config: config(ids, { unrolls: 3, infraRetries: 2, modelOptions: { faults: { rate401: 1 } } }),
      concurrency: 2,
      run: { kind: 'new', root, runId: 'rejected-1' },
      retryDelayMs: 10,
    });
    const err = await sweep.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).fatal).toBe(true);
    expect((err as ModelError).message).toMatch(
      /HTTP 401 \(the API key was rejected\).* The run stopped; the 0 finished unrolls are kept in .*rejected-1: fix this and resume with hotmess run --resume /,
    );
    const { records } = await readUnrolls(path.join(root, 'rejected-1'));
    expect(records).toEqual([]);
    expect(await containersOf('rejected-1')).toBe(0);
  });

  it('resumes a run killed with SIGINT: finished unrolls kept, the rest run, none twice, no container left', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'hotmess-runs-'));
    const ids = instances.slice(0, 3).map((i) => i.instance_id);
    const args = [
      'run',
      '--instance-ids',
      ...ids,
      '--unrolls',
      '3',
      '--concurrency',
      '2',
      '--seed',
      '9',
      '--out',
      root,
    ];
    const child = execa('node', [cli, ...args, '--run-id', 'killed-1'], { reject: false });
    const unrolls = path.join(root, 'killed-1', 'unrolls.jsonl');
    const deadline = Date.now() + 120_000;
    for (;;) {
      const text = await readFile(unrolls, 'utf8').catch(() => '');
      if (text.split('\n').filter(Boolean).length >= 2) break;
      if (Date.now() > deadline) throw new Error('the run never finished two unrolls');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    const killed = await child;
    expect(killed.exitCode).toBe(130);
    expect(await containersOf('killed-1')).toBe(0);
    const before = (await readFile(unrolls, 'utf8')).trim().split('\n');
    expect(before.length).toBeLessThan(9);
    // Unrolls cut short by the signal are left to --resume, not recorded as sandbox failures.
    expect(before.map((l) => (JSON.parse(l) as { infra_error: string | null }).infra_error)).toEqual(
      before.map(() => null),
    );

    const resumed = await execa('node', [cli, 'run', '--resume', path.join(root, 'killed-1'), '--concurrency', '3'], {
      reject: false,
    });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stderr).toMatch(/resuming killed-1: \d+ unrolls already done/);
    const after = (await readFile(unrolls, 'utf8')).trim().split('\n');
    expect(after.slice(0, before.length)).toEqual(before);
    const keys = after
      .map((l) => JSON.parse(l) as { instance_id: string; unroll: number })
      .map((r) => `${r.instance_id}/${r.unroll}`);
    expect(new Set(keys).size).toBe(9);
    expect(keys).toHaveLength(9);
    // The progress of the resumed session counts the whole run, the unrolls finished before the kill included.
    const resolved = after.filter((l) => (JSON.parse(l) as { resolution: string }).resolution === 'FULL').length;
    const last = resumed.stderr.split('\n').filter((l) => / unrolls \(/.test(l));
    expect(last.at(-1)).toContain(`9/9 unrolls (100%) · ${resolved}/9 resolved`);
    expect(await containersOf('killed-1')).toBe(0);
  }, 600_000);

  it('stops with one named error when the engine goes away mid-run, keeps every finished unroll, and resumes', async () => {
    // The engine's socket reached through a proxy that the test cuts: to hotmess, the engine has died.
    const proxyPath = path.join(tmpdir(), `hotmess-engine-${process.pid}.sock`);
    const open = new Set<Socket>();
    const proxy = createServer((client) => {
      const engine = connect('/var/run/docker.sock');
      for (const s of [client, engine]) {
        open.add(s);
        s.on('close', () => open.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(engine).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(proxyPath, resolve));
    const root = await mkdtemp(path.join(tmpdir(), 'hotmess-runs-'));
    const ids = instances.slice(0, 3).map((i) => i.instance_id);
    const child = execa(
      'node',
      [
        cli,
        'run',
        '--instance-ids',
        ...ids,
        '--unrolls',
        '3',
        '--concurrency',
        '2',
        '--out',
        root,
        '--run-id',
        'engine-lost',
      ],
      {
        reject: false,
        env: { DOCKER_HOST: `unix://${proxyPath}` },
      },
    );
    const unrolls = path.join(root, 'engine-lost', 'unrolls.jsonl');
    const deadline = Date.now() + 120_000;
    while ((await readFile(unrolls, 'utf8').catch(() => '')).split('\n').filter(Boolean).length < 2) {
      if (Date.now() > deadline) throw new Error('the run never finished two unrolls');
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((resolve) => proxy.close(resolve).unref());
    for (const s of open) s.destroy();
    const lost = await child;
    expect(lost.exitCode).toBe(3);
    const errLines = lost.stderr.split('\n').filter((l) => l.startsWith('hotmess:'));
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(
      /^hotmess: The Docker engine at unix:\/\/.* stopped answering during the run; the \d+ finished unrolls are kept in .*engine-lost: start the engine and resume/,
    );
    expect(lost.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    const kept = (await readFile(unrolls, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => unrollRecordSchema.parse(JSON.parse(l)));
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.filter((r) => r.infra_error !== null)).toEqual([]);

    const resumed = await execa('node', [cli, 'run', '--resume', path.join(root, 'engine-lost')], { reject: false });
    expect(resumed.exitCode).toBe(0);
    const after = (await readFile(unrolls, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => unrollRecordSchema.parse(JSON.parse(l)));
    expect(after.slice(0, kept.length)).toEqual(kept);
    expect(new Set(after.map((r) => `${r.instance_id}/${r.unroll}`)).size).toBe(9);
    expect(after).toHaveLength(9);
    expect(await containersOf('engine-lost')).toBe(0);
  }, 600_000);
});
