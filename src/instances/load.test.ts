import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { filterInstances, findInstance } from './filter.ts';
import { arrayElementLines, formatProblem, loadInstance, loadInstances } from './load.ts';

const datasets = path.join(path.resolve(repoRoot, '../shared'), 'swebench/datasets');
const haveShared = existsSync(datasets);
if (!haveShared) console.log(`skipping real-dataset loader tests: ${datasets} is absent`);

function record(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    instance_id: id,
    repo: 'pocket/demo',
    base_commit: 'a'.repeat(40),
    patch: '',
    test_patch: '',
    problem_statement: 'it breaks',
    FAIL_TO_PASS: '["tests/test_a.py::test_x"]',
    PASS_TO_PASS: ['tests/test_a.py::test_y'],
    ...extra,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hotmess-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadInstances', () => {
  it('loads JSONL, parses JSON-string test lists and sets an absolute baseDir', async () => {
    const file = path.join(dir, 'one.jsonl');
    await writeFile(file, `${JSON.stringify(record('a__a-1'))}\n\n${JSON.stringify(record('a__a-2', { version: 1.2 }))}\n`);
    const { instances, problems } = await loadInstances(file);
    expect(problems).toEqual([]);
    expect(instances.map((i) => i.instance_id)).toEqual(['a__a-1', 'a__a-2']);
    expect(instances[0]?.FAIL_TO_PASS).toEqual(['tests/test_a.py::test_x']);
    expect(instances[1]?.version).toBe('1.2');
    expect(instances[0]?.baseDir).toBe(dir);
  });

  it('takes a base_commit in either case, as git does, and keeps it lower-case', async () => {
    const file = path.join(dir, 'upper.jsonl');
    await writeFile(file, `${JSON.stringify(record('a__a-3', { base_commit: 'ABCDEF1' }))}\n`);
    const { instances, problems } = await loadInstances(file);
    expect(problems).toEqual([]);
    expect(instances[0]?.base_commit).toBe('abcdef1');
  });

  it('reports a bad record with file, line and field and still loads the others', async () => {
    const file = path.join(dir, 'bad.jsonl');
    const lines = [
      JSON.stringify(record('b__b-1')),
      '{"instance_id": "broken json"',
      JSON.stringify(record('b__b-3', { FAIL_TO_PASS: 'not a list' })),
      JSON.stringify(record('b__b-4', { base_commit: 'xyz' })),
      JSON.stringify(record('b__b-1')),
    ];
    await writeFile(file, lines.join('\n'));
    const { instances, problems } = await loadInstances(file);
    expect(instances.map((i) => i.instance_id)).toEqual(['b__b-1']);
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [2, undefined],
      [3, 'FAIL_TO_PASS'],
      [4, 'base_commit'],
      [5, 'instance_id'],
    ]);
    expect(problems[0]?.message).toMatch(/invalid JSON/);
    expect(problems[3]?.message).toMatch(/duplicate instance_id b__b-1/);
    expect(formatProblem(problems[2]!)).toBe(`${file}:4: base_commit: must be a git commit hash`);
  });

  it('throws one InputError listing the problems when strict', async () => {
    const file = path.join(dir, 'bad.jsonl');
    const error = await loadInstances(file, { strict: true }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/^4 bad instance records: .*bad\.jsonl:2: invalid JSON/);
    expect((error as InputError).line).toBe(2);
  });

  it('reads a JSON array and reports a bad element by the line it starts on, with its field', async () => {
    const file = path.join(dir, 'arr.json');
    // Strings holding brackets, commas, braces and escaped quotes must not confuse the element scan.
    const tricky = record('c__c-1', { problem_statement: 'a "quoted" [x, y] {z}, \\ end\nnext' });
    const text = JSON.stringify([tricky, { instance_id: 'c__c-2' }, record('c__c-3')], null, 2);
    await writeFile(file, text);
    // The bad element's `{` is on the line before its instance_id.
    const start = text.split('\n').findIndex((l) => l.includes('"c__c-2"'));
    const { instances, problems } = await loadInstances(file);
    expect(instances.map((i) => i.instance_id)).toEqual(['c__c-1', 'c__c-3']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: start, instanceId: 'c__c-2', field: 'repo' });
    expect(formatProblem(problems[0]!)).toBe(`${file}:${start}: repo: ${problems[0]?.message}`);
  });

  it('finds the start line of every element of a JSON array, however it is laid out', () => {
    expect(arrayElementLines('[{"a": "]}[,"}, {"b": [1, {"c": "\\""}]},\n\n  {"d": 1}\n]')).toEqual([1, 1, 3]);
    expect(arrayElementLines('[\n  1,\n  "x,y",\n  [2, 3]\n]')).toEqual([2, 3, 4]);
    expect(arrayElementLines('[ ]')).toEqual([]);
  });

  it('reports a syntax error in a JSON array file as one problem', async () => {
    const file = path.join(dir, 'sub', 'broken.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '[\n{"a": 1},\n{"a": }\n]');
    const { instances, problems } = await loadInstances(file);
    expect(instances).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^invalid JSON: /);
    // Node 20 names no position; newer engines do, and then it must be the right line.
    if (problems[0]?.line !== undefined) expect(problems[0].line).toBe(3);
  });

  it('reads every *.jsonl and *.json of a directory in sorted order', async () => {
    const sub = path.join(dir, 'set');
    await mkdir(sub);
    await writeFile(path.join(sub, 'b.jsonl'), JSON.stringify(record('d__d-2')));
    await writeFile(path.join(sub, 'a.json'), JSON.stringify([record('d__d-1')]));
    await writeFile(path.join(sub, 'notes.txt'), 'ignored');
    const { instances, problems } = await loadInstances(sub);
    expect(problems).toEqual([]);
    expect(instances.map((i) => i.instance_id)).toEqual(['d__d-1', 'd__d-2']);
    expect(instances.every((i) => i.baseDir === sub)).toBe(true);
  });

  it('names a missing file or an empty directory', async () => {
    await expect(loadInstances(path.join(dir, 'nope.jsonl'))).rejects.toThrow(/nope\.jsonl does not exist/);
    const empty = path.join(dir, 'empty');
    await mkdir(empty);
    await expect(loadInstances(empty)).rejects.toThrow(/holds no \*\.jsonl, \*\.json or \*\.parquet instance files/);
  });

  it('loadInstance finds one id, or says it is unknown or invalid', async () => {
    const file = path.join(dir, 'bad.jsonl');
    expect((await loadInstance(file, 'b__b-1')).instance_id).toBe('b__b-1');
    await expect(loadInstance(file, 'zz__zz-1')).rejects.toThrow(/No instance zz__zz-1 in .*bad\.jsonl \(1 instances loaded; 4 problems, the first: .*bad\.jsonl:2: invalid JSON: /);
    await expect(loadInstance(file, 'b__b-3')).rejects.toThrow(/Instance b__b-3 is invalid: .*:3: FAIL_TO_PASS/);
  });

  it('loadInstance names the file-level problems when the id is not found', async () => {
    const file = path.join(dir, 'sub', 'broken.json');
    const err = await loadInstance(file, 'c__c-9').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/^No instance c__c-9 in .*broken\.json \(0 instances loaded; 1 problem, the first: .*broken\.json(:3)?: invalid JSON: .+\)\.$/);
  });
});

describe.skipIf(!haveShared)('real SWE-bench datasets', () => {
  it.each([
    ['SWE-bench_Verified.test.jsonl', 500],
    ['SWE-bench_Lite.test.jsonl', 300],
    ['SWE-bench_Lite.dev.jsonl', 23],
  ])('%s loads every record', async (name, count) => {
    const { instances, problems } = await loadInstances(path.join(datasets, name), { strict: true });
    expect(problems).toEqual([]);
    expect(instances).toHaveLength(count);
    expect(instances.every((i) => i.FAIL_TO_PASS.length > 0 && typeof i.eval_script === 'string')).toBe(true);
  });

  it('reports the Lite/Verified overlap as duplicates when the directory is loaded whole', async () => {
    const { instances, problems } = await loadInstances(datasets);
    expect(instances.length + problems.length).toBe(823);
    expect(problems.every((p) => p.field === 'instance_id' && /duplicate/.test(p.message))).toBe(true);
  });
});

describe('filterInstances', () => {
  it('filters by ids, repos and an id pattern together', async () => {
    const file = path.join(dir, 'filter.jsonl');
    await writeFile(
      file,
      [record('x__x-1'), record('x__x-2', { repo: 'pocket/other' }), record('y__y-10')].map((r) => JSON.stringify(r)).join('\n'),
    );
    const { instances } = await loadInstances(file);
    expect(filterInstances(instances, {}).length).toBe(3);
    expect(filterInstances(instances, { repos: ['pocket/demo'] }).map((i) => i.instance_id)).toEqual(['x__x-1', 'y__y-10']);
    expect(filterInstances(instances, { idPattern: '-1\\d' }).map((i) => i.instance_id)).toEqual(['y__y-10']);
    expect(filterInstances(instances, { ids: ['y__y-10', 'x__x-1'], idPattern: /^x/g }).map((i) => i.instance_id)).toEqual(['x__x-1']);
    expect(() => filterInstances(instances, { ids: ['x__x-9'] })).toThrow(/Unknown instance id: x__x-9/);
    expect(() => filterInstances(instances, { idPattern: '(' })).toThrow(InputError);
    expect(findInstance(instances, 'x__x-2').repo).toBe('pocket/other');
    expect(() => findInstance(instances, 'nope')).toThrow(/No instance nope among the 3 loaded/);
  });
});
