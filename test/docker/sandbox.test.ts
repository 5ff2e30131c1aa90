import { execa, type ResultPromise } from 'execa';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectEngine } from '../../src/docker/engine.ts';
import { SandboxError } from '../../src/errors.ts';
import { repoRoot } from '../../src/paths.ts';
import type { DockerSandbox } from '../../src/sandbox/docker-sandbox.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { LABEL_HOST, LABEL_KEEP, LABEL_OWNER, LABEL_PID, LABEL_RUN } from '../../src/sandbox/labels.ts';
import { reapContainers } from '../../src/sandbox/reaper.ts';
import { removeAllTracked } from '../../src/sandbox/registry.ts';
import { processAlive } from '../../src/process-alive.ts';
import { fakeLease } from '../helpers/leases.ts';

const run = `test-sandbox-${process.pid}`;
const { docker } = await connectEngine();
const image = inject('baseImage');
const provider = new DockerSandboxProvider(docker);

const ownerScript = path.join(repoRoot, 'test/helpers/sandbox-owner.ts');

/** The container id a sandbox-owner process prints once its sandbox is up. */
function readyContainer(child: ResultPromise): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /^ready (\w+)$/m.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.then(
      (r) => reject(new Error(`the sandbox owner exited before its sandbox was up: ${String(r.stderr)}`)),
      reject,
    );
  });
}

async function runContainers(runId = run): Promise<number> {
  return (await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } })).length;
}

describe('persistent-shell sandbox', () => {
  let sb: DockerSandbox;
  beforeAll(async () => {
    sb = await provider.start(image, { execMode: 'persistent' }, { run, instance: 'demo__x-1', unroll: 3 });
  });
  afterAll(async () => {
    await sb.close();
  });

  it('is started with the safety limits and labels', async () => {
    const info = await sb.container.inspect();
    expect(info.HostConfig.NetworkMode).toBe('none');
    expect(info.HostConfig.PidsLimit).toBe(512);
    expect(info.HostConfig.Memory).toBe(2 * 1024 ** 3);
    expect(info.HostConfig.NanoCpus).toBe(1e9);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.Binds ?? []).toEqual([]);
    expect(info.Config.User).toBe('hotmess');
    expect(info.Config.Labels).toMatchObject({
      'hotmess.run': run,
      'hotmess.instance': 'demo__x-1',
      'hotmess.unroll': '3',
    });
  });

  it('reports exit codes and keeps stdout and stderr apart', async () => {
    const r = await sb.exec('echo out; echo err >&2; (exit 42)');
    expect(r).toMatchObject({ exitCode: 42, stdout: 'out\n', stderr: 'err\n', timedOut: false, truncated: false });
    expect((await sb.exec('true')).exitCode).toBe(0);
    expect((await sb.exec('printf "no newline"')).stdout).toBe('no newline');
  });

  it('keeps the working directory and exported variables between actions, as a terminal does', async () => {
    await sb.exec('cd /tmp && export GREETING="hello world" && counter=5');
    const r = await sb.exec('pwd; echo "$GREETING"; echo "$counter"');
    expect(r.stdout).toBe('/tmp\nhello world\n5\n');
    await sb.exec('cd /testbed');
  });

  it('applies per-command cwd and env without changing the shell', async () => {
    const r = await sb.exec('pwd; echo "$ONLY_HERE"; sh -c \'echo "child:$ONLY_HERE"\'', {
      cwd: '/usr',
      env: { ONLY_HERE: "it's here" },
    });
    expect(r.stdout).toBe("/usr\nit's here\nchild:it's here\n");
    expect((await sb.exec('pwd; echo "[$ONLY_HERE]"')).stdout).toBe('/testbed\n[]\n');
  });

  it('kills a hanging command at its timeout and keeps working afterwards, state restored', async () => {
    await sb.exec('export KEPT=yes; cd /var');
    const started = Date.now();
    const r = await sb.exec('echo started; sleep 60 & sleep 60', { timeoutMs: 1500 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
    expect(r.stdout).toBe('started\n');
    expect(Date.now() - started).toBeLessThan(10_000);
    const after = await sb.exec('pwd; echo $KEPT; ps -eo comm | grep -c "^sleep$" || true');
    // Only the container's own idle `sleep infinity` is left: the command's children died with it.
    expect(after.stdout).toBe('/var\nyes\n1\n');
    await sb.exec('cd /testbed');
  });

  it('reports a command that exits or kills the shell, and the next action recovers', async () => {
    await sb.exec('export SURVIVES=1; cd /etc');
    const exited = await sb.exec('echo bye; exit 7');
    expect(exited.exitCode).toBe(7);
    expect(exited.stdout).toBe('bye\n');
    expect(exited.stderr).toMatch(/shell exited/);
    expect((await sb.exec('pwd; echo $SURVIVES')).stdout).toBe('/etc\n1\n');
    const killed = await sb.exec('kill -9 $$');
    expect(killed.exitCode).not.toBe(0);
    expect(killed.stderr).toMatch(/shell exited/);
    expect((await sb.exec('pwd; echo $SURVIVES')).stdout).toBe('/etc\n1\n');
    expect(sb.shellRestarts).toBeGreaterThanOrEqual(2);
    await sb.exec('cd /testbed');
  });

  it('caps 200 MB of output, marks it truncated, and keeps memory flat', async () => {
    const before = process.memoryUsage().rss;
    const r = await sb.exec('head -c 200000000 /dev/zero | tr "\\0" "x"; echo done >&2', {
      maxOutputBytes: 1_000_000,
      timeoutMs: 120_000,
    });
    const grown = process.memoryUsage().rss - before;
    expect(r.exitCode).toBe(0);
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(1_000_000);
    expect(r.stderr).toBe('done\n');
    expect(grown).toBeLessThan(60 * 1024 * 1024);
    expect((await sb.exec('echo still here')).stdout).toBe('still here\n');
  });

  it('has no network from inside', async () => {
    const r = await sb.exec(
      'ls /sys/class/net; python3 -c "import socket; socket.create_connection((\'1.1.1.1\', 80), timeout=3)" 2>&1 | tail -1',
      { timeoutMs: 20_000 },
    );
    expect(r.stdout.split('\n')[0]).toBe('lo');
    expect(r.stdout).toMatch(/Network is unreachable|unreachable|Errno/);
  });

  it('cannot write outside the work tree (non-root user)', async () => {
    for (const target of ['/etc/hotmess-x', '/usr/bin/hotmess-x', '/hotmess-x']) {
      const r = await sb.exec(`touch ${target}`);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(/Permission denied/);
    }
    expect((await sb.exec('touch /testbed/ok && rm /testbed/ok')).exitCode).toBe(0);
  });

  it('round-trips files with their modes through the archive API', async () => {
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
    await sb.writeFile('nested/dir/tool.sh', '#!/bin/sh\necho from-tool\n', { mode: 0o755 });
    await sb.writeFile('/tmp/blob.bin', binary, { mode: 0o600 });
    expect((await sb.exec('./nested/dir/tool.sh; stat -c "%a %U" nested/dir/tool.sh /tmp/blob.bin')).stdout).toBe(
      'from-tool\n755 hotmess\n600 hotmess\n',
    );
    expect(Buffer.compare(await sb.readFile('/tmp/blob.bin'), binary)).toBe(0);
    expect((await sb.readFile('nested/dir/tool.sh')).toString()).toContain('from-tool');
    await expect(sb.readFile('/no/such/file')).rejects.toMatchObject({ code: 'file_not_found' });
    await expect(sb.readFile('/etc')).rejects.toMatchObject({ code: 'not_a_file' });
    await sb.exec('rm -rf nested');
  });

  it('answers commands it cannot run with a named error', async () => {
    await expect(sb.exec('echo a\0b')).rejects.toBeInstanceOf(SandboxError);
    await expect(sb.exec('true', { env: { 'BAD-NAME': '1' } })).rejects.toMatchObject({ code: 'bad_command' });
  });
});

describe('after a timeout', () => {
  /** Sockets and pipes keeping the event loop alive: the Docker connections among them. */
  const openHandles = () =>
    process.getActiveResourcesInfo().filter((r) => r === 'PipeWrap' || r === 'TCPSocketWrap').length;

  it('leaves no open connection behind once the sandbox is closed, so the process can exit', async () => {
    const before = openHandles();
    const sb = await provider.start(image, { execMode: 'persistent' }, { run });
    try {
      expect((await sb.exec('sleep 100', { timeoutMs: 1000 })).timedOut).toBe(true);
    } finally {
      await sb.close();
    }
    const deadline = Date.now() + 5000;
    while (openHandles() > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(openHandles()).toBe(before);
  });

  it('lets the next command run to its own timeout instead of cutting it off', async () => {
    const sb = await provider.start(image, { execMode: 'persistent' }, { run });
    try {
      expect((await sb.exec('sleep 100', { timeoutMs: 1000 })).timedOut).toBe(true);
      const next = await sb.exec('echo again; sleep 100000', { timeoutMs: 4000 });
      expect(next).toMatchObject({ timedOut: true, stdout: 'again\n' });
      expect(next.stderr).not.toMatch(/shell exited/);
      expect(next.durationMs).toBeGreaterThanOrEqual(3900);
      expect((await sb.exec('echo fine')).stdout).toBe('fine\n');
    } finally {
      await sb.close();
    }
  });

  it('`hotmess exec --mode persistent` exits with 124 once the command is killed', async () => {
    const args = ['exec', '--image', image, '--mode', 'persistent', '--timeout', '2', '--', 'sleep', '100'];
    // Generous: start-up alone takes seconds on a busy machine; a process that hangs is killed at the end.
    const result = await execa('node', [path.join(repoRoot, 'bin/hotmess.js'), ...args], {
      reject: false,
      timeout: 90_000,
    });
    expect(result.stderr).toContain('timed out after 2 s');
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(124);
  });
});

describe('one exec per action', () => {
  it('runs stateless commands with exit codes, timeouts and caps', async () => {
    const sb = await provider.start(image, { execMode: 'exec' }, { run });
    try {
      expect(await sb.exec('echo out; echo err >&2; exit 3')).toMatchObject({
        exitCode: 3,
        stdout: 'out\n',
        stderr: 'err\n',
      });
      await sb.exec('cd /tmp');
      expect((await sb.exec('pwd')).stdout).toBe('/testbed\n');
      const slow = await sb.exec('sleep 30', { timeoutMs: 1000 });
      expect(slow.timedOut).toBe(true);
      const big = await sb.exec('head -c 5000000 /dev/zero', { maxOutputBytes: 1000 });
      expect(big).toMatchObject({ exitCode: 0, truncated: true });
      expect(big.stdout.length).toBe(1000);
    } finally {
      await sb.close();
    }
  });
});

describe('containment', () => {
  it('contains a fork bomb with the pids limit; the host is unaffected and the sandbox is removed', async () => {
    const sb = await provider.start(image, { pidsLimit: 64, execMode: 'persistent' }, { run });
    try {
      // The bomb backgrounds itself at once; give it time to hit the ceiling.
      await sb.exec(':(){ :|:& };:', { timeoutMs: 5000 });
      await new Promise((r) => setTimeout(r, 2000));
      // The engine reads pids.current and pids.max from the container's cgroup wherever the host keeps it
      // (cgroup v1 or v2, cgroupfs or systemd driver), and nothing needs to fork inside the full container.
      const { pids_stats: pids } = await docker.getContainer(sb.id).stats({ stream: false });
      expect(pids?.limit).toBe(64);
      expect(pids?.current).toBeGreaterThan(32);
      expect(pids?.current).toBeLessThanOrEqual(64);
      expect((await execa('true')).exitCode).toBe(0);
    } finally {
      await sb.close();
    }
    await expect(docker.getContainer(sb.id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('cleanup', () => {
  /** A container labelled as one of hotmess's, owned by `owner` (a lease id) or by no lease at all. */
  const labelled = (runId: string, owner: string | undefined, extra: Record<string, string> = {}) =>
    docker.createContainer({
      Image: image,
      Cmd: ['true'],
      Labels: {
        [LABEL_RUN]: runId,
        // A live pid: hotmess processes of older versions on this engine reap by pid and host alone.
        [LABEL_PID]: String(process.pid),
        [LABEL_HOST]: os.hostname(),
        ...(owner ? { [LABEL_OWNER]: owner } : {}),
        ...extra,
      },
    });
  const exists = (c: { inspect(): Promise<unknown> }) =>
    c.inspect().then(
      () => true,
      (err: { statusCode?: number }) => (err.statusCode === 404 ? false : Promise.reject(err)),
    );

  it('reaps the containers of provably dead owners, and only those', async () => {
    const reapRun = `${run}-reap`;
    const ended = await labelled(reapRun, await fakeLease({ endedAt: new Date().toISOString() }));
    const silent = await labelled(
      reapRun,
      await fakeLease({ heartbeatAt: new Date(Date.now() - 3_600_000).toISOString() }),
    );
    // Another PID namespace, heartbeat fresh: its pid means nothing here, so it is alive whatever that pid is.
    const elsewhere = await labelled(reapRun, await fakeLease());
    const noLease = await labelled(reapRun, '00000000-0000-4000-8000-000000000000');
    const beforeLeases = await labelled(reapRun, undefined);
    const kept = await labelled(reapRun, await fakeLease({ endedAt: new Date().toISOString() }), {
      [LABEL_KEEP]: 'true',
    });
    const mine = await provider.start(image, {}, { run: reapRun });
    const foreign = await docker.createContainer({ Image: image, Cmd: ['true'], Labels: { 'other.tool': 'x' } });
    try {
      const result = await reapContainers(docker, { run: reapRun });
      expect(result.removed.sort()).toEqual([ended.id, silent.id].sort());
      expect(result).toMatchObject({ alive: 2, unknown: 2, kept: 1 });
      for (const c of [elsewhere, noLease, beforeLeases, kept, mine.container, foreign])
        expect(await exists(c)).toBe(true);
      const all = await reapContainers(docker, { run: reapRun, all: true });
      expect(all.removed).toHaveLength(5);
      expect(await exists(foreign)).toBe(true);
    } finally {
      await mine.close();
      await foreign.remove({ force: true });
    }
  });

  it('reaps the sandbox of a killed hotmess process in this PID namespace at once', async () => {
    const reapRun = `${run}-killed`;
    const owner = execa('node', ['--import', 'tsx', ownerScript, image, reapRun], { reject: false });
    const id = await readyContainer(owner);
    expect((await reapContainers(docker, { run: reapRun })).removed).toEqual([]);
    owner.kill('SIGKILL');
    await owner;
    expect((await reapContainers(docker, { run: reapRun })).removed).toEqual([id]);
  });

  it('keeps the sandbox of a live hotmess process in another PID namespace', async () => {
    const reapRun = `${run}-unshared`;
    // In its own PID namespace, with a pid that is free here (as the probe found: 3 live containers were reaped).
    let pid = 30000;
    while (processAlive(pid)) pid += 1;
    const script = `echo ${pid - 1} > /proc/sys/kernel/ns_last_pid; node --import tsx ${ownerScript} ${image} ${reapRun}`;
    const owner = execa('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', 'sh', '-c', script], {
      reject: false,
    });
    try {
      const id = await readyContainer(owner);
      const labels = (await docker.getContainer(id).inspect()).Config.Labels;
      expect(labels[LABEL_PID]).toBe(String(pid));
      expect(processAlive(pid)).toBe(false);
      const result = await reapContainers(docker, { run: reapRun });
      expect(result).toMatchObject({ removed: [], alive: 1 });
      expect(await exists(docker.getContainer(id))).toBe(true);
      owner.stdin?.end();
      expect((await owner).exitCode).toBe(0);
      expect(await runContainers(reapRun)).toBe(0);
    } finally {
      owner.kill('SIGKILL');
      await reapContainers(docker, { run: reapRun, all: true });
    }
  });

  it('`hotmess reap` removes the leftovers of a dead owner and keeps those of a live one', async () => {
    const reapRun = `${run}-cli-reap`;
    const dead = await labelled(reapRun, await fakeLease({ endedAt: new Date().toISOString() }));
    const alive = await labelled(reapRun, await fakeLease());
    try {
      const r = await execa('node', [path.join(repoRoot, 'bin/hotmess.js'), 'reap', '--run', reapRun]);
      expect(r.stdout).toContain(`removed  ${dead.id.slice(0, 12)}`);
      expect(r.stdout).toMatch(/1 container\(s\) removed; left 1 of live runs \(--all removes them too\)/);
      expect(await exists(dead)).toBe(false);
      expect(await exists(alive)).toBe(true);
      const all = await execa('node', [path.join(repoRoot, 'bin/hotmess.js'), 'reap', '--run', reapRun, '--all']);
      expect(all.stdout).toMatch(/^removed {2}/);
      expect(await exists(alive)).toBe(false);
    } finally {
      await alive.remove({ force: true }).catch(() => undefined);
    }
  });

  it('leaves no container behind after SIGINT to a running hotmess process', async () => {
    const child = execa(
      'node',
      [path.join(repoRoot, 'bin/hotmess.js'), 'exec', '--image', image, '--', 'sleep', '120'],
      { reject: false },
    );
    const runId = `exec-${child.pid}`;
    const deadline = Date.now() + 30_000;
    while ((await runContainers(runId)) === 0) {
      if (Date.now() > deadline) throw new Error('the sandbox never started');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(await runContainers(runId)).toBe(0);
  });

  // Last in the file: once cleanup has begun, this process creates no more sandboxes.
  it('cleanup catches sandboxes whose creation was still in flight, and those asked for after it began', async () => {
    const racing = `${run}-race`;
    const inFlight = [1, 2, 3].map((unroll) =>
      provider.start(image, {}, { run: racing, instance: 'demo__x-1', unroll }),
    );
    const cleanup = removeAllTracked();
    const late = provider.start(image, {}, { run: racing, instance: 'demo__x-1', unroll: 4 });
    const settled = await Promise.allSettled([...inFlight, late]);
    await cleanup;
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(await runContainers(racing)).toBe(0);
  });

  it('leaves nothing behind for this file', async () => {
    expect(await runContainers()).toBe(0);
  });
});
