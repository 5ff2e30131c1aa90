import path from 'node:path';
import { InputError } from '../errors.ts';
import { runFiles } from '../store/layout.ts';
import { readRunJson, readUnrolls } from '../store/run-dir.ts';
import type { RunJson } from '../store/run-json.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';
import { resolveRunDir } from '../store/resolve-run.ts';
import { readExpected, type ExpectedFile } from './expected.ts';

/** A run directory read back for reporting. */
export interface LoadedRun {
  readonly dir: string;
  readonly run: RunJson;
  readonly records: UnrollRecord[];
  /** The store's warnings about unrolls.jsonl (bad lines, torn tail, duplicates). */
  readonly warnings: string[];
  /** expected.json of a simulated run, when present. */
  readonly expected: ExpectedFile | null;
  /** Milliseconds spent reading and validating unrolls.jsonl. */
  readonly readMs: number;
}

/**
 * Reads run.json, unrolls.jsonl and expected.json of a run directory (a path, or a run id under logs/). A missing
 * directory, a directory that is not a run, and a run with no usable unroll record each fail with one sentence.
 */
export async function loadRun(dir: string): Promise<LoadedRun> {
  const resolved = await resolveRunDir(dir);
  const run = await readRunJson(resolved);
  const started = performance.now();
  const unrolls = await readUnrolls(resolved);
  const readMs = performance.now() - started;
  if (unrolls.records.length === 0) {
    const file = path.join(resolved, runFiles.unrolls);
    const first = unrolls.problems[0];
    if (first !== undefined) {
      throw new InputError(
        `${file} holds no valid unroll record: all ${unrolls.problems.length} line(s) are bad (line ${first.line}: ${first.message}).`,
        file,
        first.line,
      );
    }
    throw new InputError(
      `Run ${run.run_id} has no unroll records yet (${file} is missing or empty): nothing to report.`,
      file,
    );
  }
  const expected = await readExpected(resolved);
  return { dir: resolved, run, records: unrolls.records, warnings: unrolls.warnings, expected, readMs };
}
