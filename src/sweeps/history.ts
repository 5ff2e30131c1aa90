import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../errors.ts';
import { RunStoreError } from '../store/errors.ts';
import { parseJsonl } from '../store/read-jsonl.ts';
import { thresholdNames } from './schema.ts';

const estimate = z.object({ value: z.number().nullable(), lo: z.number().nullable(), hi: z.number().nullable() });
const threshold = z.union([z.object({ drop: z.number() }), z.object({ rise: z.number() })]);

export const historyFigureNames = [
  'resolve_rate',
  'test_pass_rate',
  'error',
  'bias2',
  'variance',
  'incoherence',
] as const;
export type HistoryFigureName = (typeof historyFigureNames)[number];

/** One line of logs/sweeps/<name>/history.jsonl: one cell of one sweep. */
export const historyLineSchema = z.object({
  format: z.literal('hotmess.sweep-history/1'),
  sweep: z.string(),
  sweep_id: z.string(),
  /** When the sweep started (ISO 8601). */
  date: z.string(),
  finished_at: z.string(),
  cell: z.string(),
  /** The cell's run directory, relative to logs/sweeps/<name>/. */
  run_dir: z.string(),
  /** `git rev-parse HEAD` of the task set's directory, null when it is not in a git work tree. */
  tasks_revision: z.string().nullable(),
  /** sha256 of the selected instance records (ids, commits, patches and test lists). */
  task_set_hash: z.string(),
  instances: z.string(),
  model: z.string(),
  settings: z.record(z.string(), z.unknown()),
  unrolls: z.number().int(),
  seed: z.number().int(),
  tasks: z.number().int(),
  figures: z.object(
    Object.fromEntries(historyFigureNames.map((n) => [n, estimate])) as Record<HistoryFigureName, typeof estimate>,
  ),
  reliability: z.object({
    k: z.array(z.number().int()),
    pass_at_k: z.array(z.number()),
    pass_hat_k: z.array(z.number()),
    flip_share: z.number(),
  }),
  /** The paired comparison with the same cell of the previous sweep; null on the first night. */
  comparison: z
    .object({
      against: z.string(),
      tasks: z.number().int(),
      level: z.number(),
      figures: z.record(z.string(), estimate.extend({ correlation: z.number().nullable() })),
    })
    .nullable(),
  verdict: z.enum(['regression', 'ok', 'no_baseline']),
  breaches: z.array(
    z.object({
      scope: z.union([
        z.literal('overall'),
        z.object({ bucket: z.number().int(), range: z.tuple([z.number(), z.number()]) }),
      ]),
      figure: z.enum(thresholdNames),
      threshold,
      diff: z.number(),
      lo: z.number(),
      hi: z.number(),
      p: z.number(),
      worstBucket: z
        .object({ bucket: z.number().int(), range: z.tuple([z.number(), z.number()]), diff: z.number() })
        .nullable(),
    }),
  ),
});
export type HistoryLine = z.output<typeof historyLineSchema>;

export function historyFile(sweepRoot: string): string {
  return path.join(sweepRoot, 'history.jsonl');
}

/** Every valid line, in file order; a line that does not parse is named in `problems` and left out. */
export async function readHistory(sweepRoot: string): Promise<{ lines: HistoryLine[]; problems: string[] }> {
  const file = historyFile(sweepRoot);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], problems: [] };
    throw new RunStoreError(`Cannot read ${file} (${errorMessage(err)}).`, file, err);
  }
  const read = parseJsonl(text, historyLineSchema);
  return {
    lines: read.values,
    problems: read.problems.map((p) => `${file}:${p.line}: ${p.message}`),
  };
}

/**
 * Adds a sweep's lines, replacing any this sweep wrote before (a sweep resumed after it had started writing
 * them), through a temporary file renamed into place so that a reader never sees half a history.
 */
export async function recordHistory(sweepRoot: string, added: readonly HistoryLine[]): Promise<void> {
  const file = historyFile(sweepRoot);
  const ids = new Set(added.map((l) => l.sweep_id));
  const kept = (await readHistory(sweepRoot)).lines.filter((l) => !ids.has(l.sweep_id));
  const text = [...kept, ...added].map((l) => JSON.stringify(l)).join('\n');
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(sweepRoot, { recursive: true });
    await writeFile(tmp, text.length > 0 ? `${text}\n` : '');
    await rename(tmp, file);
  } catch (err) {
    throw new RunStoreError(`Cannot write ${file} (${errorMessage(err)}).`, file, err);
  }
}

/** The latest line of `cell` from a sweep other than `sweepId`: the baseline of the nightly comparison. */
export function previousOf(lines: readonly HistoryLine[], cell: string, sweepId: string): HistoryLine | undefined {
  return lines.filter((l) => l.cell === cell && l.sweep_id !== sweepId).at(-1);
}
