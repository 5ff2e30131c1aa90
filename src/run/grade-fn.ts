import type Docker from 'dockerode';
import { gradePatch } from '../grading/docker-grader.ts';
import type { GradeFn } from './unroll.ts';

/** Grades unrolls in Docker, each in a fresh container labelled with the run, instance and unroll. */
export function dockerGradeFn(docker: Docker, runId: string, testTimeoutMs: number): GradeFn {
  return async (instance, patch, planned) => {
    const g = await gradePatch(docker, instance, patch, {
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
