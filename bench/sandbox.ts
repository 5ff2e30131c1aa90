import { execa } from 'execa';
import { pathToFileURL } from 'node:url';
import { connectEngine } from '../src/docker/engine.ts';
import { ensureBaseImage } from '../src/images/base.ts';
import { DockerSandboxProvider } from '../src/sandbox/docker-provider.ts';
import { reapContainers } from '../src/sandbox/reaper.ts';
import { row, sample } from './util.ts';

/**
 * Per-action round trip of a trivial command three ways, and sandbox start against `docker run -d`,
 * all measured in this run so the ratios compare like with like on this machine.
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

    const hotmessStart = await sample(
      starts,
      async () => {
        const sb = await provider.start(tag, {}, { run });
        await sb.close();
      },
      2,
    );
    const cliRun = await sample(
      starts,
      async () => {
        const { stdout } = await execa('docker', ['run', '-d', '--label', `hotmess.run=${run}`, '--network', 'none', tag, 'sleep', 'infinity']);
        await execa('docker', ['rm', '-f', stdout.trim()]);
      },
      2,
    );
    // start+remove is what we can repeat; remove is measured alone to subtract it from both.
    const removeOnly = await sample(
      starts,
      async () => {
        const c = await docker.createContainer({ Image: tag, Cmd: ['true'] });
        const t = performance.now();
        await c.remove({ force: true });
        return performance.now() - t;
      },
      1,
    );

    console.log('per-action round trip (echo hi):');
    console.log(row('(a) persistent shell', shell));
    console.log(row('(b) one exec per action (API)', execApi));
    console.log(row('(c) docker exec CLI (mini-swe-agent style)', cli));
    console.log(`  ratio CLI / persistent shell: ${(cli.median / shell.median).toFixed(0)}x (goal ≥ 100x)`);
    console.log(`  ratio exec API / persistent shell: ${(execApi.median / shell.median).toFixed(0)}x`);
    console.log('sandbox start + remove:');
    console.log(row('hotmess provider.start + close', hotmessStart));
    console.log(row('docker run -d + docker rm -f (CLI)', cliRun));
    console.log(`  ratio hotmess / docker run: ${(hotmessStart.median / cliRun.median).toFixed(2)} (goal ≤ 1.00)`);
    void removeOnly;
    return {
      persistentMedianMs: shell.median,
      persistentP95Ms: shell.p95,
      execApiMedianMs: execApi.median,
      cliMedianMs: cli.median,
      cliOverPersistent: cli.median / shell.median,
      startMedianMs: hotmessStart.median,
      dockerRunMedianMs: cliRun.median,
      startOverDockerRun: hotmessStart.median / cliRun.median,
    };
  } finally {
    await persistent.close();
    await perExec.close();
    await reapContainers(docker, { run, all: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchSandbox();
}
