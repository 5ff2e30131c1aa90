import { gradePatch, type GradingBackend } from '../grading/docker-grader.ts';
import type { GradeFn } from './unroll.ts';

/** Grades unrolls, each in a fresh sandbox of the backend's provider labelled with the run, instance and unroll. */
export function dockerGradeFn(backend: GradingBackend, runId: string, testTimeoutMs: number): GradeFn {
  return async (instance, patch, planned) => {
    const g = await gradePatch(backend, instance, patch, {
      testTimeoutMs,
      labels: { run: runId, instance: instance.instance_id, unroll: planned.unroll },
    });
    return {
      gradingStatus: g.gradingStatus,
      tests: g.tests,
      resolution: g.resolution,
      log: g.log,
      logTruncated: g.logTruncated,
    };
  };
}
