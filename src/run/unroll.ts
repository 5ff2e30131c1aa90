import type { Logger } from 'pino';
import { Agent, type AgentObserver } from '../agent/agent.ts';
import type { AgentLimits } from '../agent/limits.ts';
import { renderTemplate, type PromptTemplates } from '../agent/prompts.ts';
import type { Trajectory } from '../agent/trajectory.ts';
import { errorMessage } from '../errors.ts';
import { testFilesToReset, createdPaths } from '../grading/test-patch.ts';
import type { InstanceImage } from '../images/instance-image.ts';
import type { Instance } from '../instances/schema.ts';
import { isInfrastructureFailure } from '../infra-failure.ts';
import { isRunFatal } from '../models/errors.ts';
import type { Model } from '../models/types.ts';
import type { SandboxProvider } from '../sandbox/types.ts';
import { useSandbox } from '../sandbox/use-sandbox.ts';
import {
  infraStopReasons,
  type GradingStatus,
  type Resolution,
  type TestOutcome,
  type UnrollRecord,
} from '../store/unroll-record.ts';
import type { PlannedUnroll } from './seeds.ts';

/** What grading one patch yields; the Docker grader provides it. */
export interface GradeResult {
  gradingStatus: GradingStatus;
  tests: TestOutcome[];
  resolution: Resolution;
  log: string;
  /** The test log was cut to its size cap (results in the cut part are lost: see grading status `unparsed`). */
  logTruncated: boolean;
}

export type GradeFn = (instance: Instance, patch: string, unroll: PlannedUnroll) => Promise<GradeResult>;

export interface UnrollContext {
  runId: string;
  provider: SandboxProvider;
  model: Model;
  templates: PromptTemplates;
  limits: AgentLimits;
  grade: GradeFn;
  log: Logger;
  /** Attempts beyond the first for an infrastructure failure (model_error, sandbox_error, grading error). */
  infraRetries: number;
  /** Base delay of the exponential backoff between such attempts. */
  retryDelayMs: number;
  execMode: 'persistent' | 'exec';
  observer?: AgentObserver;
  signal?: AbortSignal;
}

export interface UnrollOutcome {
  record: UnrollRecord;
  trajectory: Trajectory | undefined;
  gradingLog: string;
  /** A person quit under `run-one --step`: the trajectory and patch are kept, with no record (nothing was graded). */
  quit?: true;
}

/**
 * One unroll: a fresh sandbox, the agent until it stops, the work tree's diff graded in another fresh
 * container, and one self-sufficient record. A failure of the model API, the sandbox or the grader is
 * the infrastructure's, not the agent's: it is retried with backoff, and if it persists the record says so
 * (infra_error) so that statistics leave it out instead of scoring a failed task. Any other error is thrown:
 * a bug is never recorded as data.
 */
export async function runUnroll(
  ctx: UnrollContext,
  instance: Instance,
  image: InstanceImage,
  planned: PlannedUnroll,
): Promise<UnrollOutcome> {
  const startedAt = new Date();
  let attempts = 0;
  let trajectory: Trajectory | undefined;
  let grade: GradeResult | undefined;
  let infraError: string | null = null;
  // Money spent on failed attempts is spent all the same.
  let spentUsd = 0;
  for (;;) {
    attempts += 1;
    // Every attempt starts clean: a record never mixes one attempt's trajectory with another's grading.
    infraError = null;
    trajectory = undefined;
    grade = undefined;
    try {
      trajectory = await runAgent(ctx, instance, image, planned);
      spentUsd += trajectory.stats.costUsd;
      if (infraStopReasons.includes(trajectory.stopReason)) {
        infraError = `${trajectory.stopReason}: ${trajectory.stopDetail}`;
      } else if (!trajectory.quit) {
        grade = await ctx.grade(instance, trajectory.patch, planned);
        if (grade.gradingStatus === 'error') infraError = `grading failed: ${firstLine(grade.log)}`;
      }
    } catch (err) {
      // Only a failure recognised as the infrastructure's is retried and recorded; anything else is a bug.
      if (isRunFatal(err) || !isInfrastructureFailure(err)) throw err;
      infraError = `unroll failed: ${errorMessage(err)}`;
    }
    if (infraError === null || attempts > ctx.infraRetries || ctx.signal?.aborted) break;
    const delay = ctx.retryDelayMs * 2 ** (attempts - 1) * (0.5 + Math.random());
    ctx.log.warn(
      {
        instance: planned.instance_id,
        unroll: planned.unroll,
        attempt: attempts,
        error: infraError,
        delayMs: Math.round(delay),
      },
      'infrastructure failure; retrying the unroll',
    );
    await new Promise((r) => setTimeout(r, delay));
  }
  const stats = trajectory?.stats;
  const record: UnrollRecord = {
    run_id: ctx.runId,
    instance_id: planned.instance_id,
    unroll: planned.unroll,
    seed: planned.seed,
    model: ctx.model.name,
    stop_reason: trajectory?.stopReason ?? 'sandbox_error',
    grading_status: infraError !== null ? 'error' : (grade?.gradingStatus ?? 'error'),
    tests: infraError !== null ? [] : (grade?.tests ?? []),
    resolution: infraError !== null ? 'NO' : (grade?.resolution ?? 'NO'),
    log_truncated: grade?.logTruncated ?? false,
    infra_error: infraError,
    actions: stats?.actions ?? 0,
    turns: stats?.turns ?? 0,
    messages: stats?.messages ?? 0,
    input_tokens: stats?.inputTokens ?? 0,
    output_tokens: stats?.outputTokens ?? 0,
    reasoning_tokens: stats?.reasoningTokens ?? 0,
    cost_usd: spentUsd,
    wall_ms: Date.now() - startedAt.getTime(),
    attempts,
    patch_bytes: Buffer.byteLength(trajectory?.patch ?? ''),
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
  };
  return { record, trajectory, gradingLog: grade?.log ?? '', ...(trajectory?.quit ? { quit: true as const } : {}) };
}

async function runAgent(
  ctx: UnrollContext,
  instance: Instance,
  image: InstanceImage,
  planned: PlannedUnroll,
): Promise<Trajectory> {
  const sandbox = await ctx.provider.start(
    image.tag,
    { user: image.user, workdir: image.workdir, execMode: ctx.execMode, diskBytes: ctx.limits.maxDiskBytes },
    { run: ctx.runId, instance: instance.instance_id, unroll: planned.unroll },
  );
  return useSandbox(sandbox, () => {
    const values = promptValues(instance, image, ctx.limits);
    return new Agent(ctx.model, sandbox, ctx.limits, ctx.observer).run({
      instanceId: instance.instance_id,
      unroll: planned.unroll,
      seed: planned.seed,
      system: renderTemplate(ctx.templates.system, values),
      user: renderTemplate(ctx.templates.instance, values),
      baseCommit: instance.base_commit,
      // The grader resets and patches these files; an agent's edits to them are not part of its answer.
      excludeFromPatch: [...new Set([...testFilesToReset(instance.test_patch), ...createdPaths(instance.test_patch)])],
    });
  });
}

export function promptValues(instance: Instance, image: InstanceImage, limits: AgentLimits): Record<string, string> {
  return {
    repo: instance.repo,
    instance_id: instance.instance_id,
    workdir: image.workdir,
    base_commit: instance.base_commit,
    base_commit_short: instance.base_commit.slice(0, 12),
    problem_statement: instance.problem_statement.trim(),
    hints: instance.hints_text.trim() ? `\nHints from the discussion:\n${instance.hints_text.trim()}\n` : '',
    command_timeout_s: String(Math.round(limits.commandTimeoutMs / 1000)),
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.slice(0, 300) ?? 'no detail'
  );
}
