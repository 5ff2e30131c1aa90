import type Docker from 'dockerode';

/**
 * Containers this process started and has not yet removed. On SIGINT/SIGTERM the CLI removes them all
 * before exiting, so an interrupted run leaves nothing behind.
 */
const live = new Map<string, Docker.Container>();
/** Creations the engine has not answered yet: a signal arriving now must still find their containers. */
const creating = new Set<Promise<unknown>>();
let closing = false;

export function track(container: Docker.Container): void {
  live.set(container.id, container);
}

/**
 * Tracks a container from the moment its creation is requested. One created after cleanup began is
 * removed at once, and the caller gets an error rather than a sandbox.
 */
export function trackCreation(creation: Promise<Docker.Container>): Promise<Docker.Container> {
  const tracked = creation.then(async (container) => {
    if (closing) {
      await container.remove({ force: true, v: true }).catch(() => undefined);
      throw new Error('the process is shutting down');
    }
    track(container);
    return container;
  });
  creating.add(tracked);
  const forget = () => creating.delete(tracked);
  tracked.then(forget, forget);
  return tracked;
}

export function untrack(container: Docker.Container): void {
  live.delete(container.id);
}

/**
 * Containers whose removal failed because the engine did not answer (a restart, a bounce). They are retried every
 * few seconds while the engine is away, once more when the process is about to exit, and by removeAllTracked.
 * Whatever is still left when the process exits belongs to an ended lease, which the next start-up reaps.
 */
const orphans = new Map<string, Docker.Container>();
const ORPHAN_RETRY_MS = 2000;
let retryTimer: NodeJS.Timeout | undefined;
let exitHookInstalled = false;

export function deferRemoval(container: Docker.Container): void {
  live.delete(container.id);
  orphans.set(container.id, container);
  retryTimer ??= setInterval(() => void removeOrphans(), ORPHAN_RETRY_MS).unref();
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'beforeExit' lets async work run once the event loop is otherwise done; 'once': no second attempt.
    process.once('beforeExit', () => void removeOrphans());
  }
}

export function orphanCount(): number {
  return orphans.size;
}

/** One attempt at every container whose removal failed; returns how many are still left. */
export async function removeOrphans(): Promise<number> {
  await Promise.allSettled(
    [...orphans.values()].map(async (container) => {
      try {
        await container.remove({ force: true, v: true });
        orphans.delete(container.id);
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) orphans.delete(container.id);
      }
    }),
  );
  if (orphans.size === 0 && retryTimer) {
    clearInterval(retryTimer);
    retryTimer = undefined;
  }
  return orphans.size;
}

export function liveContainerCount(): number {
  return live.size;
}

/** Removes every tracked container, waiting first for creations in flight so none escapes. */
export async function removeAllTracked(): Promise<number> {
  closing = true;
  let removed = 0;
  do {
    await Promise.allSettled([...creating]);
    const all = [...live.values()];
    live.clear();
    const results = await Promise.allSettled(all.map((c) => c.remove({ force: true, v: true })));
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') removed += 1;
      else if ((r.reason as { statusCode?: number }).statusCode !== 404) deferRemoval(all[i] as Docker.Container);
    });
  } while (creating.size > 0 || live.size > 0);
  const waiting = orphans.size;
  return removed + waiting - (await removeOrphans());
}

let installed = false;

/** Installs handlers that remove tracked containers, then exit with 128 + signal number. */
export function installSignalCleanup(onSignal?: (signal: NodeJS.Signals) => void): void {
  if (installed) return;
  installed = true;
  let exiting = false;
  const handler = (signal: NodeJS.Signals) => {
    if (exiting) return;
    exiting = true;
    onSignal?.(signal);
    void removeAllTracked().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
