import type Docker from 'dockerode';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { registryCredentials } from './docker-config.ts';
import { classifyPullError, pullTimeoutError, PullError } from './pull-errors.ts';
import { PulledImages, type PulledRecord } from './pulled-state.ts';
import { parseImageReference } from './reference.ts';

/** One layer as the engine reports it while pulling. */
export interface LayerProgress {
  id: string;
  status: string;
  current: number;
  total: number;
}

export interface PullProgress {
  image: string;
  layers: LayerProgress[];
  /** Layers downloaded (or already present) out of all layers seen so far. */
  layersDone: number;
  downloadedBytes: number;
  /** Sum of the layer sizes the engine has announced so far (grows as layers start). */
  totalBytes: number;
}

export interface PullOptions {
  /** Seconds one attempt may take. */
  timeoutSeconds?: number;
  /** Attempts beyond the first on a transient error (registry unreachable, 5xx, rate limited). */
  retries?: number;
  /** Base delay of the exponential backoff between attempts. */
  retryDelayMs?: number;
  /** Also tag the pulled image under this name (the official name, when pulled from a mirror). */
  tagAs?: string;
  /** Where the record of who pulled it goes (default: the user's state directory). */
  pulled?: PulledImages;
  /** The Docker client config to read credentials from (default: as `docker pull`). */
  dockerConfig?: string;
  onProgress?: (progress: PullProgress) => void;
  onRetry?: (info: { attempt: number; delayMs: number; error: PullError }) => void;
  signal?: AbortSignal;
}

export interface PullResult {
  image: string;
  registry: string;
  id: string;
  sizeBytes: number;
  durationMs: number;
  attempts: number;
  record: PulledRecord;
}

export const DEFAULT_PULL_TIMEOUT_SECONDS = 1800;
export const DEFAULT_PULL_RETRIES = 3;

const eventSchema = z
  .object({
    status: z.string().optional(),
    id: z.string().optional(),
    progressDetail: z.object({ current: z.number().optional(), total: z.number().optional() }).partial().optional(),
    error: z.string().optional(),
    errorDetail: z.object({ message: z.string().optional() }).partial().optional(),
  })
  .passthrough();

const DONE_STATUSES = new Set([
  'Download complete',
  'Pull complete',
  'Already exists',
  'Extracting',
  'Verifying Checksum',
]);

/**
 * Pulls an image through the engine (dockerode), with the user's registry credentials, a timeout per attempt
 * and bounded retries with exponential backoff on transient errors; every failure is a named PullError.
 * The image is then recorded as hotmess's own pull, so that a disk budget may remove it later.
 */
export async function pullImage(docker: Docker, image: string, opts: PullOptions = {}): Promise<PullResult> {
  const ref = parseImageReference(image);
  const credentials = await registryCredentials(ref.registry, ...(opts.dockerConfig ? [opts.dockerConfig] : []));
  const retries = opts.retries ?? DEFAULT_PULL_RETRIES;
  const timeoutSeconds = opts.timeoutSeconds ?? DEFAULT_PULL_TIMEOUT_SECONDS;
  const started = performance.now();
  let attempt = 0;
  for (;;) {
    attempt += 1;
    try {
      await pullOnce(docker, image, ref.registry, credentials, timeoutSeconds, opts);
      break;
    } catch (err) {
      if (!(err instanceof PullError) || !err.transient || attempt > retries || opts.signal?.aborted) throw err;
      const delayMs = (opts.retryDelayMs ?? 1000) * 2 ** (attempt - 1);
      opts.onRetry?.({ attempt, delayMs, error: err });
      await sleep(delayMs, undefined, opts.signal ? { signal: opts.signal } : {}).catch(() => undefined);
    }
  }
  const info = await docker.getImage(image).inspect();
  if (opts.tagAs && opts.tagAs !== image) {
    const target = parseTag(opts.tagAs);
    await docker.getImage(info.Id).tag(target);
  }
  const now = new Date().toISOString();
  const pulled = opts.pulled ?? new PulledImages();
  const record = await pulled.record({
    id: info.Id,
    tags: opts.tagAs && opts.tagAs !== image ? [image, opts.tagAs] : [image],
    registry: ref.registry,
    sizeBytes: info.Size,
    pulledAt: now,
    lastUsedAt: now,
  });
  return {
    image,
    registry: ref.registry,
    id: info.Id,
    sizeBytes: info.Size,
    durationMs: performance.now() - started,
    attempts: attempt,
    record,
  };
}

function parseTag(name: string): { repo: string; tag: string } {
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return { repo: name.slice(0, colon), tag: name.slice(colon + 1) };
  return { repo: name, tag: 'latest' };
}

async function pullOnce(
  docker: Docker,
  image: string,
  registry: string,
  credentials: Awaited<ReturnType<typeof registryCredentials>>,
  timeoutSeconds: number,
  opts: PullOptions,
): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutSeconds * 1000);
  const onOuterAbort = () => abort.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const classify = (detail: string, cause?: unknown) =>
    classifyPullError(image, registry, detail, { hasCredentials: credentials !== undefined }, cause);
  const timedOut = () => abort.signal.aborted && !opts.signal?.aborted;
  try {
    let stream: NodeJS.ReadableStream;
    try {
      // Credentials go as the X-Registry-Auth header (the fourth argument), never in the query string.
      stream = (await (
        docker.pull as (ref: string, o: object, cb: undefined, auth?: object) => Promise<NodeJS.ReadableStream>
      )(image, { abortSignal: abort.signal }, undefined, credentials)) as NodeJS.ReadableStream;
    } catch (err) {
      if (timedOut()) throw pullTimeoutError(image, registry, timeoutSeconds);
      if (opts.signal?.aborted) throw err;
      throw classify(engineMessage(err), err);
    }
    abort.signal.addEventListener('abort', () => (stream as unknown as { destroy(): void }).destroy(), { once: true });
    const layers = new Map<string, LayerProgress>();
    let failure: string | undefined;
    try {
      for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
        if (line.trim() === '') continue;
        const parsed = eventSchema.safeParse(safeJson(line));
        if (!parsed.success) continue;
        const event = parsed.data;
        if (event.error) {
          failure = event.errorDetail?.message ?? event.error;
          continue;
        }
        if (event.id && event.status && !/^Pulling from|^Digest:|^Status:/.test(event.status)) {
          const previous = layers.get(event.id);
          const downloading = event.status === 'Downloading';
          layers.set(event.id, {
            id: event.id,
            status: event.status,
            current: downloading ? (event.progressDetail?.current ?? 0) : (previous?.current ?? 0),
            total: downloading ? (event.progressDetail?.total ?? previous?.total ?? 0) : (previous?.total ?? 0),
          });
          opts.onProgress?.(summarise(image, layers));
        }
      }
    } catch (err) {
      if (timedOut()) throw pullTimeoutError(image, registry, timeoutSeconds);
      if (opts.signal?.aborted) throw err;
      throw classify(engineMessage(err), err);
    }
    if (timedOut()) throw pullTimeoutError(image, registry, timeoutSeconds);
    if (failure !== undefined) throw classify(failure);
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

function summarise(image: string, layers: Map<string, LayerProgress>): PullProgress {
  const list = [...layers.values()];
  let downloadedBytes = 0;
  let totalBytes = 0;
  for (const l of list) {
    totalBytes += l.total;
    downloadedBytes += DONE_STATUSES.has(l.status) ? l.total : l.current;
  }
  return {
    image,
    layers: list,
    layersDone: list.filter((l) => DONE_STATUSES.has(l.status)).length,
    downloadedBytes,
    totalBytes,
  };
}

/** The engine's own words: dockerode puts them in `json.message` (or the raw body) of an HTTP error. */
function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string } | string; message?: string; statusCode?: number };
  const fromJson = typeof e.json === 'string' ? e.json : e.json?.message;
  // dockerode prefixes "(HTTP code 500) server error - "; the engine's sentence follows.
  return (fromJson ?? e.message ?? String(err)).replace(/^\(HTTP code \d+\) [^-]*- /, '');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
