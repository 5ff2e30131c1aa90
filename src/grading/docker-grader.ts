import type Docker from 'dockerode';
import { isInfrastructureFailure } from '../infra-failure.ts';
import { ensureInstanceImage } from '../images/instance-image.ts';
import type { ProgressFn } from '../images/progress.ts';
import type { Instance } from '../instances/schema.ts';
import type { SandboxLabels, SandboxProvider } from '../sandbox/types.ts';
import { useSandbox } from '../sandbox/use-sandbox.ts';
import type { GradingStatus, Resolution, TestOutcome } from '../store/unroll-record.ts';
import { applyPatch, type ApplyMethod } from './apply-patch.ts';
import { runCapped } from './capped-run.ts';
import { buildEvalScript, condaActivation } from './eval-script.ts';
import { GradingInfraError } from './grading-error.ts';
import { markers } from './markers.ts';
import { noChangeOutcomes, outcomesWithoutResults, resolutionOfOutcomes } from './no-change.ts';
import { gradeLog } from './report.ts';

/**
 * What grading needs from the machine: the instance image (found or built in the engine's image store) and a
 * sandbox provider to run it in, built once at the top and shared with the agent's sandboxes.
 */
export interface GradingBackend {
  readonly docker: Docker;
  readonly provider: SandboxProvider;
}

export interface GradePatchOptions {
  /** Budget of the test command (default 30 min); past it the grade is `test_timeout`. */
  testTimeoutMs?: number;
  /** Bytes of test log kept (default 32 MiB): the first and the last half; at most 128 MiB. */
  maxLogBytes?: number;
  /** Run the tests even for an empty patch (validation does; a sweep grades it as "no change"). */
  runEmptyPatch?: boolean;
  labels?: SandboxLabels;
  progress?: ProgressFn;
}

export interface GradeDurations {
  /** Finding or building the instance image. */
  imageMs: number;
  /** Container start and patch application. */
  applyMs: number;
  /** The eval script: reset, test patch, tests. */
  testsMs: number;
  totalMs: number;
}

export interface GradeOutcome {
  gradingStatus: GradingStatus;
  tests: TestOutcome[];
  resolution: Resolution;
  /** The patch application attempts, then the test log (capped); what grading/<instance>/<unroll>.log holds. */
  log: string;
  applyMethod: ApplyMethod | null;
  /** Bytes the test run printed, and whether the log was cut to the cap. */
  logBytes: number;
  logTruncated: boolean;
  /** Why the grade is `unparsed` (e.g. results lost in the cut middle of the log), when it is. */
  detail?: string;
  durations: GradeDurations;
}

const PATCH_FILE = '/tmp/hotmess-model.patch';
const EVAL_FILE = '/tmp/hotmess-eval.sh';

/**
 * Grades one patch in a fresh container from the instance image (DESIGN.md §5): apply it, run the eval script
 * (reset the test files, apply the test patch, run the tests between markers, record the exit code), parse the
 * log with the instance's parser, and grade it by SWE-bench's rules. A patch that does not apply, a test run
 * that times out and a log without results are distinct outcomes. A failure of the engine, the sandbox or an
 * image build throws GradingInfraError; anything else (a bad instance record's InputError, a bug) is thrown as it
 * is. The container is always removed.
 */
export async function gradePatch(
  backend: GradingBackend,
  instance: Instance,
  patch: string,
  options: GradePatchOptions = {},
): Promise<GradeOutcome> {
  try {
    return await grade(backend, instance, patch, options);
  } catch (err) {
    if (err instanceof GradingInfraError || !isInfrastructureFailure(err)) throw err;
    throw new GradingInfraError(instance.instance_id, err);
  }
}

async function grade(
  { docker, provider }: GradingBackend,
  instance: Instance,
  patch: string,
  options: GradePatchOptions,
): Promise<GradeOutcome> {
  const started = performance.now();
  const durations: GradeDurations = { imageMs: 0, applyMs: 0, testsMs: 0, totalMs: 0 };
  const finish = (o: Omit<GradeOutcome, 'durations'>): GradeOutcome => ({
    ...o,
    durations: { ...durations, totalMs: performance.now() - started },
  });
  const empty = patch.trim() === '';

  if (empty && !options.runEmptyPatch) {
    const tests = noChangeOutcomes(instance);
    return finish({
      gradingStatus: 'no_patch',
      tests,
      resolution: resolutionOfOutcomes(tests),
      log: '',
      applyMethod: null,
      logBytes: 0,
      logTruncated: false,
    });
  }

  const image = await ensureInstanceImage(docker, instance, options.progress);
  // Built before the container starts, so that a record without a test command costs no container.
  const script = buildEvalScript(instance, {
    repoDir: image.workdir,
    ...(image.origin === 'official' ? { activate: condaActivation } : {}),
  });
  durations.imageMs = performance.now() - started;
  // `exec` mode: each grading command is a process of its own, with no shell state carried between them.
  const sandbox = await provider.start(
    image.tag,
    { user: image.user, workdir: image.workdir, network: false, execMode: 'exec' },
    options.labels ?? { run: 'grade', instance: instance.instance_id },
  );
  return useSandbox(sandbox, async () => {
    let applyLog = '';
    let applyMethod: ApplyMethod | null = null;
    if (!empty) {
      await sandbox.writeFile(PATCH_FILE, patch.endsWith('\n') ? patch : `${patch}\n`);
      const applied = await applyPatch(sandbox, PATCH_FILE, patch);
      applyLog = `${applied.log}\n`;
      applyMethod = applied.method;
      if (applied.method === null) {
        durations.applyMs = performance.now() - started - durations.imageMs;
        return finish({
          gradingStatus: 'patch_failed',
          tests: outcomesWithoutResults('patch_failed', instance),
          resolution: 'NO',
          log: `${applyLog}${markers.applyPatchFail}\n`,
          applyMethod,
          logBytes: 0,
          logTruncated: false,
        });
      }
    }
    await sandbox.writeFile(EVAL_FILE, script, { mode: 0o755 });
    durations.applyMs = performance.now() - started - durations.imageMs;

    const timeoutMs = options.testTimeoutMs ?? 30 * 60_000;
    const run = await runCapped(sandbox, EVAL_FILE, {
      timeoutMs,
      maxLogBytes: options.maxLogBytes ?? 32 * 1024 * 1024,
    });
    durations.testsMs = run.durationMs;
    const logged = { applyMethod, logBytes: run.bytes, logTruncated: run.truncated };
    if (run.timedOut) {
      const log = `${applyLog}${run.log}\nTimeout error: ${Math.round(timeoutMs / 1000)} seconds exceeded.\n`;
      return finish({
        gradingStatus: 'test_timeout',
        tests: outcomesWithoutResults('test_timeout', instance),
        resolution: 'NO',
        log,
        ...logged,
      });
    }
    const graded = gradeLog(instance, run.log, { era: 'auto', modelPatch: patch, logTruncated: run.truncated });
    const detail = graded.detail === undefined ? {} : { detail: graded.detail };
    // Without per-test results nothing passed, as for a timeout.
    const resolution = graded.gradingStatus === 'graded' ? graded.resolution : 'NO';
    const status = graded.gradingStatus;
    const tests =
      status === 'patch_failed' || status === 'test_timeout' || status === 'unparsed'
        ? outcomesWithoutResults(status, instance)
        : graded.outcomes;
    return finish({ gradingStatus: status, tests, resolution, log: `${applyLog}${run.log}`, ...logged, ...detail });
  });
}
