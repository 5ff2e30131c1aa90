import type Docker from 'dockerode';

/**
 * Containers this process started and has not yet removed. On SIGINT/SIGTERM the CLI removes them all
 * before exiting, so an interrupted run leaves nothing behind.
 */
const live = new Map<string, Docker.Container>();

export function track(container: Docker.Container): void {
  live.set(container.id, container);
}

export function untrack(container: Docker.Container): void {
  live.delete(container.id);
}

export function liveContainerCount(): number {
  return live.size;
}

export async function removeAllTracked(): Promise<number> {
  const all = [...live.values()];
  live.clear();
  await Promise.allSettled(all.map((c) => c.remove({ force: true, v: true })));
  return all.length;
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
