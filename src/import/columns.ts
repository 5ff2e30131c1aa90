/** One column (run) of a resolved table as imported: unroll k of every task comes from column k. */
export interface ImportedColumn {
  readonly name: string;
  /** Unrolls it gave (tasks without a value included when they are counted unresolved). */
  readonly unrolls: number;
  /** Tasks the table gives a value for in this column. */
  readonly tasks: number;
}

/**
 * The configuration a column name belongs to, as multi-run tables name them: the name up to its first
 * separator (`i0_run3` → `i0`, `openhands_opus_4_5` → `openhands`), or a name without one less its trailing
 * repeat number (`run3` → `run`; `i1c` stays).
 */
export function columnPrefix(name: string): string {
  const at = name.search(/[_\-. ]/);
  if (at > 0) return name.slice(0, at);
  const stripped = name.replace(/\d+$/, '');
  return stripped === '' ? name : stripped;
}

/**
 * A one-sentence warning when the columns imported by default look like more than one configuration (a baseline
 * beside perturbed variants, or different agents): they differ in how many tasks they cover, or their names have
 * more than one prefix. Null when they look like repeats of one configuration.
 */
export function mixedColumnsWarning(columns: readonly ImportedColumn[]): string | null {
  if (columns.length < 2) return null;
  const groups = new Map<string, string[]>();
  for (const { name } of columns) {
    const prefix = columnPrefix(name);
    groups.set(prefix, [...(groups.get(prefix) ?? []), name]);
  }
  const counts = columns.map((c) => c.tasks);
  const [low, high] = [Math.min(...counts), Math.max(...counts)];
  const reasons: string[] = [];
  if (groups.size > 1) reasons.push(`their names have ${groups.size} prefixes (${[...groups.keys()].join(', ')})`);
  if (low !== high) reasons.push(`they cover between ${low} and ${high} tasks`);
  if (reasons.length === 0) return null;
  const largest = [...groups.values()].reduce((a, b) => (b.length > a.length ? b : a));
  const example = largest.length > 1 && groups.size > 1 ? largest : columns.slice(0, 3).map((c) => c.name);
  return (
    `All ${columns.length} columns were imported as unrolls of one agent, but ${reasons.join(' and ')}, so they may be several configurations: ` +
    `pick one with --runs a,b,c (e.g. --runs ${example.join(',')}).`
  );
}
