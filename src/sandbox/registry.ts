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
    await Promise.allSettled(all.map((c) => c.remove({ force: true, v: true })));
    removed += all.length;
  } while (creating.size > 0 || live.size > 0);
  return removed;
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
