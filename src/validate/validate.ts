import pLimit from 'p-limit';
import { errorMessage } from '../errors.ts';
import { gradePatch, type GradingBackend } from '../grading/docker-grader.ts';
import { parserNameFor } from '../grading/parsers/registry.ts';
import { ensureInstanceImage } from '../images/instance-image.ts';
import type { ProgressFn } from '../images/progress.ts';
import type { Instance } from '../instances/schema.ts';
import { loadSimSpec } from '../sim/spec-load.ts';
import { compareRuns, failedCheck, type ValidationCheck, type ValidationRun } from './compare.ts';

export type { ValidationCheck, ValidationRun } from './compare.ts';

export interface ValidationReport {
  checks: ValidationCheck[];
  tasks: number;
  mismatches: number;
  /** Every test whose outcome differed between repeats of the same patch, once per task. */
  flakyTests: { instance_id: string; test: string }[];
  /** Gradings run (distinct patches × repeats). */
  gradings: number;
  wallMs: number;
}

export interface ValidateOptions {
  /** Grade every patch this many times (default 1); outcomes that differ name flaky tests. */
  repeat?: number;
  /** Gradings at once (default 2). */
  concurrency?: number;
  testTimeoutMs?: number;
  /** Labels the grading containers with this run id (default `validate-<pid>`). */
  runId?: string;
  onCheck?: (check: ValidationCheck) => void;
  onProgress?: ProgressFn;
}

/** A patch to grade and the tests it should fail. */
interface Expectation {
  check: string;
  patch: string;
  expectedFails: readonly string[];
}

/**
 * Checks that a task set's targets are well defined (DESIGN.md §4): the empty patch leaves FAIL_TO_PASS failing
 * and PASS_TO_PASS passing, the gold patch passes everything, and each candidate of the sim spec fails exactly
 * the tests it declares. Each distinct patch is graded `repeat` times in Docker; candidates that are the gold or
 * the empty patch reuse those gradings. Repeats expose flaky tests, which would otherwise pass for variance.
 * A task whose image or sim spec fails gets one failed check and the others go on.
 */
export async function validateInstances(
  backend: GradingBackend,
  instances: readonly Instance[],
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const started = performance.now();
  const repeat = Math.max(1, Math.floor(options.repeat ?? 1));
  const limit = pLimit(Math.max(1, Math.floor(options.concurrency ?? 2)));
  const runId = options.runId ?? `validate-${process.pid}`;
  let gradings = 0;

  const gradeOnce = async (instance: Instance, patch: string): Promise<ValidationRun> => {
    gradings += 1;
    try {
      const g = await gradePatch(backend, instance, patch, {
        runEmptyPatch: true,
        ...(options.testTimeoutMs ? { testTimeoutMs: options.testTimeoutMs } : {}),
        labels: { run: runId, instance: instance.instance_id },
      });
      const missing = g.tests.filter((t) => t.status === 'MISSING').map((t) => t.id);
      return {
        gradingStatus: g.gradingStatus,
        fails: g.tests.filter((t) => !t.pass).map((t) => t.id),
        ...(missing.length ? { missing } : {}),
        ...(g.detail ? { detail: g.detail } : {}),
      };
    } catch (err) {
      // An engine failure or a record the grader cannot use: this check's problem, not the whole run's.
      return { gradingStatus: 'error', fails: [], error: errorMessage(err) };
    }
  };

  const validateTask = async (instance: Instance): Promise<ValidationCheck[]> => {
    const id = instance.instance_id;
    try {
      // Two builds at most at once through the same limit: checks do not wait on each other's builds.
      await limit(() => ensureInstanceImage(backend.docker, instance, options.onProgress));
    } catch (err) {
      return [report(failedCheck(id, 'image', errorMessage(err)))];
    }
    let expectations: Expectation[];
    try {
      expectations = await expectationsOf(instance);
    } catch (err) {
      return [report(failedCheck(id, 'sim spec', errorMessage(err)))];
    }
    const runsByPatch = new Map<string, Promise<ValidationRun[]>>();
    for (const e of expectations) {
      if (!runsByPatch.has(e.patch))
        runsByPatch.set(
          e.patch,
          Promise.all(Array.from({ length: repeat }, () => limit(() => gradeOnce(instance, e.patch)))),
        );
    }
    const lists = { ...instance, parser: parserNameFor(instance) };
    return Promise.all(
      expectations.map(async (e) =>
        report(
          compareRuns(
            id,
            lists,
            e.check,
            e.expectedFails,
            await (runsByPatch.get(e.patch) as Promise<ValidationRun[]>),
          ),
        ),
      ),
    );
  };

  const report = (check: ValidationCheck): ValidationCheck => {
    options.onCheck?.(check);
    return check;
  };

  const checks = (await Promise.all(instances.map(validateTask))).flat();
  const flaky = new Map<string, { instance_id: string; test: string }>();
  for (const c of checks)
    for (const test of c.flaky) flaky.set(`${c.instance_id}\0${test}`, { instance_id: c.instance_id, test });
  return {
    checks,
    tasks: instances.length,
    mismatches: checks.filter((c) => !c.ok).length,
    flakyTests: [...flaky.values()],
    gradings,
    wallMs: performance.now() - started,
  };
}

/**
 * empty, gold, then the spec's candidates in its order. A candidate that is the gold or the empty patch and
 * declares what that check already expects adds nothing and is left out.
 */
async function expectationsOf(instance: Instance): Promise<Expectation[]> {
  const noChange = [...instance.FAIL_TO_PASS];
  const out: Expectation[] = [
    { check: 'empty', patch: '', expectedFails: noChange },
    { check: 'gold', patch: instance.patch, expectedFails: [] },
  ];
  if (!instance.sim) return out;
  const spec = await loadSimSpec(instance);
  for (const c of spec.candidates) {
    const patch = c.patch ?? '';
    const sameAs = patch.trim() === '' ? noChange : patch === instance.patch ? [] : undefined;
    if (sameAs && sameSet(sameAs, c.fails)) continue;
    out.push({ check: c.name, patch, expectedFails: c.fails });
  }
  return out;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((x) => set.has(x));
}
