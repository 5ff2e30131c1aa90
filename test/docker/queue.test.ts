/**
 * Distributed runs for real: redis-server on a loopback port, two `hotmess worker` processes (one on the shared
 * engine, one on a second dockerd of this file's own, which has only the base image and so builds the task
 * images from the files the coordinator stored in Redis), and the coordinator in this process or as the CLI.
 */
import { execa, type ResultPromise } from 'execa';
import { Queue } from 'bullmq';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentLimitsSchema } from '../../src/agent/limits.ts';
import { connectEngine } from '../../src/docker/engine.ts';
import { baseImageSpec } from '../../src/images/base.ts';
import { loadInstances } from '../../src/instances/load.ts';
import { repoRoot } from '../../src/paths.ts';
import { connectRedis, parseQueueAddress, redisOptions } from '../../src/queue/connection.ts';
import { runQueued } from '../../src/queue/coordinator.ts';
import { queueName } from '../../src/queue/names.ts';
import { liveWorkers, type WorkerPresence } from '../../src/queue/presence.ts';
import { runSweep, type SweepConfig } from '../../src/run/sweep.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { LABEL_RUN } from '../../src/sandbox/labels.ts';
import { readUnrolls } from '../../src/store/run-dir.ts';
import type { UnrollRecord } from '../../src/store/unroll-record.ts';
import { startRedis, type LoopbackRedis } from '../helpers/redis.ts';
import { startSecondEngine, type SecondEngine } from '../helpers/second-engine.ts';

const { docker } = await connectEngine();
const ids = ['pocket__tinycache-1', 'pocket__tinycache-2'];
const cli = path.join(repoRoot, 'bin/hotmess.js');
const unrolls = 2;
const seed = 11;
const root = await mkdtemp(path.join(tmpdir(), 'hotmess-queue-'));
const tasks = await shortTasks(path.join(root, 'tasks'));
const { instances } = await loadInstances(tasks, { strict: true });
const config: SweepConfig = {
  instancesSource: tasks,
  instanceIds: ids,
  model: 'sim',
  modelOptions: {},
  unrolls,
  seed,
  limits: agentLimitsSchema.parse({}),
  testTimeoutMs: 1_800_000,
  infraRetries: 2,
  execMode: 'persistent',
};
const runIds = ['q-ref', 'q-equal', 'q-kill', 'q-redis', 'q-infra', 'q-cost'];

let redis: LoopbackRedis;
let second: SecondEngine;
const state = path.join(root, 'state');
let reference: Map<string, unknown>;
const workers = new Map<string, ResultPromise>();

/**
 * Two pocket tasks whose simulated agent acts once before it writes its answer (and only lists files, so that no
 * timing reaches an observation): short unrolls, still drawn from several candidate patches. The records point
 * at pocket's repository bundle by absolute path and at their specs by relative ones.
 */
async function shortTasks(dir: string): Promise<string> {
  const pocket = path.join(repoRoot, 'instances', 'pocket');
  const all = (await loadInstances(pocket, { strict: true })).instances.filter((i) => ids.includes(i.instance_id));
  const records = [];
  for (const instance of all) {
    const specDir = path.join(dir, 'specs', instance.instance_id);
    await mkdir(specDir, { recursive: true });
    const from = path.dirname(path.join(pocket, instance.sim as string));
    for (const file of await readdir(from)) await copyFile(path.join(from, file), path.join(specDir, file));
    const spec = parseYaml(await readFile(path.join(from, 'spec.yaml'), 'utf8')) as Record<string, unknown>;
    await writeFile(
      path.join(specDir, 'spec.yaml'),
      stringifyYaml({ ...spec, explore: { distribution: 'fixed', value: 1 }, commands: ['ls'] }),
    );
    const { baseDir, ...record } = instance;
    records.push({
      ...record,
      source: path.resolve(baseDir, instance.source as string),
      sim: `specs/${instance.instance_id}/spec.yaml`,
    });
  }
  await writeFile(path.join(dir, 'tasks.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path.join(dir, 'tasks.jsonl');
}

/** A worker process; `engine` is a DOCKER_HOST (default: the shared engine). */
function startWorker(name: string, engine?: string, concurrency = 2): ResultPromise {
  const child = execa(
    'node',
    [
      cli,
      'worker',
      '--queue',
      redis.url,
      '--concurrency',
      String(concurrency),
      '--lock-timeout',
      '4',
      '--requests-per-minute',
      '6000',
    ],
    {
      reject: false,
      stdin: 'ignore',
      stdout: { file: path.join(root, `${name}.log`), append: true },
      stderr: { file: path.join(root, `${name}.log`), append: true },
      env: { HOTMESS_STATE: state, HOTMESS_STATE_DIR: state, ...(engine ? { DOCKER_HOST: engine } : {}) },
    },
  );
  workers.set(name, child);
  return child;
}

async function stopWorker(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const child = workers.get(name);
  if (!child?.pid) return;
  process.kill(child.pid, signal);
  await child;
  workers.delete(name);
}

/**
 * The records without what differs from one run of the same seeds to another: timings, the run's name, and the
 * attempt count (on a loaded machine a worker can miss a lock renewal, and its job is run again elsewhere).
 */
function comparable(records: readonly UnrollRecord[]): Map<string, unknown> {
  return new Map(
    records.map((r) => {
      const { wall_ms, started_at, finished_at, run_id, attempts, ...rest } = r;
      void [wall_ms, started_at, finished_at, run_id, attempts];
      return [`${r.instance_id}/${r.unroll}`, rest];
    }),
  );
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function lines(runId: string): Promise<string[]> {
  const text = await readFile(path.join(root, runId, 'unrolls.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** Every (task, unroll) once, none an infrastructure failure, and each record what the in-process run recorded. */
async function expectSameAsReference(runId: string): Promise<number> {
  const text = await lines(runId);
  const keys = text.map((l) => {
    const r = JSON.parse(l) as UnrollRecord;
    return `${r.instance_id}/${r.unroll}`;
  });
  expect(new Set(keys).size).toBe(keys.length);
  const { records } = await readUnrolls(path.join(root, runId));
  expect(records.filter((r) => r.infra_error !== null)).toEqual([]);
  expect(comparable(records)).toEqual(reference);
  return text.length;
}

const address = () => parseQueueAddress(redis.url);

beforeAll(async () => {
  [redis, second] = await Promise.all([startRedis(), startSecondEngine()]);
  // The second engine gets only the base image: the task images it builds from the files in Redis.
  const base = (await baseImageSpec()).tag;
  await execa('sh', ['-c', 'docker save "$0" | docker -H "$1" load -q', base, second.host]);
  const ref = await runSweep({
    docker,
    provider: new DockerSandboxProvider(docker),
    instances,
    config,
    concurrency: 4,
    run: { kind: 'new', root, runId: 'q-ref' },
  });
  expect(ref.state.done).toBe(ids.length * unrolls);
  reference = comparable((await readUnrolls(ref.runDir.dir)).records);
  startWorker('w1');
  startWorker('w2', second.host);
});

afterAll(async () => {
  for (const name of [...workers.keys()]) await stopWorker(name);
  const ours = async () => {
    const found = [];
    for (const runId of runIds)
      found.push(...(await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } })));
    return found;
  };
  // A worker killed with SIGKILL leaves its containers behind; they go here, by this file's run labels.
  const left = await ours();
  if (left.length > 0) console.log(`removing ${left.length} container(s) of this file's runs left at the end`);
  await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  await redis?.close();
  await second?.destroy();
  await rm(root, { recursive: true, force: true });
  expect(await ours()).toEqual([]);
});

describe('runs distributed over queue workers', () => {
  it('records exactly what the in-process run records, with both workers (and both engines) at work', async () => {
    const result = await runQueued({
      address: address(),
      instances,
      config,
      run: { kind: 'new', root, runId: 'q-equal' },
    });
    expect(result.state).toMatchObject({ done: 4, total: 4, infraErrors: 0 });
    expect(await expectSameAsReference('q-equal')).toBe(4);
    const log = await readFile(path.join(root, 'q-equal', 'hotmess.log'), 'utf8');
    const by = new Set(
      log
        .split('\n')
        .filter((l) => l.includes('unroll collected'))
        .map((l) => (JSON.parse(l) as { worker: string }).worker),
    );
    expect(by.size).toBe(2);
    const status = await execa('node', [cli, 'queue', 'status', '--queue', redis.url, '--json']);
    const parsed = JSON.parse(status.stdout) as { workers: { concurrency: number; host: string }[] };
    expect(parsed.workers.map((w) => w.concurrency)).toEqual([2, 2]);
  });

  it('loses only the attempt of a worker killed mid-unroll: its job is redelivered and recorded once', async () => {
    await stopWorker('w1');
    await stopWorker('w2');
    startWorker('victim');
    const redisClient = connectRedis(address());
    const run = runQueued({ address: address(), instances, config, run: { kind: 'new', root, runId: 'q-kill' } });
    // The victim is alone on the queue until it holds a job, so the kill surely cuts one short.
    let victim: WorkerPresence | undefined;
    await until('the victim to hold a job', async () => {
      victim = (await liveWorkers(redisClient)).find((w) => w.jobs.some((j) => j.startsWith('q-kill|')));
      return victim !== undefined;
    });
    startWorker('w2', second.host);
    await stopWorker('victim', 'SIGKILL');
    startWorker('w1');
    const result = await run;
    redisClient.disconnect();
    expect(result.state).toMatchObject({ done: 4, total: 4, infraErrors: 0 });
    expect(await expectSameAsReference('q-kill')).toBe(4);
    // Each job the victim held was finished by another worker.
    const collected = (await readFile(path.join(root, 'q-kill', 'hotmess.log'), 'utf8'))
      .split('\n')
      .filter((l) => l.includes('unroll collected'))
      .map((l) => JSON.parse(l) as { instance: string; unroll: number; worker: string });
    const held = (victim?.jobs ?? []).filter((j) => j.startsWith('q-kill|'));
    for (const job of held) {
      const [, unroll, instance] = job.split('|');
      const by = collected.filter(
        (c) => c.instance === decodeURIComponent(instance ?? '') && c.unroll === Number(unroll),
      );
      expect(by).toHaveLength(1);
      expect(by[0]?.worker).not.toBe(victim?.id);
    }
    console.log(
      `kill -9: the victim held ${held.join(', ')}; ${collected.length} unrolls collected, ${new Set(collected.map((c) => `${c.instance}/${c.unroll}`)).size} distinct, by ${new Set(collected.map((c) => c.worker)).size} other workers`,
    );
  });

  it('survives a Redis restart (empty) mid-run: lost jobs are enqueued again, and every unroll recorded once', async () => {
    let restarted = false;
    const result = await runQueued({
      address: address(),
      instances,
      config,
      run: { kind: 'new', root, runId: 'q-redis' },
      hooks: {
        onUnroll: () => {
          if (restarted) return;
          restarted = true;
          void redis.restart();
        },
      },
    });
    expect(restarted).toBe(true);
    expect(result.state).toMatchObject({ done: 4, total: 4, infraErrors: 0 });
    expect(await expectSameAsReference('q-redis')).toBe(4);
  }, 300_000);

  it('resumes a killed coordinator: results finished meanwhile are collected, missing ones enqueued', async () => {
    const args = ['--queue', redis.url, '--out', root];
    const first = execa(
      'node',
      [cli, 'run', ...args, '--instances', tasks, '--unrolls', String(unrolls), '--seed', String(seed)],
      { reject: false, env: { HOTMESS_STATE: state }, all: true },
    );
    // Started with --run-id absent: find the run's directory by its first record.
    let dir = '';
    await until('the first record', async () => {
      for (const entry of await readdir(root)) {
        if (!/^\d{8}-/.test(entry)) continue;
        if ((await lines(entry)).length > 0) dir = entry;
      }
      return dir !== '';
    });
    runIds.push(dir);
    process.kill(first.pid as number, 'SIGKILL');
    await first;
    const queue = new Queue(queueName, { connection: redisOptions(address()) });
    await until('a job to finish while no coordinator runs', async () =>
      (await queue.getRanges(['completed'], 0, -1)).some((id) => id.startsWith(`${dir}|`)),
    );
    await queue.close();
    const resumed = await execa('node', [cli, 'run', '--resume', path.join(root, dir), '--queue', redis.url], {
      reject: false,
      all: true,
    });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(resumed.all).toMatch(/already done/);
    expect(await expectSameAsReference(dir)).toBe(4);
  });

  it('records apart, after its retries, an unroll whose job fails for an infrastructure reason', async () => {
    for (const name of [...workers.keys()]) await stopWorker(name);
    const one = { ...config, instanceIds: [ids[0] as string], unrolls: 1 };
    const queue = new Queue(queueName, { connection: redisOptions(address()) });
    const run = runQueued({
      address: address(),
      instances,
      config: one,
      run: { kind: 'new', root, runId: 'q-infra' },
      jobAttempts: 2,
    });
    await until('the job to be queued', async () =>
      (await queue.getRanges(['waiting'], 0, -1)).some((id) => id.startsWith('q-infra|')),
    );
    await queue.close();
    // The task and config blobs vanish before any worker fetched them: every try of the job fails on the worker.
    const client = connectRedis(address());
    for (const key of await client.keys('hotmess:blob:*')) await client.del(key);
    client.disconnect();
    startWorker('w3');
    const result = await run;
    expect(result.state).toMatchObject({ done: 1, total: 1, infraErrors: 1 });
    const { records } = await readUnrolls(path.join(root, 'q-infra'));
    expect(records).toHaveLength(1);
    expect(records[0]?.infra_error).toMatch(/^queue: the job failed 2 time\(s\): The queue holds no blob/);
  });

  it("runs a sweep's cells through the queue: the coordinator writes, a worker runs every unroll", async () => {
    const file = path.join(root, 'qsweep.yaml');
    await writeFile(
      file,
      stringifyYaml({
        name: 'qsweep',
        tasks: { instances: tasks, instance_ids: [ids[0]] },
        unrolls: 1,
        concurrency: 1,
        seed,
        matrix: { model: ['sim'] },
      }),
    );
    const out = path.join(root, 'sweeps-out');
    const r = await execa('node', [cli, 'sweep', file, '--queue', redis.url, '--out', out, '--id', 'n1'], {
      reject: false,
      env: { HOTMESS_STATE: state, HOTMESS_STATE_DIR: state },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const night = path.join(out, 'sweeps', 'qsweep', 'n1');
    const cells = (await readdir(night, { withFileTypes: true })).filter((d) => d.isDirectory());
    expect(cells).toHaveLength(1);
    const cellDir = path.join(night, (cells[0] as { name: string }).name);
    const { records } = await readUnrolls(cellDir);
    expect(records.map((rec) => [rec.instance_id, rec.unroll, rec.infra_error])).toEqual([[ids[0], 0, null]]);
    const collected = (await readFile(path.join(cellDir, 'hotmess.log'), 'utf8'))
      .split('\n')
      .filter((l) => l.includes('unroll collected'));
    expect(collected).toHaveLength(1);
  });

  it('stops at --max-run-cost with exit 7: no job starts after, those running are written, a resume finishes', async () => {
    for (const name of [...workers.keys()]) await stopWorker(name);
    // One unroll at a time: the first one's cost crosses the limit while the worker runs the second.
    startWorker('w4', undefined, 1);
    const prices = path.join(root, 'prices.json');
    await writeFile(prices, JSON.stringify({ 'sim:hotmess-sim': { input: 1000, output: 1000 } }));
    const dir = path.join(root, 'q-cost');
    const args = ['--queue', redis.url, '--instances', tasks, '--unrolls', String(unrolls), '--seed', String(seed)];
    const first = await execa(
      'node',
      [cli, 'run', ...args, '--prices', prices, '--max-run-cost', '0.01', '--out', root, '--run-id', 'q-cost'],
      { reject: false, env: { HOTMESS_STATE: state } },
    );
    expect(first.exitCode, first.stderr).toBe(7);
    const kept = (await readUnrolls(dir)).records;
    expect(first.stderr.trim().split('\n').at(-1)).toBe(
      `hotmess: The run's cost limit of $0.01 was reached ($${kept
        .reduce((sum, r) => sum + r.cost_usd, 0)
        .toFixed(2)} spent); the ${kept.length} finished unrolls are kept in ${dir}: to go on, resume with ` +
        `hotmess run --resume ${dir} --queue ${redis.url} --max-run-cost <a higher limit>.`,
    );
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(ids.length * unrolls);
    expect(kept.every((r) => r.infra_error === null && r.cost_usd > 0.01)).toBe(true);
    const queue = new Queue(queueName, { connection: redisOptions(address()) });
    expect(
      (await queue.getRanges(['waiting', 'active', 'delayed'], 0, -1)).filter((id) => id.startsWith('q-cost|')),
    ).toEqual([]);
    await queue.close();

    const rest = await execa('node', [cli, 'run', '--resume', dir, '--queue', redis.url, '--max-run-cost', '1000'], {
      reject: false,
    });
    expect(rest.exitCode, rest.stderr).toBe(0);
    const all = (await readUnrolls(dir)).records;
    expect(all.map((r) => `${r.instance_id}/${r.unroll}`).sort()).toEqual(
      ids.flatMap((id) => Array.from({ length: unrolls }, (_, u) => `${id}/${u}`)).sort(),
    );
    expect(all.every((r) => r.infra_error === null)).toBe(true);
  });
});
