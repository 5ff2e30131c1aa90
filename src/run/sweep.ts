import type Docker from 'dockerode';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import PQueue from 'p-queue';
import pino, { type Logger } from 'pino';
import type { AgentObserver } from '../agent/agent.ts';
import { actionCapacity, type AgentLimits } from '../agent/limits.ts';
import { loadPromptTemplates } from '../agent/prompts.ts';
import { engineAddress, engineAnswers } from '../docker/engine.ts';
import { DockerUnavailableError, HotmessError, InternalError, errorMessage } from '../errors.ts';
import type { InstanceImage } from '../images/instance-image.ts';
import type { PullProgress } from '../images/pull.ts';
import type { Instance } from '../instances/schema.ts';
import { createModel } from '../models/create.ts';
import { ModelError, isRunFatal } from '../models/errors.ts';
import { closeSharedSimServers, simShiftOf } from '../models/sim.ts';
import type { ModelOptionsInput } from '../models/spec.ts';
import { reapContainers } from '../sandbox/reaper.ts';
import type { SandboxProvider } from '../sandbox/types.ts';
import { expectSpec } from '../sim/expected.ts';
import { simSpecFor } from '../sim/default-spec.ts';
import { shiftDrift } from '../sim/shift.ts';
import { planResume } from '../store/resume.ts';
import { createRunDir, unrollKey, type RunDir } from '../store/run-dir.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';
import { newProgress, recordDone, type ProgressState } from './progress.ts';
import { planUnrolls, type PlannedUnroll } from './seeds.ts';
import { dockerGradeFn } from './grade-fn.ts';
import { ImageSupply, imageSupplyOptions } from './image-supply.ts';
import type { RunImageOptions } from '../images/source-options.ts';
import { cachedGrades } from './grade-cache.ts';
import { RunBudget, bothObservers } from './run-budget.ts';
import { runUnroll } from './unroll.ts';
import { runVersions } from './versions.ts';

export interface SweepConfig {
  /** Where the instances came from (recorded in run.json so a resume can reload them). */
  instancesSource: string;
  /** `--dataset`, when the instances came from a well-known set: a resume finds its files in the cache again. */
  dataset?: string;
  instanceIds: string[];
  model: string;
  modelOptions: ModelOptionsInput;
  unrolls: number;
  seed: number;
  limits: AgentLimits;
  testTimeoutMs: number;
  infraRetries: number;
  execMode: 'persistent' | 'exec';
  /** Grade each distinct patch of a task once (see grade-cache.ts); off unless asked for. */
  gradeCache?: boolean;
  /** Where missing images are pulled from, and the disk budget for hotmess's own pulls. */
  images?: RunImageOptions;
  /** A prompt variant: a directory holding system.md and instance.md (default harness/prompts). */
  promptsDir?: string;
}

export interface SweepHooks {
  onNote?(text: string): void;
  /** Per-layer progress of the pulls in flight (a terminal shows it; the log gets a line now and then). */
  onPullProgress?(progress: PullProgress): void;
  onProgress?(state: ProgressState): void;
  onUnroll?(record: UnrollRecord): void;
}

export interface SweepRequest {
  /** The engine's image store (task images are found or built there) and its liveness. */
  docker: Docker;
  /** Every sandbox of the run, the agent's and the grader's, comes from it (built once, by the caller). */
  provider: SandboxProvider;
  instances: Instance[];
  config: SweepConfig;
  concurrency: number;
  /** A new run (created under `root`, with `runId` if given) or a run being resumed. */
  run: { kind: 'new'; root?: string; runId?: string } | { kind: 'resume'; dir: RunDir };
  hooks?: SweepHooks;
  signal?: AbortSignal;
  retryDelayMs?: number;
  /** Sees every turn and action of every unroll (run-one prints them live). */
  observer?: AgentObserver;
  /** `--max-run-cost`: dollars the whole run may spend (earlier sessions' unrolls count); not recorded in run.json. */
  maxRunCostUsd?: number;
}

export interface SweepResult {
  runDir: RunDir;
  state: ProgressState;
  /** Instances whose image could not be pulled or built: none of their unrolls ran (an infrastructure reason). */
  skipped: { instance_id: string; reason: string }[];
}

/**
 * The main job: R unrolls of every task, C at a time, each finished unroll appended to unrolls.jsonl at
 * once (so a killed run loses only what was in flight), and a resumed run never repeating a finished one.
 */
export async function runSweep(req: SweepRequest): Promise<SweepResult> {
  const { docker, config } = req;
  const note = (text: string) => req.hooks?.onNote?.(text);
  // A bad model spec, option or missing API key fails here, before any image is built or run directory made.
  await createModel(config.model, {
    log: pino({ level: 'silent' }),
    instances: req.instances,
    options: config.modelOptions,
  });
  await reapContainers(docker);
  const runDir =
    req.run.kind === 'resume'
      ? req.run.dir
      : await createRunDir({
          ...(req.run.root ? { root: req.run.root } : {}),
          ...(req.run.runId ? { runId: req.run.runId } : {}),
          config: { ...config },
          seeds: { base: config.seed },
          versions: await runVersions(docker),
        });
  const log = pino(
    { level: 'info', base: { run: runDir.runId } },
    pino.destination({ dest: path.join(runDir.dir, 'hotmess.log'), sync: false, mkdir: true }),
  );
  try {
    return await sweepInRun(req, runDir, log, note);
  } catch (err) {
    log.error({ err }, 'the run stopped');
    if (err instanceof HotmessError) throw err;
    throw new InternalError(
      `This is a bug in hotmess (${bugName(err)}): the run stopped, its finished unrolls are kept in ${runDir.dir} for hotmess run --resume ${runDir.dir}, and the stack trace is in ${path.join(runDir.dir, 'hotmess.log')}.`,
      err,
    );
  } finally {
    await closeSharedSimServers();
    await runDir.close();
    await new Promise<void>((resolve) => log.flush(() => resolve()));
  }
}

async function sweepInRun(
  req: SweepRequest,
  runDir: RunDir,
  log: Logger,
  note: (text: string) => void,
): Promise<SweepResult> {
  const { docker, config } = req;
  const existing = await runDir.readUnrolls();
  for (const warning of existing.warnings) note(`warning: ${warning}`);
  const plan = planUnrolls(config.instanceIds, config.unrolls, config.seed);
  const resume = planResume(plan, existing.records, { retryInfraErrors: true });
  const recorded = new Map(existing.records.map((r) => [unrollKey(r.instance_id, r.unroll), r]));
  const earlier = (p: PlannedUnroll) => recorded.get(unrollKey(p.instance_id, p.unroll));
  // The whole run's progress: what earlier sessions finished counts too.
  const state = newProgress(
    plan.length,
    resume.done.map(earlier).filter((r) => r !== undefined),
  );
  if (resume.done.length > 0)
    note(`resuming ${runDir.runId}: ${resume.done.length} unrolls already done, ${resume.remaining.length} to run`);
  if (existing.records.length > 0) {
    const fixed = await runDir.reconcilePredictions(existing.records);
    if (fixed.removed + fixed.added > 0)
      note(
        `predictions.jsonl: ${fixed.removed} line(s) without a finished unroll removed, ${fixed.added} restored from patches/`,
      );
  }
  log.info({ config, planned: plan.length, done: resume.done.length }, 'sweep starting');
  const budget =
    req.maxRunCostUsd === undefined
      ? undefined
      : new RunBudget(
          req.maxRunCostUsd,
          existing.records.reduce((sum, r) => sum + r.cost_usd, 0),
        );
  if (budget?.exceeded && resume.remaining.length > 0) throw budget.stop(state.done, runDir.dir);

  const byId = new Map(req.instances.map((i) => [i.instance_id, i]));
  const model = await createModel(config.model, { log, instances: req.instances, options: config.modelOptions });
  if (model.simulated) await writeExpected(runDir, req.instances, config, note);

  // Aborted by the caller (a signal) or by a failure that dooms the rest of the run (the first one wins).
  const stop = new AbortController();
  const signal = req.signal ? AbortSignal.any([req.signal, stop.signal]) : stop.signal;
  let fatal: unknown;
  const fail = (err: unknown): void => {
    fatal ??= err;
    stop.abort();
  };
  const spent = Symbol('run cost limit');
  const observer = bothObservers(
    req.observer,
    budget?.observer(() => fail(spent)),
  );
  const supply = new ImageSupply({
    docker,
    instances: req.instances,
    unrolls: resume.remaining,
    ...imageSupplyOptions(config.images),
    runDir: runDir.dir,
    log,
    note,
    ...(req.hooks?.onPullProgress ? { onPullProgress: req.hooks.onPullProgress } : {}),
    signal,
  });
  supply.start();
  const images = supply.images;
  const grading = { docker, provider: req.provider };
  const cache = config.gradeCache
    ? cachedGrades(dockerGradeFn(grading, runDir.runId, config.testTimeoutMs))
    : undefined;
  const context = {
    runId: runDir.runId,
    provider: req.provider,
    model,
    templates: await loadPromptTemplates(config.promptsDir),
    limits: config.limits,
    grade: cache ?? dockerGradeFn(grading, runDir.runId, config.testTimeoutMs),
    log,
    infraRetries: config.infraRetries,
    retryDelayMs: req.retryDelayMs ?? 2000,
    execMode: config.execMode,
    ...(observer ? { observer } : {}),
    signal,
  };
  const queue = new PQueue({ concurrency: Math.max(1, req.concurrency) });
  req.hooks?.onProgress?.(state);
  // Unrolls join the queue as their task's image becomes ready, so that no slot waits for a pull; a task whose
  // image cannot be had is not run (and not counted).
  const todo: PlannedUnroll[] = [];
  const unavailable = (count: number) => {
    state.total -= count;
    req.hooks?.onProgress?.(state);
  };
  for await (const planned of supply.readyUnrolls(unavailable)) {
    todo.push(planned);
    void queue.add(async () => {
      if (signal.aborted) return;
      state.running += 1;
      req.hooks?.onProgress?.(state);
      let recorded = false;
      try {
        const outcome = await runUnroll(
          context,
          byId.get(planned.instance_id) as Instance,
          images.get(planned.instance_id) as InstanceImage,
          planned,
        );
        // An engine that went away fails every unroll left: stop, keep what finished, and leave the rest to --resume
        // rather than filling unrolls.jsonl with infrastructure failures.
        // An unroll cut short by the run stopping is not the infrastructure's failure: --resume runs it again.
        if (outcome.record.infra_error !== null && signal.aborted) return;
        if (outcome.record.infra_error !== null && !(await engineAnswers(docker))) {
          fail(
            new DockerUnavailableError(
              `The Docker engine at ${engineAddress()} stopped answering during the run; the ${state.done} finished unrolls are kept in ${runDir.dir}: start the engine and resume with hotmess run --resume ${runDir.dir}.`,
            ),
          );
          return;
        }
        await persist(runDir, planned, outcome, model.name, earlier(planned));
        recordDone(state, outcome.record);
        recorded = true;
        await supply.unrollFinished(planned.instance_id);
        log.info(
          {
            instance: planned.instance_id,
            unroll: planned.unroll,
            stop: outcome.record.stop_reason,
            resolution: outcome.record.resolution,
            actions: outcome.record.actions,
            infra: outcome.record.infra_error,
          },
          'unroll finished',
        );
        req.hooks?.onUnroll?.(outcome.record);
      } catch (err) {
        fail(err);
      } finally {
        if (!recorded) state.running = Math.max(0, state.running - 1);
        // Reported once the queue has started the next unroll, so that `running` counts it.
        setImmediate(() => req.hooks?.onProgress?.(state));
      }
    });
  }
  await queue.onIdle();
  await new Promise((resolve) => setImmediate(resolve));
  await supply.finish();
  // The limit reached by the very last turn of the run stops nothing.
  if (fatal === spent) {
    if (budget && state.done < state.total) throw budget.stop(state.done, runDir.dir);
  } else if (fatal !== undefined) {
    if (isRunFatal(fatal)) {
      const kept = `The run stopped; the ${state.done} finished unrolls are kept in ${runDir.dir}: fix this and resume with hotmess run --resume ${runDir.dir}.`;
      throw new ModelError(`${fatal.message} ${kept}`, {
        retryable: false,
        fatal: true,
        ...(fatal.status === undefined ? {} : { status: fatal.status }),
        cause: fatal,
      });
    }
    throw fatal;
  }
  if (cache) note(`--grade-cache: ${cache.graded()} distinct patches graded for ${todo.length} unrolls`);
  log.info(
    { done: state.done, total: state.total, resolved: state.resolved, infraErrors: state.infraErrors },
    'sweep finished',
  );
  return { runDir, state, skipped: supply.skipped };
}

/** Writes one finished unroll (in-process, or a queue worker's result) to the run directory. */
export async function persist(
  runDir: RunDir,
  planned: PlannedUnroll,
  outcome: { record: UnrollRecord; trajectory: { patch: string } | undefined; gradingLog: string; quit?: true },
  modelName: string,
  failedBefore: UnrollRecord | undefined,
): Promise<void> {
  // Artifacts first, the record last: a record in unrolls.jsonl means the unroll is complete on disk.
  if (outcome.trajectory) {
    await runDir.writeTrajectory(planned.instance_id, planned.unroll, outcome.trajectory);
    await runDir.writePatch(planned.instance_id, planned.unroll, outcome.trajectory.patch);
  }
  if (outcome.quit) return;
  if (outcome.gradingLog) await runDir.writeGradingLog(planned.instance_id, planned.unroll, outcome.gradingLog);
  if (outcome.trajectory && outcome.record.infra_error === null) {
    await runDir.appendPredictions([
      {
        instance_id: planned.instance_id,
        model_name_or_path: modelName,
        model_patch: outcome.trajectory.patch,
        unroll: planned.unroll,
      },
    ]);
  }
  if (failedBefore === undefined) return runDir.appendUnroll(outcome.record);
  // Run again after an infrastructure failure (--resume): its one line says how many attempts, and what spend, it
  // took in all.
  outcome.record.attempts += failedBefore.attempts;
  outcome.record.cost_usd += failedBefore.cost_usd;
  await runDir.replaceUnroll(outcome.record);
}

/** The simulated agent's exact per-task expectations, for calibration against the measured figures. */
export async function writeExpected(
  runDir: RunDir,
  instances: Instance[],
  config: SweepConfig,
  note: (text: string) => void,
): Promise<void> {
  const capacity = actionCapacity(config.limits);
  try {
    const expectations = await Promise.all(
      instances.map(async (i) =>
        expectSpec(shiftDrift(await simSpecFor(i, config.modelOptions.simDefault), simShiftOf(config.modelOptions)), {
          actionLimit: capacity,
        }),
      ),
    );
    await writeFile(
      path.join(runDir.dir, 'expected.json'),
      `${JSON.stringify({ format: 'hotmess.expected/1', actionLimit: capacity, tasks: expectations }, null, 1)}\n`,
    );
  } catch (err) {
    note(`warning: could not compute the simulated agent's expected figures: ${errorMessage(err)}`);
  }
}

/** `TypeError: x is not a function`, in one line. */
function bugName(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.split('\n')[0] ?? text;
}
