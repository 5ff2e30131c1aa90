import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.ts';
import { withoutBom } from './problems.ts';
import { TableBuilder, type ResolvedTable } from './resolved-table.ts';

/** The per-run summary the official harness writes beside its logs, `<model>.<run_id>.json` (schema 2). */
const summarySchema = z
  .object({
    resolved_ids: z.array(z.string()),
    unresolved_ids: z.array(z.string()),
    empty_patch_ids: z.array(z.string()).default([]),
    error_ids: z.array(z.string()).default([]),
  })
  .passthrough();
export type HarnessSummary = z.infer<typeof summarySchema>;

/** The summary a file holds, recognised by its keys; undefined when it is no summary (it may be another table). */
export function parseHarnessSummary(file: string, text: string): HarnessSummary | undefined {
  let json: unknown;
  try {
    json = JSON.parse(withoutBom(text));
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || !('resolved_ids' in json && 'unresolved_ids' in json))
    return undefined;
  const checked = summarySchema.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new InputError(
      `${file} is not a harness summary (${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'bad shape'}).`,
      file,
    );
  }
  return checked.data;
}

/**
 * One run per summary file, named by the file (`<model>.<run_id>`), resolved only: resolved_ids resolved,
 * unresolved_ids unresolved, empty_patch_ids no patch (unresolved), error_ids an infrastructure error. An
 * instance the summary does not list (incomplete_ids) has no value, as a gap in a table.
 */
export function summariesTable(summaries: readonly { file: string; summary: HarnessSummary }[]): ResolvedTable {
  const table = new TableBuilder();
  const names = new Map<string, string>();
  for (const { file, summary } of summaries) {
    const run = path.basename(file).replace(/\.json$/i, '');
    const other = names.get(run);
    if (other !== undefined)
      throw new InputError(
        `${other} and ${file} would both be run ${run}; give each summary file once, with distinct names.`,
        file,
      );
    names.set(run, file);
    const lists = [
      [summary.resolved_ids, 'resolved'],
      [summary.unresolved_ids, 'unresolved'],
      [summary.empty_patch_ids, 'empty_patch'],
      [summary.error_ids, 'error'],
    ] as const;
    for (const [ids, value] of lists) for (const id of ids) table.add(run, id, value, `${file}: ${id}`);
    if (lists.every(([ids]) => ids.length === 0))
      table.problems.push(`${file} lists no instance as resolved, unresolved, empty or in error; it is not a run.`);
  }
  return table.done('official-harness summary per run');
}
