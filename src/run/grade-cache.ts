import { createHash } from 'node:crypto';
import type { GradeFn, GradeResult } from './unroll.ts';

/**
 * `--grade-cache`: grades each distinct (instance, patch) once per run and gives every unroll that wrote the
 * same patch the same result. Sound only when the task's tests are deterministic (`hotmess validate --repeat`
 * names the flaky ones), which is why it is off by default: a flaky test graded once per patch would hide the
 * fake variance it causes. A failed grading (infrastructure) is not kept, so its unroll's retry grades again.
 */
export function cachedGrades(grade: GradeFn): GradeFn & { readonly graded: () => number } {
  const results = new Map<string, Promise<GradeResult>>();
  let graded = 0;
  const fn: GradeFn = (instance, patch, planned) => {
    const key = createHash('sha256').update(instance.instance_id).update('\0').update(patch).digest('hex');
    let result = results.get(key);
    if (!result) {
      graded += 1;
      result = grade(instance, patch, planned).then((r) => {
        if (r.gradingStatus === 'error') results.delete(key);
        return r;
      });
      result.catch(() => results.delete(key));
      results.set(key, result);
      return result;
    }
    return result.then((r) => ({
      ...r,
      log: `(identical to an earlier unroll's patch: its grading is reused, --grade-cache)\n${r.log}`,
    }));
  };
  return Object.assign(fn, { graded: () => graded });
}
