import { execa, type ResultPromise } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './registry.ts';

/** Debian's redis-server on 127.0.0.1, in a directory of its own, keeping no data across a restart. */
export interface LoopbackRedis {
  readonly port: number;
  /** redis://127.0.0.1:PORT, as --queue takes it. */
  readonly url: string;
  /** Stops it (by its pid) and starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

export async function startRedis(): Promise<LoopbackRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hotmess-redis-'));
  const port = await freePort();
  let child: ResultPromise | undefined;
  const start = async () => {
    child = execa(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
      { reject: false, stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    while (!(await answers(port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    if (child?.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    await child;
    child = undefined;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    restart: async () => {
      await stop();
      await start();
    },
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A PING answered with +PONG. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}
