import type Docker from 'dockerode';
import pLimit from 'p-limit';
import { HotmessError } from '../errors.ts';
import type { Instance } from '../instances/schema.ts';
import { decideImageSource } from './image-source.ts';
import { pullImage, type PullProgress } from './pull.ts';
import type { PulledImages } from './pulled-state.ts';
import type { ImageSourceOptions } from './source-options.ts';

/** What `images pull` did for one task. */
export type TaskPull =
  | { instance_id: string; outcome: 'present'; image: string }
  | { instance_id: string; outcome: 'pulled'; image: string; pulled: string; bytes: number; durationMs: number }
  /** Built from the record's source by `images build` or a run; nothing to pull. */
  | { instance_id: string; outcome: 'build' }
  | { instance_id: string; outcome: 'failed'; image: string; code: string; reason: string };

export interface PullSetHooks {
  onStart?(instanceId: string, pull: string): void;
  onProgress?(instanceId: string, progress: PullProgress): void;
  onRetry?(instanceId: string, message: string, delayMs: number): void;
  onDone?(result: TaskPull): void;
}

/**
 * Fetches a task set's images ahead of a run, `concurrency` at a time: those already here are left, those to
 * build from a source are left to the build, and a failed pull is reported with its named cause while the
 * others go on.
 */
export async function pullTaskImages(
  docker: Docker,
  instances: readonly Instance[],
  opts: ImageSourceOptions & { concurrency?: number; pulled?: PulledImages } = {},
  hooks: PullSetHooks = {},
): Promise<TaskPull[]> {
  const limit = pLimit(Math.max(1, opts.concurrency ?? 2));
  return Promise.all(
    instances.map((instance) =>
      limit(async (): Promise<TaskPull> => {
        const id = instance.instance_id;
        const decision = await decideImageSource(docker, instance, opts);
        let result: TaskPull;
        if (decision.kind === 'local') result = { instance_id: id, outcome: 'present', image: decision.image };
        else if (decision.kind === 'build') result = { instance_id: id, outcome: 'build' };
        else {
          hooks.onStart?.(id, decision.pull);
          try {
            const pulled = await pullImage(docker, decision.pull, {
              ...(decision.image !== decision.pull ? { tagAs: decision.image } : {}),
              ...(opts.pullTimeoutSeconds ? { timeoutSeconds: opts.pullTimeoutSeconds } : {}),
              ...(opts.pullRetries !== undefined ? { retries: opts.pullRetries } : {}),
              ...(opts.pulled ? { pulled: opts.pulled } : {}),
              onProgress: (p) => hooks.onProgress?.(id, p),
              onRetry: ({ delayMs, error }) => hooks.onRetry?.(id, error.message, delayMs),
            });
            result = {
              instance_id: id,
              outcome: 'pulled',
              image: decision.image,
              pulled: decision.pull,
              bytes: pulled.sizeBytes,
              durationMs: pulled.durationMs,
            };
          } catch (err) {
            if (!(err instanceof HotmessError)) throw err;
            result = { instance_id: id, outcome: 'failed', image: decision.pull, code: err.code, reason: err.message };
          }
        }
        hooks.onDone?.(result);
        return result;
      }),
    ),
  );
}
