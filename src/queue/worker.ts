import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { loadPromptTemplates } from '../agent/prompts.ts';
import { engineAddress, engineAnswers } from '../docker/engine.ts';
import { DockerUnavailableError, HotmessError, errorMessage } from '../errors.ts';
import { ensureInstanceImage } from '../images/instance-image.ts';
import { isInfrastructureFailure } from '../infra-failure.ts';
import type { Instance } from '../instances/schema.ts';
import { createModel } from '../models/create.ts';
import { isRunFatal } from '../models/errors.ts';
import { parseModelOptions, parseModelSpec } from '../models/spec.ts';
import type { Model } from '../models/types.ts';
import { dockerGradeFn } from '../run/grade-fn.ts';
import { imageSupplyOptions } from '../run/image-supply.ts';
import { runUnroll } from '../run/unroll.ts';
import type { SandboxProvider } from '../sandbox/types.ts';
import { BlobStore } from './blobs.ts';
import { connectRedis, redisOptions, type QueueAddress } from './connection.ts';
import { unrollConfigSchema, unrollJobSchema, type JobFailure, type UnrollConfig, type UnrollResult } from './job.ts';
import { queueName } from './names.ts';
import { announce, PRESENCE_BEAT_MS, withdraw } from './presence.ts';
import { rateLimited, SharedRateLimiter, type Rate } from './rate-limit.ts';
import { portableTaskSchema, unpackTask } from './task-pack.ts';

export interface QueueWorkerOptions {
  address: QueueAddress;
  /** Unrolls at once on this machine. */
  concurrency: number;
  /** This machine's engine: images are pulled or built there, and every sandbox comes from `provider`. */
  docker: Docker;
  provider: SandboxProvider;
  /** Where tasks' files are unpacked. */
  cacheDir: string;
  log: Logger;
  /** Model requests per provider, shared by every worker of the queue. */
  rate?: Rate;
  /** A job whose worker stops renewing its lock this long is handed to another worker. */
  lockMs?: number;
  retryDelayMs?: number;
}

export interface QueueWorker {
  readonly id: string;
  /** Settles when the worker stops: rejected when its engine stopped answering. */
  readonly stopped: Promise<void>;
  close(): Promise<void>;
}

/**
 * A worker: takes unroll jobs from the queue, runs each on this machine's engine with this machine's API keys
 * (from its environment: keys never travel through Redis), and returns the record and artifacts to the
 * coordinator through the job's result. A job is held under a lock renewed while it runs; a worker that dies
 * stops renewing it, and the job goes to another worker once the lock expires.
 */
export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  const id = `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
  const redis = connectRedis(opts.address);
  const blobs = new BlobStore(redis);
  const templates = await loadPromptTemplates();
  const configs = new Memo(async (sha: string) =>
    unrollConfigSchema.parse(JSON.parse((await blobs.get(sha)).toString())),
  );
  const tasks = new Memo(async (sha: string) =>
    unpackTask(
      portableTaskSchema.parse(JSON.parse((await blobs.get(sha)).toString())),
      path.join(opts.cacheDir, sha),
      (file) => blobs.get(file),
    ),
  );
  const current = new Set<string>();
  const startedAt = new Date().toISOString();
  const beat = () =>
    announce(redis, {
      id,
      host: hostname(),
      pid: process.pid,
      concurrency: opts.concurrency,
      engine: engineAddress(),
      jobs: [...current],
      startedAt,
      beatAt: new Date().toISOString(),
    }).catch(() => undefined);
  let engineLost: (err: Error) => void = () => undefined;
  const stopped = new Promise<void>((_, reject) => (engineLost = reject));
  const lockMs = opts.lockMs ?? 30_000;

  const worker = new Worker(
    queueName,
    async (job: Job): Promise<UnrollResult> => {
      current.add(job.id ?? '');
      void beat();
      try {
        return await runJob(job);
      } catch (err) {
        throw jobError(err);
      } finally {
        current.delete(job.id ?? '');
        void beat();
      }
    },
    {
      connection: redisOptions(opts.address),
      concurrency: opts.concurrency,
      name: id,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: 3,
      autorun: false,
    },
  );
  worker.on('error', (err) => opts.log.warn({ err: errorMessage(err) }, 'queue connection'));
  worker.on('failed', (job, err) => opts.log.warn({ job: job?.id, err: err.message }, 'job failed'));

  async function runJob(job: Job): Promise<UnrollResult> {
    const data = unrollJobSchema.parse(job.data);
    const [config, instance] = await Promise.all([configs.get(data.config), tasks.get(data.task)]);
    const log = opts.log.child({ run: data.runId, instance: data.instanceId, unroll: data.unroll });
    let image;
    try {
      image = await ensureInstanceImage(opts.docker, instance, (line) => log.info(line), {
        source: imageSupplyOptions(config.images).source,
      });
    } catch (err) {
      if (!(err instanceof HotmessError || isInfrastructureFailure(err))) throw err;
      await checkEngine();
      return { kind: 'unavailable', reason: errorMessage(err).split('\n')[0] ?? 'image unavailable', worker: id };
    }
    const model = await modelFor(config, instance, log);
    const outcome = await runUnroll(
      {
        runId: data.runId,
        provider: opts.provider,
        model,
        templates,
        limits: config.limits,
        grade: dockerGradeFn({ docker: opts.docker, provider: opts.provider }, data.runId, config.testTimeoutMs),
        log,
        infraRetries: config.infraRetries,
        retryDelayMs: opts.retryDelayMs ?? 2000,
        execMode: config.execMode,
      },
      instance,
      image,
      { instance_id: data.instanceId, unroll: data.unroll, seed: data.seed },
    );
    // An engine that went away would fail every job this worker takes: the job goes back, the worker stops.
    if (outcome.record.infra_error !== null) await checkEngine();
    log.info({ stop: outcome.record.stop_reason, resolution: outcome.record.resolution }, 'unroll finished');
    return {
      kind: 'unroll',
      record: outcome.record,
      trajectory: outcome.trajectory ? { ...outcome.trajectory } : null,
      gradingLog: outcome.gradingLog,
      worker: id,
    };
  }

  async function checkEngine(): Promise<void> {
    if (await engineAnswers(opts.docker)) return;
    const err = new DockerUnavailableError(
      `The Docker engine at ${engineAddress()} stopped answering: worker ${id} stops, and its jobs go to other workers.`,
    );
    engineLost(err);
    void worker.close(true);
    throw err;
  }

  async function modelFor(config: UnrollConfig, instance: Instance, log: Logger): Promise<Model> {
    const model = await createModel(config.model, { log, instances: [instance], options: config.modelOptions });
    if (!opts.rate) return model;
    const spec = parseModelSpec(config.model);
    const options = parseModelOptions(spec, config.modelOptions);
    const provider = `${spec.provider}|${options.baseUrl ?? (spec.provider === 'openai-compatible' ? spec.baseURL : 'default')}`;
    return rateLimited(model, new SharedRateLimiter(redis, provider, opts.rate));
  }

  await beat();
  const timer = setInterval(() => void beat(), PRESENCE_BEAT_MS);
  const running = worker.run();
  const done = running.then(
    () => undefined,
    (err: unknown) => {
      throw err;
    },
  );
  return {
    id,
    stopped: Promise.race([stopped, done]),
    close: async () => {
      clearInterval(timer);
      await worker.close();
      await withdraw(redis, id).catch(() => undefined);
      redis.disconnect();
    },
  };
}

/**
 * How a job ends when its unroll threw: the infrastructure's failures are tried again (on any worker, with
 * backoff); a model answer no retry changes, a worker that cannot serve the run, and bugs fail it for good,
 * with a reason the coordinator reads.
 */
function jobError(err: unknown): Error {
  if (isRunFatal(err)) return failure({ hotmess: 'model_fatal', message: err.message, ...statusOf(err.status) });
  if (err instanceof HotmessError && !err.infrastructure) return failure({ hotmess: 'input', message: err.message });
  if (isInfrastructureFailure(err)) return err instanceof Error ? err : new Error(errorMessage(err));
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return failure({ hotmess: 'bug', message: text.split('\n')[0] ?? text });
}

function statusOf(status: number | undefined): { status?: number } {
  return status === undefined ? {} : { status };
}

function failure(reason: JobFailure): UnrecoverableError {
  return new UnrecoverableError(JSON.stringify(reason));
}

/** One promise per key: a task or config fetched and unpacked once per worker. */
class Memo<T> {
  private readonly values = new Map<string, Promise<T>>();
  constructor(private readonly make: (key: string) => Promise<T>) {}
  get(key: string): Promise<T> {
    let value = this.values.get(key);
    if (!value) {
      value = this.make(key);
      this.values.set(key, value);
      value.catch(() => this.values.delete(key));
    }
    return value;
  }
}
