import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../errors.ts';
import { dataDir, parseDatasetName, resolveDataset } from './datasets.ts';

let cache: string;
beforeAll(async () => {
  cache = await mkdtemp(path.join(tmpdir(), 'hotmess-data-'));
});
afterAll(async () => {
  await rm(cache, { recursive: true, force: true });
});

describe('dataset names', () => {
  it('names a known set and a split, the first split by default', () => {
    expect(parseDatasetName('verified')).toMatchObject({ dataset: { repository: 'SWE-bench/SWE-bench_Verified' }, split: 'test' });
    expect(parseDatasetName('Lite:dev')).toMatchObject({ dataset: { name: 'lite' }, split: 'dev' });
    expect(parseDatasetName('full')).toMatchObject({ dataset: { repository: 'SWE-bench/SWE-bench' }, split: 'test' });
  });

  it('refuses an unknown set or split in one sentence', () => {
    expect(() => parseDatasetName('verifed')).toThrow(UsageError);
    expect(() => parseDatasetName('verifed')).toThrow(/^--dataset verifed is not one of verified, lite, full, multilingual \(optionally with a split, as in lite:dev\)\.$/);
    expect(() => parseDatasetName('verified:dev')).toThrow(/^--dataset verified:dev: verified has the splits test\.$/);
    expect(() => parseDatasetName('lite:dev:x')).toThrow(UsageError);
  });

  it('puts the cache under HOTMESS_DATA, else the user cache directory', () => {
    expect(dataDir({ HOTMESS_DATA: '/data/sets' })).toBe('/data/sets');
    expect(dataDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/hotmess');
    expect(dataDir({})).toMatch(/\.cache\/hotmess$/);
  });
});

describe('resolveDataset', () => {
  it('finds the Parquet shards of a Hugging Face download, in order, only of the split asked for', async () => {
    const data = path.join(cache, 'SWE-bench_Lite', 'data');
    await mkdir(data, { recursive: true });
    for (const name of ['test-00001-of-00002.parquet', 'test-00000-of-00002.parquet', 'dev-00000-of-00001.parquet', 'README.md'])
      await writeFile(path.join(data, name), '');
    const env = { HOTMESS_DATA: cache };
    expect((await resolveDataset('lite', env)).files).toEqual([
      path.join(data, 'test-00000-of-00002.parquet'),
      path.join(data, 'test-00001-of-00002.parquet'),
    ]);
    expect((await resolveDataset('lite:dev', env)).files).toEqual([path.join(data, 'dev-00000-of-00001.parquet')]);
  });

  it('takes a JSON Lines export named <set>.<split>.jsonl', async () => {
    await writeFile(path.join(cache, 'SWE-bench_Verified.test.jsonl'), '');
    expect((await resolveDataset('verified', { HOTMESS_DATA: cache })).files).toEqual([
      path.join(cache, 'SWE-bench_Verified.test.jsonl'),
    ]);
  });

  it('says in one sentence where to put a missing set and where it comes from', async () => {
    const err = await resolveDataset('full:dev', { HOTMESS_DATA: cache }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    const message = (err as Error).message;
    expect(message).toContain(`is not in ${cache}`);
    expect(message).toContain('https://huggingface.co/datasets/SWE-bench/SWE-bench');
    expect(message).toContain(path.join(cache, 'SWE-bench'));
    expect(message).toContain('data/dev-*.parquet');
    expect(message.split(/\.\s/)).toHaveLength(1);
  });
});
