import type Docker from 'dockerode';
import path from 'node:path';
import { InputError } from '../errors.ts';
import { editedNote, formatObservation } from '../agent/observation.ts';
import { gradePatch } from '../grading/docker-grader.ts';
import { createdPaths, testFilesToReset } from '../grading/test-patch.ts';
import { ensureInstanceImage, type InstanceImage } from '../images/instance-image.ts';
import type { ProgressFn } from '../images/progress.ts';
import { loadInstance } from '../instances/load.ts';
import type { Instance } from '../instances/schema.ts';
import { repoRoot } from '../paths.ts';
import type { Sandbox, SandboxProvider } from '../sandbox/types.ts';
import type { TestOutcome, UnrollRecord } from '../store/unroll-record.ts';
import { actionsOf, replayable, type ActionView } from './actions.ts';
import { firstDifference, maskTimings } from './compare-output.ts';
import type { DebugRun } from './locate.ts';
import { normalisePatch } from './patch-groups.ts';
import type { StoredTrajectory } from './trajectory-file.ts';

/** One recorded action run again, and how its observation compares with the recorded one. */
export interface ActionComparison {
  readonly action: ActionView;
  readonly recordedExit: number | null | undefined;
  readonly replayedExit: number | null;
  readonly replayedMs: number;
  readonly sameExit: boolean;
  readonly sameOutput: boolean;
  /** Where the outputs first differ, when they do. */
  readonly difference: { line: number; recorded: string; replayed: string } | undefined;
}

export interface ReplayTarget {
  readonly instance: Instance;
  readonly image: InstanceImage;
  readonly trajectory: StoredTrajectory;
  readonly runId: string;
  readonly execMode: 'persistent' | 'exec';
}

/** The instance record of a run's task, from the instances the run was made with (or `override`). */
export async function instanceOfRun(run: DebugRun, instanceId: string, override?: string): Promise<Instance> {
  const source = override ?? run.run.config.instancesSource;
  if (typeof source !== 'string') {
    throw new InputError(
      `run.json of run ${run.run.run_id} does not say where its instances came from: pass --instances.`,
    );
  }
  // A relative source was relative to wherever the run started: try here, then the checkout.
  const candidates = path.isAbsolute(source) ? [source] : [path.resolve(source), path.join(repoRoot, source)];
  let last: unknown;
  for (const candidate of candidates) {
    try {
      return await loadInstance(candidate, instanceId);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

/** The target of a replay: the task's record, its image (found, pulled or built as for a run) and the run's exec mode. */
export async function replayTarget(
  docker: Docker,
  run: DebugRun,
  trajectory: StoredTrajectory,
  options: { instances?: string; progress?: ProgressFn } = {},
): Promise<ReplayTarget> {
  const instance = await instanceOfRun(run, trajectory.instanceId, options.instances);
  const image = await ensureInstanceImage(docker, instance, options.progress);
  const mode = run.run.config.execMode === 'exec' ? 'exec' : 'persistent';
  return { instance, image, trajectory, runId: run.run.run_id, execMode: mode };
}

/** A fresh sandbox of the unroll's image, as the agent's was started. */
export function startReplaySandbox(
  provider: SandboxProvider,
  target: ReplayTarget,
  kind: 'replay' | 'shell',
): Promise<Sandbox> {
  return provider.start(
    target.image.tag,
    { user: target.image.user, workdir: target.image.workdir, execMode: target.execMode },
    { run: `${kind}-${target.runId}`, instance: target.instance.instance_id, unroll: target.trajectory.unroll },
  );
}

/**
 * Runs the recorded bash commands (up to action `upTo`, numbered as `show` numbers them) in the sandbox, in order,
 * with the unroll's own command timeout and observation cap, and compares each observation with the recorded one:
 * exit code, and output (timings of test runners masked unless `exact`).
 */
export async function replayActions(
  sandbox: Sandbox,
  trajectory: StoredTrajectory,
  options: { upTo?: number; exact?: boolean; onAction?: (c: ActionComparison) => void } = {},
): Promise<ActionComparison[]> {
  const timeoutMs = trajectory.limits.commandTimeoutMs ?? 180_000;
  const maxChars = trajectory.limits.maxObservationChars ?? 10_000;
  const out: ActionComparison[] = [];
  for (const action of replayable(actionsOf(trajectory))) {
    if (options.upTo !== undefined && action.index > options.upTo) break;
    const result = await sandbox.exec(action.command, { timeoutMs });
    const observation = formatObservation(result, maxChars).text;
    const note = action.editedFrom === undefined ? '' : editedNote(action.command);
    const given = action.observation ?? '';
    const recorded = note && given.startsWith(note) ? given.slice(note.length) : given;
    const mask = options.exact ? (t: string) => t : maskTimings;
    const body = (t: string) => mask(t.replace(/^exit code \S+\n?/, ''));
    const recordedExit = action.timedOut ? null : action.exitCode;
    const comparison: ActionComparison = {
      action,
      recordedExit,
      replayedExit: result.timedOut ? null : result.exitCode,
      replayedMs: result.durationMs,
      sameExit: (recordedExit ?? null) === (result.timedOut ? null : result.exitCode),
      sameOutput: body(recorded) === body(observation),
      difference: firstDifference(body(recorded), body(observation)),
    };
    out.push(comparison);
    options.onAction?.(comparison);
  }
  return out;
}

export interface GradeComparison {
  readonly recorded: { resolution: string; gradingStatus: string } | null;
  readonly replayed: { resolution: string; gradingStatus: string };
  /** Tests whose pass/fail differs from the record (empty when they agree, or when there is no record). */
  readonly disagreeing: { id: string; recorded: boolean; replayed: boolean }[];
  readonly agrees: boolean;
}

export interface ReplayReport {
  readonly comparisons: ActionComparison[];
  readonly firstDivergence: ActionComparison | undefined;
  readonly divergences: number;
  /** The replayed work tree's diff is the recorded patch (normalised). */
  readonly samePatch: boolean;
  /** The final state graded and compared with the record; null when grading was not asked for. */
  readonly grade: GradeComparison | null;
}

/** Paths the final diff leaves out, as in the unroll (the grader resets and patches the test files). */
export function excludedFromPatch(instance: Instance): string[] {
  return [...new Set([...testFilesToReset(instance.test_patch), ...createdPaths(instance.test_patch)])];
}

/**
 * `hotmess replay`: every recorded action again in a fresh sandbox, then the final state graded in another one
 * (as a run grades), each compared with the record.
 */
export async function replayUnroll(
  backend: { docker: Docker; provider: SandboxProvider },
  target: ReplayTarget,
  record: UnrollRecord | undefined,
  options: { exact?: boolean; grade?: boolean; testTimeoutMs?: number; onAction?: (c: ActionComparison) => void } = {},
): Promise<ReplayReport> {
  const sandbox = await startReplaySandbox(backend.provider, target, 'replay');
  let comparisons: ActionComparison[];
  let patch: string;
  try {
    comparisons = await replayActions(sandbox, target.trajectory, options);
    patch = await sandbox.diff(target.instance.base_commit, { excludePaths: excludedFromPatch(target.instance) });
  } finally {
    await sandbox.close();
  }
  const divergent = comparisons.filter((c) => !c.sameExit || !c.sameOutput);
  const base = {
    comparisons,
    firstDivergence: divergent[0],
    divergences: divergent.length,
    samePatch: normalisePatch(patch) === normalisePatch(target.trajectory.patch),
  };
  if (options.grade === false) return { ...base, grade: null };
  const graded = await gradePatch(backend, target.instance, patch, {
    ...(options.testTimeoutMs === undefined ? {} : { testTimeoutMs: options.testTimeoutMs }),
    labels: { run: `replay-${target.runId}`, instance: target.instance.instance_id, unroll: target.trajectory.unroll },
  });
  return {
    ...base,
    grade: compareGrades(record, {
      resolution: graded.resolution,
      gradingStatus: graded.gradingStatus,
      tests: graded.tests,
    }),
  };
}

export function compareGrades(
  record: UnrollRecord | undefined,
  replayed: { resolution: string; gradingStatus: string; tests: readonly TestOutcome[] },
): GradeComparison {
  const now = { resolution: replayed.resolution, gradingStatus: replayed.gradingStatus };
  if (!record || record.infra_error !== null) return { recorded: null, replayed: now, disagreeing: [], agrees: false };
  const passes = new Map(replayed.tests.map((t) => [t.id, t.pass]));
  const disagreeing = record.tests
    .filter((t) => passes.get(t.id) !== t.pass)
    .map((t) => ({ id: t.id, recorded: t.pass, replayed: passes.get(t.id) ?? false }));
  return {
    recorded: { resolution: record.resolution, gradingStatus: record.grading_status },
    replayed: now,
    disagreeing,
    agrees: disagreeing.length === 0 && record.resolution === replayed.resolution,
  };
}
