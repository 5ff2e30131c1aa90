import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { agentLimitsSchema } from '../src/agent/limits.ts';
import { connectEngine } from '../src/docker/engine.ts';
import { ensureInstanceImage } from '../src/images/instance-image.ts';
import { loadInstances } from '../src/instances/load.ts';
import { repoRoot } from '../src/paths.ts';
import { runSweep, type SweepConfig } from '../src/run/sweep.ts';
import { DockerSandboxProvider } from '../src/sandbox/docker-provider.ts';

/** Total CPU time of the machine so far, in clock ticks (all processes, all cores). */
async function machineTicks(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const [, user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).map(Number);
  return user + nice + system + irq + softirq + steal;
}
const TICK_MS = 10; // USER_HZ is 100 on Linux

interface SweepMeasure {
  unrolls: number;
  wallMs: number;
  unrollsPerMinute: number;
  ownCpuMs: number;
  machineCpuMs: number;
  ownShare: number;
  peakRssBytes: number;
}

/**
 * The whole pipeline (sandbox, simulated agent over the real SDK, Docker grading, store) with the sim model:
 * unrolls per minute at several concurrencies, and what hotmess itself costs in CPU and memory while it runs.
 */
export async function benchPipeline(
  opts: { concurrencies?: number[]; heavy?: number; tasks?: number } = {},
): Promise<Record<string, number>> {
  const { docker } = await connectEngine();
  const pocket = path.join(repoRoot, 'instances', 'pocket');
  const { instances } = await loadInstances(pocket, { strict: true });
  const tasks = instances.slice(0, opts.tasks ?? 8);
  for (const i of tasks) await ensureInstanceImage(docker, i);
  const root = await mkdtemp(path.join(tmpdir(), 'hotmess-bench-pipeline-'));
  const config = (unrolls: number): SweepConfig => ({
    instancesSource: pocket,
    instanceIds: tasks.map((t) => t.instance_id),
    model: 'sim',
    modelOptions: {},
    unrolls,
    seed: 1,
    limits: agentLimitsSchema.parse({}),
    testTimeoutMs: 300_000,
    infraRetries: 0,
    execMode: 'persistent',
  });

  const measure = async (concurrency: number, unrolls: number): Promise<SweepMeasure> => {
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const cpu0 = process.cpuUsage();
    const ticks0 = await machineTicks();
    const t0 = performance.now();
    const { state } = await runSweep({
      docker,
      provider: new DockerSandboxProvider(docker),
      instances: tasks,
      config: config(unrolls),
      concurrency,
      run: { kind: 'new', root },
    });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const machineCpuMs = ((await machineTicks()) - ticks0) * TICK_MS;
    clearInterval(sampler);
    const ownCpuMs = (cpu.user + cpu.system) / 1000;
    return {
      unrolls: state.done,
      wallMs,
      unrollsPerMinute: (state.done / wallMs) * 60_000,
      ownCpuMs,
      machineCpuMs,
      ownShare: ownCpuMs / Math.max(1, machineCpuMs),
      peakRssBytes: peak,
    };
  };

  const results: Record<string, number> = {};
  console.log(
    `pipeline: ${tasks.length} bundled tasks, sim model, Docker grading (hotmess's CPU includes the in-process sim server answering the model calls)`,
  );
  for (const c of opts.concurrencies ?? [1, 2, 4]) {
    const m = await measure(c, c);
    results[`unrollsPerMinuteC${c}`] = m.unrollsPerMinute;
    results[`ownCpuShareC${c}`] = m.ownShare;
    console.log(
      `  concurrency ${String(c).padStart(2)}: ${m.unrolls} unrolls in ${(m.wallMs / 1000).toFixed(1)} s = ${m.unrollsPerMinute.toFixed(1)} unrolls/min; ` +
        `hotmess CPU ${(m.ownCpuMs / 1000).toFixed(1)} s of ${(m.machineCpuMs / 1000).toFixed(1)} s machine CPU (${(100 * m.ownShare).toFixed(1)}%)`,
    );
  }
  const heavy = opts.heavy ?? 16;
  const m = await measure(heavy, 2);
  results.peakRssMbC16 = m.peakRssBytes / 1e6;
  results.ownCpuShareC16 = m.ownShare;
  console.log(
    `  concurrency ${heavy}: ${m.unrolls} unrolls, peak RSS of hotmess ${(m.peakRssBytes / 1e6).toFixed(0)} MB (goal < 300 MB), hotmess CPU ${(100 * m.ownShare).toFixed(1)}% of the machine's`,
  );
  const c4 = results.ownCpuShareC4;
  if (c4 !== undefined)
    console.log(`  hotmess's own CPU at concurrency 4: ${(100 * c4).toFixed(1)}% of the total (goal < 10%)`);
  const c1 = results.unrollsPerMinuteC1;
  for (const c of [2, 4]) {
    const v = results[`unrollsPerMinuteC${c}`];
    if (c1 && v) console.log(`  speed-up concurrency ${c} / 1: ${(v / c1).toFixed(2)}x`);
  }
  await rm(root, { recursive: true, force: true });
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchPipeline();
}
