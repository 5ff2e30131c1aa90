import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { leaseDir, type Lease } from '../../src/sandbox/lease.ts';

/** Writes the lease of a made-up owner (by default: another PID namespace, heartbeat just now) and returns its id. */
export async function fakeLease(over: Partial<Lease> = {}): Promise<string> {
  const lease: Lease = {
    owner: randomUUID(),
    pid: 2 ** 22 + 777,
    host: os.hostname(),
    bootId: 'another-boot',
    pidNs: 'pid:[1]',
    startTicks: '1',
    heartbeatAt: new Date().toISOString(),
    ...over,
  };
  await mkdir(leaseDir(), { recursive: true });
  await writeFile(path.join(leaseDir(), `${lease.owner}.json`), `${JSON.stringify(lease)}\n`);
  return lease.owner;
}
