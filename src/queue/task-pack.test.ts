import fc from 'fast-check';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInstances } from '../instances/load.ts';
import type { Instance } from '../instances/schema.ts';
import { commonDir, packTask, unpackTask } from './task-pack.ts';

describe('commonDir', () => {
  it('is an ancestor of every directory, and no deeper one is', () => {
    const segment = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(
        fc.array(
          fc.array(segment, { maxLength: 4 }).map((p) => `/${p.join('/')}`),
          { minLength: 1 },
        ),
        (dirs) => {
          const root = commonDir(dirs);
          const inside = (d: string) => d === root || d.startsWith(root === '/' ? '/' : `${root}/`);
          expect(dirs.every(inside)).toBe(true);
          const deeper = dirs[0] as string;
          if (deeper !== root) {
            const next = path.join(root, path.relative(root, deeper).split('/')[0] as string);
            expect(dirs.every((d) => d === next || d.startsWith(`${next}/`))).toBe(false);
          }
        },
      ),
    );
  });
});

describe('a packed task', () => {
  it('unpacks elsewhere with its source, spec and patches where its relative paths say', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hotmess-pack-'));
    await mkdir(path.join(dir, 'set', 'specs', 'patches'), { recursive: true });
    await mkdir(path.join(dir, 'repos', 'tree', 'sub'), { recursive: true });
    await writeFile(path.join(dir, 'repos', 'tree', 'sub', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(path.join(dir, 'set', 'specs', 'patches', 'w.diff'), 'wrong\n');
    await writeFile(
      path.join(dir, 'set', 'specs', 'spec.yaml'),
      'instance_id: t-1\nexplore: {distribution: fixed, value: 1}\ncandidates:\n  gold: {patch: gold, weight: 1}\n  w: {patch: patches/w.diff, weight: 1}\n',
    );
    const record = {
      instance_id: 't-1',
      repo: 'r/r',
      base_commit: 'abc1234',
      patch: '',
      test_patch: '',
      problem_statement: 'p',
      FAIL_TO_PASS: [],
      PASS_TO_PASS: [],
      source: '../repos/tree',
      sim: 'specs/spec.yaml',
    };
    await writeFile(path.join(dir, 'set', 'i.jsonl'), `${JSON.stringify(record)}\n`);
    const instance = (await loadInstances(path.join(dir, 'set', 'i.jsonl'))).instances[0] as Instance;
    const { task, blobs } = await packTask(instance);
    expect(task.files.map((f) => f.path).sort()).toEqual([
      'repos/tree/sub/run.sh',
      'set/specs/patches/w.diff',
      'set/specs/spec.yaml',
    ]);
    const target = path.join(await mkdtemp(path.join(tmpdir(), 'hotmess-unpack-')), 'task');
    const unpacked = await unpackTask(
      JSON.parse(JSON.stringify(task)),
      target,
      async (sha) => blobs.get(sha) as Buffer,
    );
    expect(unpacked.instance_id).toBe('t-1');
    expect(await readFile(path.resolve(unpacked.baseDir, 'specs/patches/w.diff'), 'utf8')).toBe('wrong\n');
    expect(await readFile(path.resolve(unpacked.baseDir, '../repos/tree/sub/run.sh'), 'utf8')).toBe('#!/bin/sh\n');
  });
});
