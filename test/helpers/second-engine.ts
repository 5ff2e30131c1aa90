/**
 * A second Docker engine of the test's own, beside the shared one (NOTES.md, "A second Docker engine"): its own
 * data root, exec root (and so its own containerd), socket, pid file and containerd namespaces, no bridge and no
 * iptables rules. Tests may stop and start it at will without disturbing anyone else's containers.
 */
import Dockerode from 'dockerode';
import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface SecondEngine {
  /** `unix://…`, for DOCKER_HOST. */
  readonly host: string;
  readonly docker: Dockerode;
  readonly dir: string;
  /** Stops dockerd with SIGTERM (by the pid in its pid file) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again with the same settings and waits until it answers. */
  start(): Promise<void>;
  /** Stops it and removes every file it had. */
  destroy(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

export async function startSecondEngine(): Promise<SecondEngine> {
  // Short paths: the socket's path must fit in a unix socket address (108 bytes).
  const dir = await mkdtemp('/tmp/hm2-');
  const socket = path.join(dir, 'd.sock');
  const pidfile = path.join(dir, 'd.pid');
  const ns = `hm2-${randomBytes(4).toString('hex')}`;
  const args = [
    ...['--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec')],
    ...['-H', `unix://${socket}`, '--pidfile', pidfile, '--bridge', 'none', '--iptables=false', '--ip-masq=false'],
    ...['--containerd-namespace', ns, '--containerd-plugins-namespace', `${ns}-plugins`],
  ];
  const docker = new Dockerode({ socketPath: socket });
  let daemon: ResultPromise | undefined;

  const start = async () => {
    // In a network namespace of its own: a dockerd started with `--bridge none` deletes the host's docker0,
    // which leaves the main engine unable to start a networked container or run a build step.
    daemon = execa('unshare', ['--net', 'dockerd', ...args], {
      reject: false,
      stdin: 'ignore',
      stdout: { file: path.join(dir, 'dockerd.log'), append: true },
      stderr: { file: path.join(dir, 'dockerd.log'), append: true },
    });
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      try {
        await docker.ping();
        return;
      } catch {
        if (daemon.exitCode !== null || Date.now() > deadline) {
          const log = await readFile(path.join(dir, 'dockerd.log'), 'utf8').catch(() => '');
          throw new Error(`the second dockerd did not start: ${log.split('\n').slice(-5).join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  const stop = async () => {
    const pid = Number((await readFile(pidfile, 'utf8').catch(() => '')).trim());
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    await daemon;
    daemon = undefined;
  };
  await start();
  return {
    host: `unix://${socket}`,
    docker,
    dir,
    stop,
    start,
    destroy: async () => {
      if (daemon) {
        const containers = await docker.listContainers({ all: true }).catch(() => []);
        await Promise.allSettled(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
        await stop();
      }
      // dockerd unmounts its layers on a clean stop; anything still mounted under its roots goes first.
      const mounts = (await readFile('/proc/mounts', 'utf8'))
        .split('\n')
        .map((l) => l.split(' ')[1] ?? '')
        .filter((m) => m.startsWith(`${dir}/`))
        .sort((a, b) => b.length - a.length);
      for (const m of mounts) await execa('umount', ['-l', m], { reject: false });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Imports a tiny image into an engine: bash, coreutils' `sleep` and their libraries copied from this machine,
 * enough for a container that idles (`sleep infinity`) and runs shell commands as root.
 */
export async function importTinyImage(engine: SecondEngine, tag = 'hotmess-test/tiny:1'): Promise<string> {
  const root = path.join(engine.dir, 'rootfs');
  const binaries = ['/bin/bash', '/bin/sleep', '/bin/cat', '/bin/ls', '/bin/rm', '/bin/head', '/usr/bin/kill'];
  const files = new Set<string>(binaries);
  for (const bin of binaries) {
    const { stdout } = await execa('ldd', [bin]);
    for (const m of stdout.matchAll(/(\/\S+) \(0x/g)) if (m[1]) files.add(m[1]);
  }
  for (const file of files) {
    await mkdir(path.join(root, path.dirname(file)), { recursive: true });
    await copyFile(file, path.join(root, file));
  }
  await mkdir(path.join(root, 'etc'), { recursive: true });
  await mkdir(path.join(root, 'tmp'), { recursive: true });
  await writeFile(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
  await writeFile(path.join(root, 'etc/group'), 'root:x:0:\n');
  await execa('sh', ['-c', `tar -C "$0" -c . | docker -H "$1" import - "$2"`, root, engine.host, tag]);
  return tag;
}
