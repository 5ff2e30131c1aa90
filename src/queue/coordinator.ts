import { Queue } from 'bullmq';
import { hostname } from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { HotmessError, InputError, InternalError } from '../errors.ts';
import type { Instance } from '../instances/schema.ts';
import { ModelError } from '../models/errors.ts';
import { formatModelSpec, parseModelOptions, parseModelSpec } from '../models/spec.ts';
import { newProgress, recordDone, type ProgressState } from '../run/progress.ts';
import { RunBudget } from '../run/run-budget.ts';
import { groupedByTask, planUnrolls, type PlannedUnroll } from '../run/seeds.ts';
import {
  persist,
  writeExpected,
  type SweepConfig,
  type SweepHooks,
  type SweepRequest,
  type SweepResult,
} from '../run/sweep.ts';
import { planResume } from '../store/resume.ts';
import { createRunDir, unrollKey, type RunDir } from '../store/run-dir.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';
import { BlobStore } from './blobs.ts';
import { connectRedis, redisOptions, type QueueAddress } from './connection.ts';
import { readJobFailure, unrollResultSchema, type UnrollConfig, type UnrollJob } from './job.ts';
import { jobId, parseJobId, queueName, runKey } from './names.ts';
import { packTask } from './task-pack.ts';

export interface QueuedRunRequest {
  address: QueueAddress;
  instances: Instance[];
  config: SweepConfig;
  run: SweepRequest['run'];
  hooks?: SweepHooks;
  signal?: AbortSignal;
  /** How often the coordinator collects results (ms). */
  pollMs?: number;
  /** Tries of a job whose worker failed it for an infrastructure reason (its engine went away). */
  jobAttempts?: number;
  /**
   * --max-run-cost: counted as results arrive. Once crossed, the jobs not yet started leave the queue, those
   * running finish and are written, and the run stops with RunCostLimitError (exit 7) unless it was complete.
   */
  maxRunCostUsd?: number;
}

/** Looks for jobs lost with a Redis restart that kept no data every this many polls. */
const MISSING_CHECK_EVERY = 10;

/**
 * A run whose unrolls are done by queue workers: one job per unroll left to run, enqueued under an id naming
 * its run and (task, unroll), so that enqueuing twice is a no-op. This process stays the run directory's only
 * writer: it collects each finished job, writes its record and artifacts exactly once, and removes the job.
 * Killed, it loses nothing: jobs go on meanwhile, and --resume collects them and enqueues what is missing.
 */
export async function runQueued(req: QueuedRunRequest): Promise<SweepResult> {
  const spec = parseModelSpec(req.config.model);
  parseModelOptions(spec, req.config.modelOptions);
  const runDir =
    req.run.kind === 'resume'
      ? req.run.dir
      : await createRunDir({
          ...(req.run.root ? { root: req.run.root } : {}),
          ...(req.run.runId ? { runId: req.run.runId } : {}),
          config: { ...req.config },
          seeds: { base: req.config.seed },
          versions: { queue: req.address.text, docker: "each queue worker's own engine" },
        });
  const log = pino(
    { level: 'info', base: { run: runDir.runId } },
    pino.destination({ dest: path.join(runDir.dir, 'hotmess.log'), sync: false, mkdir: true }),
  );
  try {
    return await new Coordinator(req, runDir, log, formatModelSpec(spec)).run(spec.provider === 'sim');
  } catch (err) {
    log.error({ err }, 'the run stopped');
    if (err instanceof HotmessError) throw err;
    throw new InternalError(
      `This is a bug in hotmess (${err instanceof Error ? err.message : String(err)}): the run stopped, its finished unrolls are kept in ${runDir.dir} for hotmess run --resume ${runDir.dir} --queue ${req.address.text}.`,
      err,
    );
  } finally {
    await runDir.close();
    await new Promise<void>((resolve) => log.flush(() => resolve()));
  }
}

class Coordinator {
  private readonly redis;
  private readonly blobs;
  private readonly queue;
  private readonly outstanding = new Map<string, PlannedUnroll>();
  private readonly recorded = new Map<string, UnrollRecord>();
  private readonly skipped: { instance_id: string; reason: string }[] = [];
  private readonly tasks = new Map<string, string>();
  /** The id of each outstanding unroll's job. */
  private readonly jobIds = new Map<string, string>();
  private configSha = '';
  private state: ProgressState = newProgress(0);
  private budget: RunBudget | undefined;

  constructor(
    private readonly req: QueuedRunRequest,
    private readonly runDir: RunDir,
    private readonly log: Logger,
    private readonly modelName: string,
  ) {
    this.redis = connectRedis(req.address);
    this.blobs = new BlobStore(this.redis);
    this.queue = new Queue(queueName, { connection: redisOptions(req.address) });
    this.queue.on('error', (err) => log.warn({ err: err.message }, 'queue connection'));
  }

  private note(text: string): void {
    this.req.hooks?.onNote?.(text);
  }

  async run(simulated: boolean): Promise<SweepResult> {
    const { req } = this;
    const { config } = req;
    try {
      const existing = await this.runDir.readUnrolls();
      for (const warning of existing.warnings) this.note(`warning: ${warning}`);
      const plan = planUnrolls(config.instanceIds, config.unrolls, config.seed);
      const resume = planResume(plan, existing.records, { retryInfraErrors: true });
      for (const r of existing.records) this.recorded.set(unrollKey(r.instance_id, r.unroll), r);
      this.state = newProgress(
        plan.length,
        resume.done.flatMap((p) => this.recorded.get(unrollKey(p.instance_id, p.unroll)) ?? []),
      );
      if (resume.done.length > 0)
        this.note(
          `resuming ${this.runDir.runId}: ${resume.done.length} unrolls already done, ${resume.remaining.length} to run`,
        );
      if (req.maxRunCostUsd !== undefined) {
        const spent = existing.records.reduce((sum, r) => sum + r.cost_usd, 0);
        this.budget = new RunBudget(req.maxRunCostUsd, spent);
        if (this.budget.exceeded && resume.remaining.length > 0)
          throw this.budget.stop(this.state.done, this.runDir.dir, ` --queue ${req.address.text}`);
      }
      if (existing.records.length > 0) await this.runDir.reconcilePredictions(existing.records);
      if (simulated) await writeExpected(this.runDir, this.req.instances, config, (t) => this.note(t));
      // Task by task, as the in-process run starts them once images are ready: a worker's slots then tend to run
      // unrolls of one task, one image pulled or built for them, and the two schedules match.
      for (const p of groupedByTask(resume.remaining)) this.outstanding.set(unrollKey(p.instance_id, p.unroll), p);
      this.log.info({ planned: plan.length, done: resume.done.length, queue: this.req.address.text }, 'queued run');
      await this.upload();
      await this.enqueue([...this.outstanding.values()]);
      this.req.hooks?.onProgress?.(this.state);
      await this.collectUntilDone();
      // The limit reached by the run's very last unroll stops nothing.
      if (this.budget?.exceeded && this.state.done < this.state.total)
        throw this.budget.stop(this.state.done, this.runDir.dir, ` --queue ${req.address.text}`);
      this.log.info({ done: this.state.done, total: this.state.total }, 'queued run finished');
      return { runDir: this.runDir, state: this.state, skipped: this.skipped };
    } finally {
      await this.redis.del(runKey(this.runDir.runId)).catch(() => undefined);
      await this.queue.close();
      this.redis.disconnect();
    }
  }

  /** The run's config and every task with unrolls left, each file stored once under its hash. */
  private async upload(): Promise<void> {
    const { config } = this.req;
    const unrollConfig: UnrollConfig = {
      format: 'hotmess.unroll-config/1',
      runId: this.runDir.runId,
      model: config.model,
      modelOptions: config.modelOptions,
      limits: config.limits,
      testTimeoutMs: config.testTimeoutMs,
      infraRetries: config.infraRetries,
      execMode: config.execMode,
      ...(config.images ? { images: config.images } : {}),
    };
    this.configSha = await this.blobs.put(JSON.stringify(unrollConfig));
    const ids = new Set([...this.outstanding.values()].map((p) => p.instance_id));
    for (const instance of this.req.instances) {
      if (!ids.has(instance.instance_id)) continue;
      const { task, blobs } = await packTask(instance);
      for (const [sha, data] of blobs) if (!(await this.blobs.has(sha))) await this.blobs.put(data);
      this.tasks.set(instance.instance_id, await this.blobs.put(JSON.stringify(task)));
    }
  }

  private async enqueue(unrolls: PlannedUnroll[], generation?: string): Promise<void> {
    const jobs = unrolls.map((p) => {
      const id = jobId(this.runDir.runId, p.instance_id, p.unroll, generation);
      this.jobIds.set(unrollKey(p.instance_id, p.unroll), id);
      const data: UnrollJob = {
        runId: this.runDir.runId,
        instanceId: p.instance_id,
        unroll: p.unroll,
        seed: p.seed,
        task: this.tasks.get(p.instance_id) as string,
        config: this.configSha,
      };
      return {
        name: 'unroll',
        data,
        opts: {
          jobId: id,
          attempts: this.req.jobAttempts ?? 3,
          backoff: { type: 'exponential', delay: 5000 },
        },
      };
    });
    for (let i = 0; i < jobs.length; i += 500) await this.queue.addBulk(jobs.slice(i, i + 500));
  }

  private async collectUntilDone(): Promise<void> {
    const pollMs = this.req.pollMs ?? 500;
    for (let tick = 1; this.outstanding.size > 0; tick += 1) {
      await sleep(pollMs, this.req.signal);
      // Interrupted: the jobs stay queued and go on; --resume collects them.
      if (this.req.signal?.aborted) return;
      await this.collect();
      const active = await this.ofRun(['active']);
      this.state.running = active.length;
      this.req.hooks?.onProgress?.(this.state);
      await this.redis.set(
        runKey(this.runDir.runId),
        JSON.stringify({
          total: this.state.total,
          done: this.state.done,
          infraErrors: this.state.infraErrors,
          coordinator: `${hostname()}:${process.pid}`,
        }),
        'PX',
        30_000,
      );
      if (tick % MISSING_CHECK_EVERY === 0) await this.requeueMissing();
    }
  }

  /** This run's job ids in the given states. */
  private async ofRun(states: Parameters<Queue['getRanges']>[0]): Promise<string[]> {
    const prefix = `${this.runDir.runId}|`;
    return (await this.queue.getRanges(states, 0, -1)).filter((id) => id.startsWith(prefix));
  }

  /** Every finished job of the run: its result written (once), then the job removed. */
  private async collect(): Promise<void> {
    for (const state of ['completed', 'failed'] as const) {
      for (const id of await this.ofRun([state])) {
        const job = await this.queue.getJob(id);
        const parsed = parseJobId(id);
        if (!job || !parsed) continue;
        const key = unrollKey(parsed.instanceId, parsed.unroll);
        const planned = this.outstanding.get(key);
        if (planned) {
          if (state === 'completed') await this.completed(planned, job.returnvalue);
          else await this.failed(planned, job.failedReason, job.attemptsMade);
          this.outstanding.delete(key);
        }
        await job.remove();
      }
    }
  }

  private async completed(planned: PlannedUnroll, value: unknown): Promise<void> {
    const result = unrollResultSchema.parse(value);
    if (result.kind === 'unavailable') {
      // As in-process: the task's unroll is not run, and not counted; --resume tries again.
      this.state.total -= 1;
      if (!this.skipped.some((s) => s.instance_id === planned.instance_id)) {
        this.skipped.push({ instance_id: planned.instance_id, reason: result.reason });
        this.note(
          `not running ${planned.instance_id} on ${result.worker} (its image is unavailable; not the agent's failure): ${result.reason}`,
        );
      }
      return;
    }
    await this.write(planned, {
      record: result.record,
      trajectory: result.trajectory ?? undefined,
      gradingLog: result.gradingLog,
    });
    this.log.info({ instance: planned.instance_id, unroll: planned.unroll, worker: result.worker }, 'unroll collected');
  }

  private async failed(planned: PlannedUnroll, reason: string | undefined, attempts: number): Promise<void> {
    const failure = readJobFailure(reason);
    const kept = `The run stopped; its finished unrolls are kept in ${this.runDir.dir}: fix this and resume with hotmess run --resume ${this.runDir.dir} --queue ${this.req.address.text}.`;
    if (failure) {
      await this.drop();
      if (failure.hotmess === 'model_fatal')
        throw new ModelError(`${failure.message} ${kept}`, {
          retryable: false,
          fatal: true,
          ...(failure.status === undefined ? {} : { status: failure.status }),
        });
      if (failure.hotmess === 'input')
        throw new InputError(`A queue worker cannot run this run's unrolls: ${failure.message} ${kept}`);
      throw new InternalError(`A queue worker met a bug in hotmess (${failure.message}). ${kept}`, undefined);
    }
    // Lost workers or engines, more often than the job may be tried: the infrastructure's failure, recorded apart.
    const now = new Date().toISOString();
    const record: UnrollRecord = {
      run_id: this.runDir.runId,
      instance_id: planned.instance_id,
      unroll: planned.unroll,
      seed: planned.seed,
      model: this.modelName,
      stop_reason: 'sandbox_error',
      grading_status: 'error',
      tests: [],
      resolution: 'NO',
      infra_error: `queue: the job failed ${attempts} time(s): ${reason ?? 'no reason given'}`,
      actions: 0,
      turns: 0,
      messages: 0,
      input_tokens: 0,
      output_tokens: 0,
      reasoning_tokens: 0,
      cost_usd: 0,
      wall_ms: 0,
      attempts: Math.max(1, attempts),
      patch_bytes: 0,
      started_at: now,
      finished_at: now,
    };
    await this.write(planned, { record, trajectory: undefined, gradingLog: '' });
  }

  private async write(
    planned: PlannedUnroll,
    outcome: { record: UnrollRecord; trajectory: { patch: string } | undefined; gradingLog: string },
  ): Promise<void> {
    const key = unrollKey(planned.instance_id, planned.unroll);
    await persist(this.runDir, planned, outcome, this.modelName, this.recorded.get(key));
    this.recorded.set(key, outcome.record);
    recordDone(this.state, outcome.record);
    this.req.hooks?.onUnroll?.(outcome.record);
    if (this.budget?.add(outcome.record.cost_usd)) await this.startNoMore();
  }

  /** The run's cost limit was reached: its jobs not yet started leave the queue; those running are awaited. */
  private async startNoMore(): Promise<void> {
    this.note(
      `the run's cost limit of $${this.budget?.maxUsd} is reached: no more unrolls start, the running ones finish`,
    );
    await this.drop();
    for (const key of this.outstanding.keys()) {
      const state = await this.queue.getJobState(this.jobIds.get(key) ?? '');
      if (state !== 'active' && state !== 'completed' && state !== 'failed') this.outstanding.delete(key);
    }
    this.log.info({ running: this.outstanding.size }, 'run cost limit reached');
  }

  /** A run that stops takes its jobs not yet started off the queue (those running finish, for --resume). */
  private async drop(): Promise<void> {
    for (const id of await this.ofRun(['waiting', 'delayed', 'prioritized'])) await this.queue.remove(id);
  }

  /** Jobs of unrolls not yet recorded that the queue no longer holds (Redis restarted empty): enqueued again. */
  private async requeueMissing(): Promise<void> {
    const outstanding = [...this.outstanding.values()];
    const states = await Promise.all(
      outstanding.map((p) => this.queue.getJobState(this.jobIds.get(unrollKey(p.instance_id, p.unroll)) ?? '')),
    );
    const missing = outstanding.filter((_, i) => states[i] === 'unknown');
    if (missing.length === 0) return;
    this.note(`the queue lost ${missing.length} jobs of this run (Redis restarted empty?): enqueuing them again`);
    this.log.warn({ missing: missing.length }, 'jobs enqueued again');
    await this.upload();
    await this.enqueue(missing, Date.now().toString(36));
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
