import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Rng } from '../../src/util/rng.ts';
import { syntheticRecords, type SyntheticRunOptions } from '../../src/stats/synthetic.ts';
import { createRunDir } from '../../src/store/run-dir.ts';
import type { TestOutcome, UnrollRecord } from '../../src/store/unroll-record.ts';

export interface FixtureRun {
  readonly dir: string;
  readonly records: UnrollRecord[];
}

/** A run directory written through src/store: run.json from `config`, unrolls.jsonl from `records`. */
export async function writeRun(
  root: string,
  runId: string,
  records: readonly UnrollRecord[],
  config: Record<string, unknown> = {},
): Promise<FixtureRun> {
  const run = await createRunDir({ root, runId, config, seeds: { base: 7 }, onWarning: () => undefined });
  await run.appendUnrolls(records);
  await run.close();
  return { dir: run.dir, records: [...records] };
}

/** A synthetic run (src/stats/synthetic.ts) of a real-looking model. */
export function syntheticRun(
  root: string,
  runId: string,
  options: Omit<SyntheticRunOptions, 'runId'>,
  model = 'anthropic:claude-test',
): Promise<FixtureRun> {
  const records = syntheticRecords({ ...options, runId }).map((r) => ({ ...r, model }));
  return writeRun(root, runId, records, {
    model,
    instancesSource: 'instances/test.jsonl',
    unrolls: options.unrolls,
    limits: { maxActions: 60 },
  });
}

/**
 * A run "on the simulated agent" with known per-test pass probabilities, and its expected.json: task t has
 * tests passing independently with probability p_tj and a length that grows with t, so the exact expected
 * figures are mean(1 − p), mean(p(1 − p)) and Π p.
 */
export async function simulatedRun(
  root: string,
  runId: string,
  tasks: number,
  unrolls: number,
  seed = 1,
): Promise<FixtureRun & { probabilities: number[][] }> {
  const rng = Rng.fromSeed(seed);
  const probabilities: number[][] = [];
  const records: UnrollRecord[] = [];
  for (let t = 0; t < tasks; t++) {
    const p = [0.2 + 0.6 * rng.next(), 0.5 + 0.5 * rng.next(), 0.9 + 0.1 * rng.next(), 1];
    probabilities.push(p);
    for (let u = 0; u < unrolls; u++) {
      const tests = p.map((pj, j): TestOutcome => {
        const pass = rng.next() < pj;
        return {
          id: `t${j}`,
          category: j < 2 ? 'FAIL_TO_PASS' : 'PASS_TO_PASS',
          status: pass ? 'PASSED' : 'FAILED',
          pass,
        };
      });
      const actions = 5 + 3 * t + rng.int(4);
      records.push({
        run_id: runId,
        instance_id: `sim__task-${String(t).padStart(2, '0')}`,
        unroll: u,
        seed: u,
        model: 'sim',
        stop_reason: 'submitted',
        grading_status: 'graded',
        tests,
        resolution: tests.every((x) => x.pass) ? 'FULL' : 'NO',
        infra_error: null,
        actions,
        turns: actions + 1,
        messages: 2 * actions + 2,
        input_tokens: 100 * actions,
        output_tokens: 40 * actions,
        reasoning_tokens: 0,
        cost_usd: 0,
        wall_ms: 10,
        attempts: 1,
        patch_bytes: 100,
        started_at: '2026-01-01T00:00:00.000Z',
        finished_at: '2026-01-01T00:00:01.000Z',
      });
    }
  }
  const run = await writeRun(root, runId, records, { model: 'sim', instancesSource: 'instances/pocket', unrolls });
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const expected = {
    format: 'hotmess.expected/1',
    actionLimit: 124,
    tasks: probabilities.map((p, t) => ({
      instanceId: `sim__task-${String(t).padStart(2, '0')}`,
      actionLimit: 124,
      expectedExecutedActions: 6.5 + 3 * t,
      limitHitProbability: 0,
      resolveProbability: p.reduce((a, b) => a * b, 1),
      tests: p.map((pass, j) => ({ id: `t${j}`, category: j < 2 ? 'FAIL_TO_PASS' : 'PASS_TO_PASS', pass })),
      error: mean(p.map((x) => 1 - x)),
      bias2: mean(p.map((x) => (1 - x) ** 2)),
      variance: mean(p.map((x) => x * (1 - x))),
    })),
  };
  await writeFile(path.join(run.dir, 'expected.json'), JSON.stringify(expected));
  return { ...run, probabilities };
}

/** The `<svg data-chart="…">` element of a chart in a report page. */
export function chartSvg(html: string, chart: string): string {
  const start = html.indexOf(`<svg xmlns="http://www.w3.org/2000/svg" data-chart="${chart}"`);
  if (start < 0) throw new Error(`chart ${chart} is not in the page`);
  return html.slice(start, html.indexOf('</svg>', start) + 6);
}

/** How many marks of a kind (data-mark, plus optional extra attribute text) a chart holds. */
export function countMarks(html: string, chart: string, mark: string, extra = ''): number {
  const re = new RegExp(`data-mark="${mark}"${extra ? ` ${extra}` : ''}`, 'g');
  return chartSvg(html, chart).match(re)?.length ?? 0;
}
