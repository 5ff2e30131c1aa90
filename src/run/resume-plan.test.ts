import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultLimits } from '../agent/limits.ts';
import { InputError } from '../errors.ts';
import { loadInstances } from '../instances/load.ts';
import { repoRoot } from '../paths.ts';
import { createRunDir, openRunDir } from '../store/run-dir.ts';
import { RunLockedError } from '../store/run-lock.ts';
import { openResumedRun, resumedConfig, resumedInstances } from './resume-plan.ts';
import type { SweepConfig } from './sweep.ts';

const source = path.join(repoRoot, 'instances/pocket/python-a.jsonl');

const config: SweepConfig = {
  instancesSource: source,
  instanceIds: ['pocket__durations-2', 'pocket__durations-1'],
  model: 'sim',
  modelOptions: {},
  unrolls: 3,
  seed: 7,
  limits: defaultLimits,
  testTimeoutMs: 60_000,
  infraRetries: 2,
  execMode: 'persistent',
  gradeCache: false,
};

describe('resumedConfig', () => {
  it('gives back the config run.json holds, with defaults for fields older runs lack', () => {
    const { gradeCache: _, ...older } = config;
    expect(resumedConfig(older, '/runs/r1')).toEqual(config);
  });

  it('refuses a config that is not a sweep, naming the run and the field', () => {
    expect(() => resumedConfig({ ...config, testTimeoutMs: -5 }, '/runs/r1')).toThrow(
      new InputError('/runs/r1/run.json does not describe a hotmess run that can be resumed (testTimeoutMs).'),
    );
    expect(() => resumedConfig({ kind: 'import' }, '/runs/r1')).toThrow(/resumed \(instancesSource\)/);
  });
});

describe('resumedInstances', () => {
  it("keeps the run's instances, in the order of their source", async () => {
    const { instances } = await loadInstances(source);
    expect(resumedInstances(config, instances).map((i) => i.instance_id)).toEqual([
      'pocket__durations-1',
      'pocket__durations-2',
    ]);
  });

  it('refuses a run whose instances are gone from the source, naming them', async () => {
    const { instances } = await loadInstances(source);
    const gone = { ...config, instanceIds: [...config.instanceIds, 'x__gone-1', 'x__gone-2'] };
    expect(() => resumedInstances(gone, instances)).toThrow(
      `Cannot resume: 2 instances of the run are no longer in ${source} (x__gone-1, x__gone-2).`,
    );
  });
});

describe('openResumedRun', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'hotmess-resume-plan-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('opens a run by its directory, locked, with its config and instances', async () => {
    await (await createRunDir({ root, runId: 'r1', config: { ...config }, seeds: { base: 7 } })).close();
    const resumed = await openResumedRun(path.join(root, 'r1'));
    try {
      expect(resumed.dir.runId).toBe('r1');
      expect(resumed.config).toEqual(config);
      expect(resumed.instances.map((i) => i.instance_id)).toEqual(['pocket__durations-1', 'pocket__durations-2']);
      await expect(openRunDir(path.join(root, 'r1'))).rejects.toThrow(RunLockedError);
    } finally {
      await resumed.dir.close();
    }
  });

  it('releases the run when it refuses to resume it', async () => {
    const bad = { ...config, instanceIds: ['x__gone-1'] };
    await (await createRunDir({ root, runId: 'r2', config: bad, seeds: { base: 7 } })).close();
    await expect(openResumedRun(path.join(root, 'r2'))).rejects.toThrow(/no longer in/);
    const again = await openRunDir(path.join(root, 'r2'));
    await again.close();
  });
});
