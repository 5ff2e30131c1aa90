import { execa, type ResultPromise } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { agentLimitsSchema } from '../src/agent/limits.ts';
import { connectEngine } from '../src/docker/engine.ts';
import { ensureInstanceImage } from '../src/images/instance-image.ts';
import { loadInstances } from '../src/instances/load.ts';
import { repoRoot } from '../src/paths.ts';
import { parseQueueAddress } from '../src/queue/connection.ts';
import { runQueued } from '../src/queue/coordinator.ts';
import { runSweep, type SweepConfig } from '../src/run/sweep.ts';
import { DockerSandboxProvider } from '../src/sandbox/docker-provider.ts';
import { startRedis } from '../test/helpers/redis.ts';

/**
 * The queue's overhead: the same sim run at a total concurrency of 8, in this process against two `hotmess worker`
 * processes of 4 on the same engine, with redis-server on loopback. Each model turn takes a fixed time, so the
 * machine's cores are not what limits either side; the ratio of throughputs is the price of the queue.
 */
export async function benchQueue(
  opts: { tasks?: number; unrolls?: number; turnMs?: number } = {},
): Promise<Record<string, number>> {
  const { docker } = await connectEngine();
  const pocket = path.join(repoRoot, 'instances', 'pocket');
  const tasks = (await loadInstances(pocket, { strict: true })).instances.slice(0, opts.tasks ?? 8);
  for (const i of tasks) await ensureInstanceImage(docker, i);
  const root = await mkdtemp(path.join(tmpdir(), 'hotmess-bench-queue-'));
  const turnMs = opts.turnMs ?? 1500;
  const config: SweepConfig = {
    instancesSource: pocket,
    instanceIds: tasks.map((t) => t.instance_id),
    model: 'sim',
    modelOptions: { faults: { slowMs: turnMs, slowRate: 1 } },
    unrolls: opts.unrolls ?? 3,
    seed: 3,
    limits: agentLimitsSchema.parse({}),
    testTimeoutMs: 300_000,
    infraRetries: 0,
    execMode: 'persistent',
  };
  console.log(
    `queue: ${tasks.length} tasks × ${config.unrolls} unrolls, sim model with ${turnMs} ms per turn, total concurrency 8`,
  );

  let t0 = performance.now();
  const local = await runSweep({
    docker,
    provider: new DockerSandboxProvider(docker),
    instances: tasks,
    config,
    concurrency: 8,
    run: { kind: 'new', root, runId: 'in-process' },
  });
  const localMs = performance.now() - t0;

  const redis = await startRedis();
  const workers: ResultPromise[] = [];
  try {
    for (let i = 0; i < 2; i++)
      workers.push(
        execa('node', [path.join(repoRoot, 'bin/hotmess.js'), 'worker', '--queue', redis.url, '--concurrency', '4'], {
          reject: false,
          stdio: 'ignore',
          env: { HOTMESS_STATE: path.join(root, 'state') },
        }),
      );
    t0 = performance.now();
    const queued = await runQueued({
      address: parseQueueAddress(redis.url),
      instances: tasks,
      config,
      run: { kind: 'new', root, runId: 'queued' },
    });
    const queuedMs = performance.now() - t0;
    const perMinute = (done: number, ms: number) => (done / ms) * 60_000;
    const results = {
      inProcessUnrollsPerMinute: perMinute(local.state.done, localMs),
      queuedUnrollsPerMinute: perMinute(queued.state.done, queuedMs),
      throughputRatio: perMinute(queued.state.done, queuedMs) / perMinute(local.state.done, localMs),
    };
    console.log(
      `  in-process, concurrency 8:  ${local.state.done} unrolls in ${(localMs / 1000).toFixed(1)} s = ${results.inProcessUnrollsPerMinute.toFixed(1)} unrolls/min`,
    );
    console.log(
      `  two workers of 4 (queue):   ${queued.state.done} unrolls in ${(queuedMs / 1000).toFixed(1)} s = ${results.queuedUnrollsPerMinute.toFixed(1)} unrolls/min (the workers were started with the run: their start-up counts)`,
    );
    console.log(`  throughput ratio queue / in-process: ${results.throughputRatio.toFixed(2)} (goal ≥ 0.9)`);
    return results;
  } finally {
    for (const w of workers) if (w.pid !== undefined) process.kill(w.pid, 'SIGTERM');
    await Promise.all(workers);
    await redis.close();
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchQueue();
}
