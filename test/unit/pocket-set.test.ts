/**
 * The bundled task set's requirements, checked on every `npm test` rather than only by the authoring scripts:
 * enough tasks, languages and tiers; real test lists; wrong candidates that declare what they break; and for
 * every task a git bundle holding its base commit, against which its gold and test patches apply.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { repoRoot } from '../../src/paths.ts';
import { loadSimSpec, type LoadedSimSpec } from '../../src/sim/spec-load.ts';

const { instances, problems } = await loadInstances(path.join(repoRoot, 'instances', 'pocket'));
const specs = new Map<string, LoadedSimSpec>(
  await Promise.all(instances.map(async (i) => [i.instance_id, await loadSimSpec(i)] as const)),
);
const git = (cwd: string, ...args: string[]) => execa('git', args, { cwd, reject: false });

describe('the bundled task set (instances/pocket)', () => {
  it('loads without a problem: at least 20 tasks in at least 2 languages and all three tiers', () => {
    expect(problems).toEqual([]);
    expect(instances.length).toBeGreaterThanOrEqual(20);
    expect(new Set(instances.map((i) => i.language)).size).toBeGreaterThanOrEqual(2);
    expect(instances.every((i) => typeof i.language === 'string')).toBe(true);
    expect(new Set(instances.map((i) => i.difficulty))).toEqual(new Set(['easy', 'medium', 'hard']));
  });

  it.each(instances.map((i) => [i.instance_id, i] as const))(
    '%s: test lists, patches and problem statement',
    (_, instance) => {
      expect(instance.FAIL_TO_PASS.length).toBeGreaterThanOrEqual(1);
      expect(instance.PASS_TO_PASS.length).toBeGreaterThanOrEqual(5);
      expect(new Set([...instance.FAIL_TO_PASS, ...instance.PASS_TO_PASS]).size).toBe(
        instance.FAIL_TO_PASS.length + instance.PASS_TO_PASS.length,
      );
      expect(instance.patch).toMatch(/^diff --git /);
      expect(instance.test_patch).toMatch(/^diff --git /);
      const words = instance.problem_statement.trim().split(/\s+/);
      expect(words.length, 'problem statement words').toBeGreaterThanOrEqual(60);
    },
  );

  it.each(instances.map((i) => [i.instance_id, i] as const))(
    '%s: at least 3 wrong candidates, each declaring listed tests it fails',
    (_, instance) => {
      const spec = specs.get(instance.instance_id) as LoadedSimSpec;
      const listed = new Set([...instance.FAIL_TO_PASS, ...instance.PASS_TO_PASS]);
      const wrong = spec.candidates.filter(
        (c) => c.patch !== null && c.patch.trim() !== '' && c.patch !== instance.patch,
      );
      expect(wrong.length).toBeGreaterThanOrEqual(3);
      for (const c of wrong) {
        expect(c.fails.length, `${c.name} declares no failing test`).toBeGreaterThan(0);
        expect(
          c.fails.filter((t) => !listed.has(t)),
          `${c.name} declares unlisted tests`,
        ).toEqual([]);
      }
      // A candidate with the gold patch must not claim to break anything.
      for (const c of spec.candidates.filter((x) => x.patch === instance.patch)) expect(c.fails).toEqual([]);
    },
  );
});

describe("the task set's git bundles", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'hotmess-pocket-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  const byBundle = new Map<string, Instance[]>();
  for (const i of instances) {
    const bundle = path.resolve(i.baseDir, i.source ?? '');
    byBundle.set(bundle, [...(byBundle.get(bundle) ?? []), i]);
  }

  it.each([...byBundle].map(([bundle, tasks]) => [path.basename(bundle), bundle, tasks] as const))(
    "%s holds each task's base_commit, which checks out as HEAD and takes its gold and test patches",
    async (name, bundle, tasks) => {
      const clone = path.join(work, name);
      const cloned = await git(work, 'clone', '-q', bundle, clone);
      expect(cloned.exitCode, cloned.stderr).toBe(0);
      for (const task of tasks) {
        const id = task.instance_id;
        expect(
          (await git(clone, 'cat-file', '-e', `${task.base_commit}^{commit}`)).exitCode,
          `${id}: base_commit not in ${name}`,
        ).toBe(0);
        expect((await git(clone, 'checkout', '-q', '--detach', task.base_commit)).exitCode).toBe(0);
        expect((await git(clone, 'rev-parse', 'HEAD')).stdout, `${id}: HEAD after checking out base_commit`).toBe(
          task.base_commit,
        );
        for (const [what, patch] of [
          ['gold patch', task.patch],
          ['test patch', task.test_patch],
        ] as const) {
          const check = await execa('git', ['apply', '--check', '-'], { cwd: clone, input: patch, reject: false });
          expect(check.exitCode, `${id}: the ${what} does not apply at base_commit: ${check.stderr}`).toBe(0);
        }
      }
    },
  );
});
