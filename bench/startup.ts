import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { repoRoot } from '../src/paths.ts';
import { fmtMs, row, summarize, type Summary } from './util.ts';

export interface StartupBenchOptions {
  /** Timed runs of each command; they are interleaved, so that a busy moment of the machine hits all alike. */
  readonly repeats?: number;
}

const swebench = path.resolve(repoRoot, '../shared/swebench');
const verified = path.join(swebench, 'datasets/SWE-bench_Verified.test.jsonl');
const oneLog = path.join(swebench, 'harness-logs/20240620_sweagent_claude3.5sonnet__verified/django__django-11099');
const harnessLogs = path.join(swebench, 'harness-logs');
const datasets = ['SWE-bench_Verified.test.jsonl', 'SWE-bench_Lite.test.jsonl', 'SWE-bench_Lite.dev.jsonl'];

/**
 * The CLI's start-up, as processes: bare `node -e ''` (the baseline), `hotmess --help`, and `hotmess grade` of one
 * log, each spawned `repeats` times in turn; then `hotmess grade` of every official-harness log in
 * ../shared/swebench/harness-logs (about 430) in one process. Goals (issue 8): --help ≤ 2× bare node, grade of
 * one log ≤ 0.3 s. dist/ is built first if stale, as set-up does: the figures are those of the shipped CLI.
 */
export async function benchStartup(opts: StartupBenchOptions = {}): Promise<Record<string, number>> {
  const repeats = opts.repeats ?? 15;
  await execa('node', [path.join(repoRoot, 'scripts/build.js'), '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
  const bin = path.join(repoRoot, 'bin/hotmess.js');
  const haveShared = existsSync(verified);
  const commands: Record<string, string[]> = {
    "node -e ''": ['-e', ''],
    'hotmess --help': [bin, '--help'],
    ...(haveShared
      ? {
          'hotmess grade (one log)': [
            bin,
            'grade',
            '--instances',
            verified,
            '--instance-id',
            'django__django-11099',
            path.join(oneLog, 'test_output.txt'),
          ],
        }
      : {}),
  };
  if (!haveShared) console.log(`  (grade figures skipped: ${swebench} is absent)`);
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < repeats + 1; i++) {
    for (const [label, args] of Object.entries(commands)) {
      const t = performance.now();
      await execa('node', args, { cwd: repoRoot });
      // The first round warms the file cache and is not counted.
      if (i > 0) times[label]!.push(performance.now() - t);
    }
  }
  const s: Record<string, Summary> = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summarize(v)]));
  for (const [label, summary] of Object.entries(s)) console.log(row(label, summary));
  const node = s["node -e ''"]!.median;
  const help = s['hotmess --help']!.median;
  const results: Record<string, number> = { nodeMs: node, helpMs: help, helpOverNode: help / node };
  console.log(
    `  ratio hotmess --help / bare node: ${(help / node).toFixed(2)}x; ${help / node <= 2 ? 'meets' : 'MISSES'} the goal of ≤ 2x`,
  );
  const grade = s['hotmess grade (one log)'];
  if (grade) {
    results.gradeOneMs = grade.median;
    results.gradeOneOverNode = grade.median / node;
    console.log(
      `  hotmess grade of one log: ${fmtMs(grade.median)} (${(grade.median / node).toFixed(2)}x bare node); ` +
        `${grade.median <= 300 ? 'meets' : 'MISSES'} the goal of ≤ 0.3 s`,
    );
    const instances = datasets.flatMap((d) => ['--instances', path.join(swebench, 'datasets', d)]);
    const t = performance.now();
    const many = await execa('node', [bin, 'grade', ...instances, harnessLogs], { cwd: repoRoot, reject: false });
    const manyMs = performance.now() - t;
    const logs = many.stdout.split('\n').filter(Boolean).length;
    console.log(
      `  hotmess grade of ${logs} harness logs in one process: ${fmtMs(manyMs)} (${fmtMs(manyMs / logs)} per log)`,
    );
    console.log(`    ${many.stderr.trim().split('\n').at(-1)}`);
    Object.assign(results, { gradeManyLogs: logs, gradeManyMs: manyMs, gradeManyPerLogMs: manyMs / logs });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchStartup();
}
