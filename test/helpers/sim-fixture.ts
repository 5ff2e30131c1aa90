import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';

export const goldPatch = `diff --git a/calc/ops.py b/calc/ops.py
--- a/calc/ops.py
+++ b/calc/ops.py
@@ -1,2 +1,2 @@
 def add(a, b):
-    return abs(a) + b
+    return a + b
`;

export const wrongPatch = `diff --git a/calc/ops.py b/calc/ops.py
--- a/calc/ops.py
+++ b/calc/ops.py
@@ -1,2 +1,2 @@
 def add(a, b):
-    return abs(a) + b
+    return a + abs(b)
`;

export const defaultSpec = `instance_id: demo__calc-1
explore: {distribution: lognormal, median: 4, sigma: 0.5, max: 12}
candidates:
  gold: {patch: gold, weight: 0.6}
  off_by_one: {patch: patches/wrong.diff, weight: 0.25, fails: [tests/test_ops.py::test_add_negative]}
  no_op: {patch: null, weight: 0.15}
drift: 0.05
`;

export interface SimFixture {
  readonly dir: string;
  readonly instances: Instance[];
  readonly instance: Instance;
}

/**
 * A task set in a fresh temporary directory: the demo instance with `spec` as its sim spec, plus any extra
 * records and files (paths relative to the directory).
 */
export async function makeSimFixture(
  spec: string = defaultSpec,
  extra: Record<string, unknown>[] = [],
  files: Record<string, string> = {},
): Promise<SimFixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hotmess-sim-'));
  await mkdir(path.join(dir, 'patches'));
  await writeFile(path.join(dir, 'patches', 'wrong.diff'), wrongPatch);
  await writeFile(path.join(dir, 'spec.yaml'), spec);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  const records = [
    {
      instance_id: 'demo__calc-1',
      repo: 'demo/calc',
      base_commit: 'abc1234',
      patch: goldPatch,
      test_patch: '',
      problem_statement: 'add() returns the wrong result when the first argument is negative.',
      FAIL_TO_PASS: ['tests/test_ops.py::test_add_negative'],
      PASS_TO_PASS: ['tests/test_ops.py::test_add', 'tests/test_ops.py::test_sub'],
      sim: 'spec.yaml',
    },
    ...extra,
  ];
  await writeFile(path.join(dir, 'instances.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const { instances, problems } = await loadInstances(path.join(dir, 'instances.jsonl'));
  if (problems.length > 0) throw new Error(`fixture instances did not load: ${JSON.stringify(problems)}`);
  return { dir, instances, instance: instances[0] as Instance };
}

/** A second instance with its own spec, for tests that need more than one. */
export const otherInstance = {
  instance_id: 'demo__strings-2',
  repo: 'demo/strings',
  base_commit: 'def5678',
  patch: goldPatch,
  test_patch: '',
  problem_statement: 'shout() forgets the exclamation mark on empty strings.',
  FAIL_TO_PASS: ['tests/test_str.py::test_shout_empty'],
  PASS_TO_PASS: [],
  sim: 'other.yaml',
};

export const otherSpec = `instance_id: demo__strings-2
explore: {distribution: fixed, value: 1}
candidates:
  gold: {patch: gold, weight: 1}
commands: [echo strings]
`;

/** A pino logger whose JSON lines land in an array. */
export function captureLog(level = 'debug'): {
  log: Logger;
  lines: string[];
  records: () => Record<string, unknown>[];
} {
  const lines: string[] = [];
  const log = pino({ level }, { write: (line: string) => void lines.push(line) });
  return { log, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}
