import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { loadInstances } from './load.ts';

const datasets = path.join(path.resolve(repoRoot, '../shared'), 'swebench/datasets');
const haveShared = existsSync(datasets);
if (!haveShared) console.log(`skipping the Parquet tests on real records: ${datasets} is absent`);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hotmess-parquet-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Rows as Hugging Face stores them: one string column per field, test lists as JSON strings. */
function parquetOf(rows: readonly Record<string, unknown>[], rowGroupSize: number): ArrayBuffer {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return parquetWriteBuffer({
    columnData: names.map((name) => ({
      name,
      data: rows.map((row) => (row[name] === undefined ? null : row[name])) as string[],
      type: 'STRING' as const,
    })),
    rowGroupSize,
  });
}

describe.skipIf(!haveShared)('Parquet instance files', () => {
  it('a Parquet file written from the shared Verified JSONL loads to the same instances', async () => {
    const jsonl = path.join(datasets, 'SWE-bench_Verified.test.jsonl');
    const lines = (await readFile(jsonl, 'utf8')).split('\n').filter(Boolean);
    // Every 10th record (50 of 500, several repositories), in two row groups and more.
    const picked = lines.filter((_, i) => i % 10 === 0);
    const subset = path.join(dir, 'verified.jsonl');
    await writeFile(subset, `${picked.join('\n')}\n`);
    const file = path.join(dir, 'verified.parquet');
    await writeFile(file, Buffer.from(parquetOf(picked.map((l) => JSON.parse(l) as Record<string, unknown>), 16)));

    const fromJsonl = await loadInstances(subset, { strict: true });
    const fromParquet = await loadInstances(file, { strict: true });
    expect(fromParquet.problems).toEqual([]);
    expect(fromParquet.instances).toHaveLength(50);
    expect(fromParquet.instances).toEqual(fromJsonl.instances);
    expect(new Set(fromParquet.instances.map((i) => i.repo)).size).toBeGreaterThan(5);
    expect(fromParquet.instances[0]?.FAIL_TO_PASS.length).toBeGreaterThan(0);
  });

  it('reports a bad row by its row number and field, and loads the rest', async () => {
    const lines = (await readFile(path.join(datasets, 'SWE-bench_Lite.dev.jsonl'), 'utf8')).split('\n').filter(Boolean);
    const rows = lines.slice(0, 3).map((l) => JSON.parse(l) as Record<string, unknown>);
    rows[1] = { ...rows[1], FAIL_TO_PASS: 'not a list' };
    const file = path.join(dir, 'bad.parquet');
    await writeFile(file, Buffer.from(parquetOf(rows, 100)));
    const { instances, problems } = await loadInstances(file);
    expect(instances.map((i) => i.instance_id)).toEqual([rows[0]?.instance_id, rows[2]?.instance_id]);
    expect(problems).toMatchObject([{ file, line: 2, field: 'FAIL_TO_PASS', instanceId: rows[1]?.instance_id }]);
  });

  it.each([
    ['SWE-bench.dev.parquet', 225],
    // Native list columns for the test lists, instead of JSON strings.
    ['SWE-bench_Multilingual.test.parquet', 300],
  ])('the published %s loads every record', async (name, count) => {
    const { instances, problems } = await loadInstances(path.join(datasets, 'parquet', name), { strict: true });
    expect(problems).toEqual([]);
    expect(instances).toHaveLength(count);
    const lists = instances.flatMap((i) => [i.FAIL_TO_PASS, i.PASS_TO_PASS]);
    expect(lists.every((list) => Array.isArray(list) && list.every((t) => typeof t === 'string'))).toBe(true);
    expect(instances.filter((i) => i.FAIL_TO_PASS.length > 0).length).toBeGreaterThan(count * 0.9);
  });
});

it('names a file that is not Parquet', async () => {
  const file = path.join(dir, 'fake.parquet');
  await writeFile(file, 'not parquet at all');
  const err = await loadInstances(file).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(/fake\.parquet is not a readable Parquet file: /);
});
