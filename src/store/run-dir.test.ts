import { spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../errors.ts';
import { repoRoot } from '../paths.ts';
import { outcomes, unrollRecord } from '../../test/helpers/unroll-record.ts';
import { RunStoreError } from './errors.ts';
import { JsonlAppender } from './jsonl-append.ts';
import { artifactPath } from './layout.ts';
import { createRunDir, openRunDir, readRunJson, readUnrolls } from './run-dir.ts';
import { RunLockedError } from './run-lock.ts';
import { checkRunId, newRunId } from './run-id.ts';

let root: string;
const warnings: string[] = [];
const onWarning = (message: string): void => {
  warnings.push(message);
};

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'hotmess-store-'));
  warnings.length = 0;
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const record = (instance: string, unroll: number) =>
  unrollRecord({ instance_id: instance, unroll, tests: outcomes([unroll % 2], [1, 1]) });
const newRun = (runId = 'r1') => createRunDir({ root, runId, config: { model: 'sim' }, seeds: { base: 7 }, onWarning });

describe('run ids', () => {
  it('sort by creation time and differ within the same second', () => {
    const a = newRunId(new Date('2026-11-23T00:45:12.345Z'));
    const b = newRunId(new Date('2026-11-23T00:45:13.001Z'));
    expect(a).toMatch(/^20261123-004512-[0-9a-f]{6}$/);
    expect([b, a].sort()).toEqual([a, b]);
    expect(newRunId(new Date(0))).not.toBe(newRunId(new Date(0)));
  });

  it('accept safe user ids and refuse ones that are not a plain directory name', () => {
    expect(checkRunId('sonnet-4_try.2')).toBe('sonnet-4_try.2');
    for (const bad of ['', '../up', 'a/b', '.hidden', 'with space']) expect(() => checkRunId(bad)).toThrow(UsageError);
  });
});

describe('run directory', () => {
  it('is created with a valid run.json and is not created twice', async () => {
    const run = await newRun();
    expect(run.dir).toBe(path.join(root, 'r1'));
    const json = await readRunJson(run.dir);
    expect(json).toMatchObject({
      format: 'hotmess.run/1',
      run_id: 'r1',
      kind: 'run',
      seeds: { base: 7 },
      config: { model: 'sim' },
    });
    expect(json.versions.node).toBe(process.versions.node);
    expect(json.versions.hotmess).toMatch(/^\d+\.\d+\.\d+/);
    await expect(newRun()).rejects.toThrow(RunStoreError);
  });

  it('appears only with its run.json: a refused run.json names the field and leaves nothing behind', async () => {
    const bad = createRunDir({ root, runId: 'r1', config: {}, seeds: { base: 1.5 }, onWarning });
    await expect(bad).rejects.toThrow(InputError);
    await expect(bad).rejects.toThrow(/seeds\.base/);
    expect(await readdir(root)).toEqual([]);
    // An empty directory left by an older start does not block the run id.
    await mkdir(path.join(root, 'r1'));
    const run = await newRun();
    expect((await readRunJson(run.dir)).run_id).toBe('r1');
    expect((await readdir(root)).sort()).toEqual(['r1']);
  });

  it('refuses to open a directory without run.json, and a broken run.json', async () => {
    await expect(openRunDir(root)).rejects.toThrow(InputError);
    await expect(openRunDir(root)).rejects.toThrow(/not a hotmess run directory/);
    const run = await newRun();
    await writeFile(path.join(run.dir, 'run.json'), '{"format": "something else"}');
    await expect(openRunDir(run.dir)).rejects.toThrow(InputError);
  });

  it('round-trips unroll records, predictions and artifacts', async () => {
    const run = await newRun();
    await run.appendUnroll(record('a__a-1', 0));
    await run.appendUnrolls([record('a__a-1', 1), record('b__b-2', 0)]);
    await run.appendPredictions([
      { instance_id: 'a__a-1', model_name_or_path: 'sim', model_patch: 'diff --git a/x b/x\n', unroll: 0 },
    ]);
    const trajectory = await run.writeTrajectory('a__a-1', 0, { messages: [{ role: 'user', content: 'hi' }] });
    const patch = await run.writePatch('a__a-1', 0, 'diff --git a/x b/x\n');
    const log = await run.writeGradingLog('a__a-1', 0, 'PASSED x\n');
    await run.close();

    expect(trajectory).toBe(path.join(run.dir, 'trajectories', 'a__a-1', '0.json'));
    expect(patch).toBe(artifactPath(run.dir, 'patch', 'a__a-1', 0));
    expect(log).toBe(path.join(run.dir, 'grading', 'a__a-1', '0.log'));
    expect(JSON.parse(await readFile(trajectory, 'utf8'))).toEqual({ messages: [{ role: 'user', content: 'hi' }] });
    expect(await readFile(patch, 'utf8')).toBe('diff --git a/x b/x\n');
    const predictions = (await readFile(path.join(run.dir, 'predictions.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(predictions).toEqual([
      { instance_id: 'a__a-1', model_name_or_path: 'sim', model_patch: 'diff --git a/x b/x\n', unroll: 0 },
    ]);

    const read = await readUnrolls(run.dir);
    expect(read.records).toEqual([record('a__a-1', 0), record('a__a-1', 1), record('b__b-2', 0)]);
    expect(read.problems).toEqual([]);
    expect(read.warnings).toEqual([]);
  });

  it('refuses invalid records and instance ids that would leave the run directory', async () => {
    const run = await newRun();
    await expect(run.appendUnroll({ ...record('a', 0), actions: -1 })).rejects.toThrow(/actions/);
    await expect(run.writePatch('../escape', 0, 'x')).rejects.toThrow(InputError);
    await run.close();
    expect((await readUnrolls(run.dir)).records).toEqual([]);
  });

  it('reports bad lines by number and keeps the good ones', async () => {
    const run = await newRun();
    await run.appendUnrolls([record('a', 0), record('a', 1)]);
    await run.close();
    const file = path.join(run.dir, 'unrolls.jsonl');
    await appendFile(file, 'not json\n{"instance_id": "a"}\n');
    await appendFile(file, `${JSON.stringify(record('a', 2))}\n`);
    const read = await readUnrolls(run.dir);
    expect(read.records.map((r) => r.unroll)).toEqual([0, 1, 2]);
    expect(read.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(read.problems[0]?.message).toMatch(/not valid JSON/);
    expect(read.problems[1]?.message).toMatch(/field/);
    expect(read.warnings).toHaveLength(2);
  });

  it('keeps one record per unroll: a completed retry replaces an infrastructure error', async () => {
    const run = await newRun();
    const failed = { ...record('a', 0), infra_error: 'sandbox died' };
    await run.appendUnrolls([
      failed,
      record('a', 1),
      record('a', 0),
      { ...record('a', 1), infra_error: 'late duplicate' },
    ]);
    await run.close();
    const read = await readUnrolls(run.dir);
    expect(read.records).toEqual([record('a', 1), record('a', 0)]);
    expect(read.duplicates).toBe(2);
  });

  it('replaces the line of an unroll run again, keeping one line per unroll, and appends after it as before', async () => {
    const run = await newRun();
    const failed = { ...record('a', 1), infra_error: 'model_error: down' };
    await run.appendUnrolls([record('a', 0), failed, record('a', 2)]);
    const before = (await readFile(path.join(run.dir, 'unrolls.jsonl'), 'utf8')).split('\n');
    const again = { ...failed, attempts: 2, infra_error: 'model_error: still down' };
    // Appends queued around the replacement land in the new file, none lost and none interleaved.
    await Promise.all([run.replaceUnroll(again), run.appendUnroll(record('a', 3)), run.replaceUnroll(record('a', 1))]);
    await run.appendUnroll(record('a', 4));
    await run.close();
    const lines = (await readFile(path.join(run.dir, 'unrolls.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.slice(0, 2)).toEqual([before[0], before[2]]);
    const read = await readUnrolls(run.dir);
    expect(read.duplicates).toBe(0);
    expect(read.records).toEqual([record('a', 0), record('a', 2), record('a', 3), record('a', 1), record('a', 4)]);
    expect(lines).toHaveLength(5);
  });
});

describe('torn last line', () => {
  it('is ignored on read, then repaired before the next append', async () => {
    const run = await newRun();
    await run.appendUnrolls([record('a', 0), record('a', 1)]);
    await run.close();
    const file = path.join(run.dir, 'unrolls.jsonl');
    const torn = JSON.stringify(record('a', 2)).slice(0, 57);
    await appendFile(file, torn);

    const before = await readUnrolls(run.dir);
    expect(before.records.map((r) => r.unroll)).toEqual([0, 1]);
    expect(before.problems).toEqual([]);
    expect(before.tornTail).toEqual({ line: 3, bytes: 57 });
    expect(before.warnings.join()).toMatch(/torn last line/);

    const reopened = await openRunDir(run.dir, { onWarning });
    await reopened.appendUnroll(record('a', 2));
    await reopened.close();
    expect(warnings.join()).toMatch(/removed a torn last line/);
    expect(await readFile(`${file}.torn`, 'utf8')).toBe(`${torn}\n`);
    const after = await readUnrolls(run.dir);
    expect(after.records.map((r) => r.unroll)).toEqual([0, 1, 2]);
    expect(after.tornTail).toBeNull();
    expect(after.problems).toEqual([]);
  });

  it('that is complete JSON only gets its newline back', async () => {
    const file = path.join(root, 'x.jsonl');
    await writeFile(file, '{"a":1}\n{"a":2}');
    const appender = await JsonlAppender.open(file, { onWarning });
    await appender.append({ a: 3 });
    await appender.close();
    expect(await readFile(file, 'utf8')).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
    expect(warnings).toEqual([`${file}: the last line had no newline; added one.`]);
  });

  it('larger than the backwards read chunk is cut at its start', async () => {
    const file = path.join(root, 'big.jsonl');
    const tail = `{"x":"${'y'.repeat(200_000)}`;
    await writeFile(file, `{"a":1}\n${tail}`);
    const appender = await JsonlAppender.open(file, { onWarning });
    await appender.append({ a: 2 });
    await appender.close();
    expect(await readFile(file, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect((await stat(`${file}.torn`)).size).toBe(tail.length + 1);
  });
});

describe('predictions.jsonl', () => {
  it('is reconciled to one line per clean record: orphans and repeats dropped, missing lines restored from patches/', async () => {
    const run = await newRun();
    const clean = [record('a', 0), record('a', 1), record('b', 0)];
    const failed = {
      ...record('b', 1),
      infra_error: 'model_error: down',
      stop_reason: 'model_error' as const,
      tests: [],
    };
    await run.appendUnrolls([...clean, failed]);
    const prediction = (instance: string, unroll: number, patch: string) => ({
      instance_id: instance,
      model_name_or_path: 'sim',
      model_patch: patch,
      unroll,
    });
    // a/0 twice (a rerun after a kill), a/1 missing (its patch is on disk), b/1 an infra failure, c/0 never recorded.
    await run.appendPredictions([
      prediction('a', 0, 'p-a0'),
      prediction('b', 0, 'p-b0'),
      prediction('a', 0, 'p-a0'),
      prediction('b', 1, 'p-b1'),
      prediction('c', 0, 'p-c0'),
    ]);
    await run.writePatch('a', 1, 'p-a1');
    expect(await run.reconcilePredictions(clean.concat(failed))).toEqual({ removed: 3, added: 1 });
    await run.appendPredictions([prediction('b', 2, 'p-b2')]);
    await run.close();
    const lines = (await readFile(path.join(run.dir, 'predictions.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { instance_id: string; unroll: number; model_patch: string });
    expect(lines.map((p) => `${p.instance_id}/${p.unroll}=${p.model_patch}`)).toEqual([
      'a/0=p-a0',
      'a/1=p-a1',
      'b/0=p-b0',
      'b/2=p-b2',
    ]);
    const again = await openRunDir(run.dir, { onWarning });
    expect(await again.reconcilePredictions(clean.concat(failed))).toEqual({ removed: 1, added: 0 });
    await again.close();
  });
});

describe('concurrent appends', () => {
  it('from many async writers in one process never interleave', async () => {
    const run = await newRun();
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let u = 0; u < 25; u++) await run.appendUnroll(record(`task-${w}`, u));
      })(),
    );
    await Promise.all(writers);
    await run.close();
    const read = await readUnrolls(run.dir);
    expect(read.problems).toEqual([]);
    expect(read.records).toHaveLength(200);
    expect(new Set(read.records.map((r) => `${r.instance_id}/${r.unroll}`)).size).toBe(200);
  });

  it('are refused to a second writer of a run open in this process, until it is closed', async () => {
    const run = await newRun();
    await expect(openRunDir(run.dir, { onWarning })).rejects.toThrow(RunLockedError);
    await run.close();
    const again = await openRunDir(run.dir, { onWarning });
    await again.appendUnroll(record('a', 0));
    await again.close();
    expect(warnings).toEqual([]);
    expect((await readUnrolls(run.dir)).records).toHaveLength(1);
  });

  it('from another process are refused while a writer lives; a killed writer loses no whole line and its lock is taken over', async () => {
    const run = await newRun();
    await run.close();
    const script = path.join(root, 'writer.mts');
    await writeFile(
      script,
      `import { openRunDir } from ${JSON.stringify(path.join(repoRoot, 'src/store/run-dir.ts'))};
const [dir, name, count] = process.argv.slice(2);
let run;
try {
  run = await openRunDir(dir, { onWarning: (m) => process.stderr.write('warning: ' + m + '\\n') });
} catch (err) {
  process.stderr.write(err.name + ': ' + err.message + '\\n');
  process.exit(7);
}
const tests = Array.from({ length: 40 }, (_, j) => ({ id: 'tests/test_x.py::test_' + j, category: 'PASS_TO_PASS', status: 'PASSED', pass: true }));
for (let u = 0; u < Number(count); u++) {
  await run.appendUnroll({ run_id: 'r1', instance_id: name, unroll: u, seed: u, model: 'm', stop_reason: 'submitted', grading_status: 'graded',
    tests, resolution: 'FULL', infra_error: null, actions: 1, turns: 1, messages: 2, input_tokens: 1, output_tokens: 1, reasoning_tokens: 0,
    cost_usd: 0, wall_ms: 1, attempts: 1, patch_bytes: 0, started_at: '', finished_at: '' });
  if (u === 0) process.stdout.write('started\\n');
}
await run.close();
`,
    );
    const child = (name: string, count: number) => {
      const p = spawn(process.execPath, ['--import', 'tsx', script, run.dir, name, String(count)], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      p.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const closed = new Promise<{ code: number | null; stderr: string }>((resolve) =>
        p.on('close', (code) => resolve({ code, stderr })),
      );
      return { p, closed };
    };
    const endless = child('killed', 1_000_000);
    await new Promise<void>((resolve) => endless.p.stdout.once('data', () => resolve()));

    const refused = await child('p0', 60).closed;
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(new RegExp(`RunLockedError: Run .* is being written by process ${endless.p.pid} `));

    endless.p.kill('SIGKILL');
    await endless.closed;
    const after = [];
    for (const name of ['p1', 'p2']) after.push(await child(name, 60).closed);
    expect(after.map((r) => r.code)).toEqual([0, 0]);
    expect(after[0]?.stderr).toMatch(new RegExp(`took over the lock of process ${endless.p.pid}, which is gone`));
    expect(after[1]?.stderr).toBe('');

    const read = await readUnrolls(run.dir);
    expect(read.problems).toEqual([]);
    const by = (name: string) => read.records.filter((r) => r.instance_id === name).map((r) => r.unroll);
    expect(by('p0')).toEqual([]);
    for (const name of ['p1', 'p2']) expect(by(name)).toEqual(Array.from({ length: 60 }, (_, u) => u));
    const killed = by('killed');
    expect(killed.length).toBeGreaterThan(0);
    expect(killed).toEqual(Array.from({ length: killed.length }, (_, u) => u));
  }, 60_000);
});
