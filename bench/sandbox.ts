import { execa } from 'execa';
import { pathToFileURL } from 'node:url';
import { connectEngine } from '../src/docker/engine.ts';
import { ensureBaseImage } from '../src/images/base.ts';
import { DockerSandboxProvider } from '../src/sandbox/docker-provider.ts';
import { reapContainers } from '../src/sandbox/reaper.ts';
import { row, sample, summarize, type Summary } from './util.ts';

/**
 * Per-action round trip of a trivial command three ways, and sandbox start against `docker run -d` (each
 * removal timed apart), all measured in this run so the ratios compare like with like on this machine.
 */
export async function benchSandbox(opts: { actions?: number; starts?: number } = {}): Promise<Record<string, number>> {
  const actions = opts.actions ?? 300;
  const starts = opts.starts ?? 20;
  const { docker } = await connectEngine();
  const { tag } = await ensureBaseImage(docker, (l) => console.log(`  ${l}`));
  const run = `bench-${process.pid}`;
  const provider = new DockerSandboxProvider(docker);

  const persistent = await provider.start(tag, { execMode: 'persistent' }, { run });
  const perExec = await provider.start(tag, { execMode: 'exec' }, { run });
  try {
    const shell = await sample(actions, () => persistent.exec('echo hi'), 20);
    const execApi = await sample(Math.min(actions, 100), () => perExec.exec('echo hi'));
    const cli = await sample(Math.min(actions, 60), () => execa('docker', ['exec', perExec.id, 'echo', 'hi']));

    // Only the start is timed on both sides: `docker run -d` returns once the container runs, as start does.
    const hotmess = await sampleStart(starts, async () => {
      const sb = await provider.start(tag, {}, { run });
      return () => sb.close();
    });
    const cliRun = await sampleStart(starts, async () => {
      const { stdout } = await execa('docker', [
        'run',
        '-d',
        '--label',
        `hotmess.run=${run}`,
        '--network',
        'none',
        tag,
        'sleep',
        'infinity',
      ]);
      return () => execa('docker', ['rm', '-f', stdout.trim()]);
    });

    console.log('per-action round trip (echo hi):');
    console.log(row('(a) persistent shell', shell));
    console.log(row('(b) one exec per action (API)', execApi));
    console.log(row('(c) docker exec CLI (mini-swe-agent style)', cli));
    console.log(`  ratio CLI / persistent shell: ${(cli.median / shell.median).toFixed(0)}x (goal ≥ 100x)`);
    console.log(`  ratio exec API / persistent shell: ${(execApi.median / shell.median).toFixed(0)}x`);
    console.log('sandbox start (removal timed apart):');
    console.log(row('hotmess provider.start', hotmess.start));
    console.log(row('docker run -d (CLI)', cliRun.start));
    console.log(
      `  ratio hotmess start / docker run -d: ${(hotmess.start.median / cliRun.start.median).toFixed(2)} (goal ≤ 1.00)`,
    );
    console.log(row('hotmess sandbox.close', hotmess.stop));
    console.log(row('docker rm -f (CLI)', cliRun.stop));
    return {
      persistentMedianMs: shell.median,
      persistentP95Ms: shell.p95,
      execApiMedianMs: execApi.median,
      cliMedianMs: cli.median,
      cliOverPersistent: cli.median / shell.median,
      startMedianMs: hotmess.start.median,
      dockerRunMedianMs: cliRun.start.median,
      startOverDockerRun: hotmess.start.median / cliRun.start.median,
      closeMedianMs: hotmess.stop.median,
      dockerRmMedianMs: cliRun.stop.median,
    };
  } finally {
    await persistent.close();
    await perExec.close();
    await reapContainers(docker, { run, all: true });
  }
}

/** Times `start` alone and the `stop` it returns apart, `n` times after two untimed warm-up rounds. */
async function sampleStart(
  n: number,
  start: () => Promise<() => Promise<unknown>>,
): Promise<{ start: Summary; stop: Summary }> {
  const starts: number[] = [];
  const stops: number[] = [];
  for (let i = -2; i < n; i++) {
    const t0 = performance.now();
    const stop = await start();
    const t1 = performance.now();
    await stop();
    if (i >= 0) {
      starts.push(t1 - t0);
      stops.push(performance.now() - t1);
    }
  }
  return { start: summarize(starts), stop: summarize(stops) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchSandbox();
}
