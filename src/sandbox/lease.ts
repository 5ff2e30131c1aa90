import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/**
 * Who owns a container, told in a way that cannot be confused. A pid and a host name are not enough: a process in
 * another PID namespace, or another user on the same engine and host name, has pids that mean nothing here. So
 * every process that starts containers holds a lease: a small file named by a random owner id (the id is also a
 * container label), which the owner rewrites every few seconds and marks ended when it exits. An owner is dead
 * only on positive evidence: its lease says it ended, its heartbeat stopped long ago, or it ran in this very PID
 * namespace and boot and its process is gone. No lease file (another user's, another machine's) proves nothing.
 */

export const HEARTBEAT_MS = 10_000;
/** A heartbeat this old means its owner is gone (generous: a busy machine may stall a process for a while). */
export const LEASE_EXPIRY_MS = 2 * 60_000;

const leaseSchema = z.object({
  owner: z.string(),
  pid: z.number().int(),
  host: z.string(),
  /** The kernel's boot id and the PID namespace: pids compare only when both match. */
  bootId: z.string(),
  pidNs: z.string(),
  /** The process's start time in clock ticks since boot, so a reused pid is not taken for the owner. */
  startTicks: z.string(),
  heartbeatAt: z.string(),
  endedAt: z.string().optional(),
});
export type Lease = z.infer<typeof leaseSchema>;

export type OwnerState = 'alive' | 'dead' | 'unknown';

/** Where leases live: `$HOTMESS_STATE_DIR/leases`, else `$XDG_STATE_HOME/hotmess/leases` (~/.local/state). */
export function leaseDir(): string {
  if (process.env.HOTMESS_STATE_DIR) return path.join(path.resolve(process.env.HOTMESS_STATE_DIR), 'leases');
  const state = process.env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(state, 'hotmess', 'leases');
}

function leaseFile(owner: string): string {
  return path.join(leaseDir(), `${owner}.json`);
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return fallback;
  }
}

function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces), or '' when unreadable. */
function startTicks(pid: number | 'self'): string {
  const stat = readOr(`/proc/${pid}/stat`, '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? '';
}

function writeLease(lease: Lease): void {
  const file = leaseFile(lease.owner);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(lease)}\n`);
  renameSync(tmp, file);
}

let own: Lease | undefined;

/**
 * This process's owner id, its lease written on first use and kept fresh until the process exits. A lease that
 * cannot be written (a read-only home) leaves the id unknown to others, so its containers are never reaped
 * as dead: the safe side.
 */
export function ownerId(): string {
  if (own) return own.owner;
  own = {
    owner: randomUUID(),
    pid: process.pid,
    host: os.hostname(),
    bootId: readOr('/proc/sys/kernel/random/boot_id', ''),
    pidNs: pidNamespace(),
    startTicks: startTicks('self'),
    heartbeatAt: new Date().toISOString(),
  };
  const lease = own;
  const beat = (ended: boolean) => {
    try {
      writeLease({
        ...lease,
        heartbeatAt: new Date().toISOString(),
        ...(ended ? { endedAt: new Date().toISOString() } : {}),
      });
    } catch {
      // Unwritable state directory: the lease stays unknown to others (see above).
    }
  };
  try {
    mkdirSync(leaseDir(), { recursive: true });
  } catch {
    // Reported by the first write failing, which is harmless.
  }
  beat(false);
  setInterval(() => beat(false), HEARTBEAT_MS).unref();
  process.once('exit', () => beat(true));
  return lease.owner;
}

export function readLease(owner: string): Lease | undefined {
  if (!/^[0-9a-f-]{36}$/.test(owner)) return undefined;
  try {
    const parsed = leaseSchema.safeParse(JSON.parse(readFileSync(leaseFile(owner), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the owner of a container is provably alive, provably dead, or cannot be told from here. */
export function ownerState(owner: string, now = Date.now()): OwnerState {
  if (own?.owner === owner) return 'alive';
  const lease = readLease(owner);
  if (!lease) return 'unknown';
  if (lease.endedAt !== undefined) return 'dead';
  const here = lease.bootId !== '' && lease.bootId === readOr('/proc/sys/kernel/random/boot_id', '');
  if (here && lease.pidNs !== '' && lease.pidNs === pidNamespace() && lease.startTicks !== '') {
    return startTicks(lease.pid) === lease.startTicks ? 'alive' : 'dead';
  }
  return now - Date.parse(lease.heartbeatAt) > LEASE_EXPIRY_MS ? 'dead' : 'alive';
}

/** Removes the lease files of dead owners that no container names any more. */
export function pruneLeases(stillNamed: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = readdirSync(leaseDir());
  } catch {
    return;
  }
  for (const name of names) {
    const owner = name.endsWith('.json') ? name.slice(0, -5) : undefined;
    if (!owner || stillNamed.has(owner) || ownerState(owner) !== 'dead') continue;
    try {
      unlinkSync(leaseFile(owner));
    } catch {
      // Another process pruned it first, or it is not ours to remove.
    }
  }
}
