import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { artifactPath } from '../../src/store/layout.ts';
import { syntheticRun, type FixtureRun } from '../unit/report-fixture.ts';
import { syntheticTrajectory } from './trajectory.ts';

const patchOf = (variant: number) =>
  `diff --git a/calc/ops.py b/calc/ops.py\nindex 1111111..2222222 100644\n--- a/calc/ops.py\n+++ b/calc/ops.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return abs(a) + b\n+    return a + b${' '.repeat(0)}${variant === 0 ? '' : ` + ${variant}`}\n`;

/**
 * A synthetic run (no Docker) whose unrolls also have a trajectory, a patch (one of two, or none) and a grading
 * log, as a real run leaves them; unroll u of each task has `actions(u)` bash actions.
 */
export async function debugFixtureRun(
  root: string,
  runId: string,
  options: { tasks: number; unrolls: number; actions?: (unroll: number) => number },
): Promise<FixtureRun> {
  const run = await syntheticRun(root, runId, { tasks: options.tasks, unrolls: options.unrolls, tests: 5, seed: 3 });
  for (const r of run.records) {
    const patch = r.unroll % 3 === 2 ? '' : patchOf(r.unroll % 3);
    const t = syntheticTrajectory(r.instance_id, r.unroll, options.actions?.(r.unroll) ?? 6, patch);
    for (const [kind, text] of [
      ['trajectory', `${JSON.stringify(t, null, 1)}\n`],
      ['patch', patch],
      ['grading', `>>>>> Applied Patch\n${r.tests.map((x) => `${x.status} ${x.id}`).join('\n')}\n`],
    ] as const) {
      const file = artifactPath(run.dir, kind, r.instance_id, r.unroll);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
    }
  }
  return run;
}
