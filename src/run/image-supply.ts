import { isInfrastructureFailure } from '../infra-failure.ts';
import type Docker from 'dockerode';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { errorMessage, HotmessError } from '../errors.ts';
import { ImageDiskBudget, type BudgetEvent } from '../images/disk-budget.ts';
import { decideImageSource, type ImageSourceDecision } from '../images/image-source.ts';
import { ensureInstanceImage, type InstanceImage, type PullDecision } from '../images/instance-image.ts';
import { pullImage, type PullProgress } from '../images/pull.ts';
import { PulledImages } from '../images/pulled-state.ts';
import type { ImageSourceOptions, RunImageOptions } from '../images/source-options.ts';
import type { Instance } from '../instances/schema.ts';
import type { PlannedUnroll } from './seeds.ts';

export function imageSupplyOptions(
  opts: RunImageOptions = {},
): Pick<ImageSupplyOptions, 'source' | 'maxImageDiskBytes' | 'pullConcurrency'> {
  const { maxImageDiskGb, pullConcurrency, ...source } = opts;
  return {
    source,
    ...(maxImageDiskGb !== undefined ? { maxImageDiskBytes: Math.round(maxImageDiskGb * 1e9) } : {}),
    ...(pullConcurrency !== undefined ? { pullConcurrency } : {}),
  };
}

export interface ImageSupplyOptions {
  docker: Docker;
  instances: readonly Instance[];
  /** The unrolls left to run, in plan order: tasks get their images in the order they first appear. */
  unrolls: readonly PlannedUnroll[];
  source: ImageSourceOptions;
  /** --max-image-disk in bytes; undefined: no budget. */
  maxImageDiskBytes?: number;
  /** Pulls at once (builds: 2 at once, as before). */
  pullConcurrency?: number;
  runDir: string;
  log: Logger;
  note: (text: string) => void;
  onPullProgress?: (progress: PullProgress) => void;
  pulled?: PulledImages;
  signal?: AbortSignal;
}

/** One line of images.jsonl: what the run pulled, removed, kept or could not get, with sizes. */
export type ImageEvent =
  | (BudgetEvent & { at: string })
  | {
      event: 'pulled';
      at: string;
      image: string;
      pulled_as: string;
      registry: string;
      id: string;
      bytes: number;
      duration_ms: number;
      attempts: number;
      instance_ids: string[];
    }
  | { event: 'failed'; at: string; instance_id: string; code: string; reason: string };

/**
 * The images of a run, got ahead of the unrolls that need them: tasks whose image is here are ready at once,
 * missing ones are pulled a few at a time in the run's task order (waiting for room under --max-image-disk),
 * and hotmess's own pulls are removed once their tasks are done, least recently used first. A task whose
 * image cannot be had is reported as not run, for an infrastructure reason; the others go on.
 */
export class ImageSupply {
  readonly skipped: { instance_id: string; reason: string }[] = [];
  /** Each task's image once it is here. */
  readonly images = new Map<string, InstanceImage>();
  private readonly ready = new Map<string, Promise<InstanceImage | undefined>>();
  private kinds: Promise<(ImageSourceDecision['kind'] | undefined)[]> = Promise.resolve([]);
  private readonly left = new Map<string, number>();
  private readonly budget: ImageDiskBudget;
  private readonly pulled: PulledImages;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly opts: ImageSupplyOptions) {
    for (const p of opts.unrolls) this.left.set(p.instance_id, (this.left.get(p.instance_id) ?? 0) + 1);
    this.pulled = opts.pulled ?? new PulledImages();
    this.budget = new ImageDiskBudget(opts.docker, this.pulled, opts.maxImageDiskBytes, (e) =>
      this.record({ ...e, at: new Date().toISOString() }),
    );
  }

  /** Starts getting every task's image, in plan order. */
  start(): void {
    const builds = pLimit(2);
    const pulls = pLimit(Math.max(1, this.opts.pullConcurrency ?? 2));
    const byId = new Map(this.opts.instances.map((i) => [i.instance_id, i]));
    const ids = [...this.left.keys()];
    const instances = ids.map((id) => {
      const instance = byId.get(id);
      if (!instance) throw new Error(`image supply: no instance ${id}`);
      return instance;
    });
    const decided = Promise.allSettled(instances.map((i) => decideImageSource(this.opts.docker, i, this.opts.source)));
    this.kinds = decided.then((all) => all.map((d) => (d.status === 'fulfilled' ? d.value.kind : undefined)));
    // Dispatched in plan order once every decision is known, so that pulls start in the order the tasks run.
    for (const [i, instance] of instances.entries()) {
      const pending = decided
        .then((all) => this.get(instance, all[i] as PromiseSettledResult<ImageSourceDecision>, builds, pulls))
        .then((image) => {
          if (image) this.images.set(instance.instance_id, image);
          return image;
        });
      this.ready.set(instance.instance_id, pending);
    }
  }

  /**
   * The unrolls, each once its task's image is here: first those whose image was already present, in plan
   * order, then each task's unrolls together as its pull or build finishes. `unavailable` hears how many
   * unrolls of a task whose image could not be had will not run.
   */
  async *readyUnrolls(unavailable: (count: number) => void): AsyncGenerator<PlannedUnroll> {
    const ids = [...this.left.keys()];
    const kinds = await this.kinds;
    await Promise.all(ids.filter((_, i) => kinds[i] === 'local').map((id) => this.ready.get(id)));
    const pending = new Set(ids);
    const done: string[] = [];
    let wake: (() => void) | undefined;
    for (const id of ids)
      void this.ready.get(id)?.then(
        () => {
          done.push(id);
          wake?.();
        },
        () => {
          done.push(id);
          wake?.();
        },
      );
    while (pending.size > 0) {
      if (done.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      const batch = new Set(done.splice(0));
      for (const id of batch) {
        pending.delete(id);
        // A rejection here is a bug met while getting the image: it stops the run.
        if (!(await this.ready.get(id))) unavailable(this.opts.unrolls.filter((p) => p.instance_id === id).length);
      }
      for (const p of this.opts.unrolls) if (batch.has(p.instance_id) && this.images.has(p.instance_id)) yield p;
    }
  }

  /** One unroll of the task is recorded; after its last one, its image may be removed under the budget. */
  async unrollFinished(id: string): Promise<void> {
    const n = (this.left.get(id) ?? 0) - 1;
    this.left.set(id, n);
    if (n === 0) await this.budget.taskFinished(id);
  }

  /** Removes what is over the budget and waits for images.jsonl to be written. */
  async finish(): Promise<void> {
    await this.budget.settle();
    await this.writes;
  }

  private async get(
    instance: Instance,
    decided: PromiseSettledResult<ImageSourceDecision>,
    builds: ReturnType<typeof pLimit>,
    pulls: ReturnType<typeof pLimit>,
  ): Promise<InstanceImage | undefined> {
    const id = instance.instance_id;
    try {
      if (decided.status === 'rejected') throw decided.reason;
      const decision = decided.value;
      if (decision.kind === 'pull') {
        // Queued at once (no await before it), so that pulls keep the plan's order.
        await pulls(() => this.pull(decision, id));
        return { tag: decision.image, user: 'root', workdir: '/testbed', origin: decision.origin };
      }
      // Builds two at a time, as before.
      const ensure = () =>
        ensureInstanceImage(this.opts.docker, instance, (line) => this.opts.log.info({ instance: id }, line), {
          source: this.opts.source,
        });
      const image = decision.kind === 'build' ? await builds(ensure) : await ensure();
      if (this.opts.maxImageDiskBytes !== undefined) {
        // An image hotmess pulled in an earlier run counts against the budget as well.
        const owned = await this.pulled.ownerOf(this.opts.docker, image.tag);
        if (owned) this.budget.track(owned, [id]);
      }
      return image;
    } catch (err) {
      if (this.opts.signal?.aborted) return undefined;
      // Only causes known to be the infrastructure's or the input's: anything else is a bug and stops the run.
      if (!(err instanceof HotmessError || isInfrastructureFailure(err))) throw err;
      const reason = errorMessage(err).split('\n')[0] ?? 'image unavailable';
      this.skipped.push({ instance_id: id, reason });
      this.opts.note(`not running ${id} (its image is unavailable; not the agent's failure): ${reason}`);
      this.opts.log.error({ instance: id, err: errorMessage(err) }, 'image unavailable');
      this.record({
        event: 'failed',
        at: new Date().toISOString(),
        instance_id: id,
        code: err instanceof HotmessError ? err.code : 'docker_api',
        reason,
      });
      await this.budget.taskFinished(id);
      return undefined;
    }
  }

  private async pull(decision: PullDecision, id: string): Promise<void> {
    const { docker, log, note } = this.opts;
    await this.budget.roomForPull(this.opts.signal);
    try {
      note(`pulling ${decision.pull}`);
      log.info({ instance: id, image: decision.pull }, 'pull starting');
      let lastLogged = 0;
      const result = await pullImage(docker, decision.pull, {
        ...(decision.image !== decision.pull ? { tagAs: decision.image } : {}),
        ...(this.opts.source.pullTimeoutSeconds ? { timeoutSeconds: this.opts.source.pullTimeoutSeconds } : {}),
        ...(this.opts.source.pullRetries !== undefined ? { retries: this.opts.source.pullRetries } : {}),
        pulled: this.pulled,
        ...(this.opts.signal ? { signal: this.opts.signal } : {}),
        onProgress: (p) => {
          this.opts.onPullProgress?.(p);
          // The log gets a line per 10 s, not one per event.
          if (Date.now() - lastLogged > 10_000) {
            lastLogged = Date.now();
            log.info(
              { image: p.image, layers: p.layers.length, layersDone: p.layersDone, bytes: p.downloadedBytes },
              'pull progress',
            );
          }
        },
        onRetry: ({ attempt, delayMs, error }) => {
          log.warn({ image: decision.pull, attempt, delayMs, err: error.message }, 'pull retry');
          note(`retrying the pull of ${decision.pull} in ${Math.round(delayMs / 1000)} s: ${error.message}`);
        },
      });
      if (this.opts.maxImageDiskBytes !== undefined) this.budget.track(result.record, [id]);
      log.info({ image: decision.pull, bytes: result.sizeBytes, ms: Math.round(result.durationMs) }, 'pulled');
      note(
        `pulled ${decision.pull} (${(result.sizeBytes / 1e6).toFixed(0)} MB) in ${(result.durationMs / 1000).toFixed(1)} s`,
      );
      this.record({
        event: 'pulled',
        at: new Date().toISOString(),
        image: decision.image,
        pulled_as: decision.pull,
        registry: result.registry,
        id: result.id,
        bytes: result.sizeBytes,
        duration_ms: Math.round(result.durationMs),
        attempts: result.attempts,
        instance_ids: [id],
      });
    } finally {
      this.budget.pullDone();
    }
  }

  private record(event: ImageEvent): void {
    const file = path.join(this.opts.runDir, 'images.jsonl');
    this.writes = this.writes.then(() => appendFile(file, `${JSON.stringify(event)}\n`));
  }
}
