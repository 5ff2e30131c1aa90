import type { z } from 'zod';

/** A line that could not be used, by its 1-based number in the file. */
export interface LineProblem {
  readonly line: number;
  readonly message: string;
}

export interface JsonlRead<T> {
  readonly values: T[];
  /** Line number of each value, in the same order. */
  readonly lineNumbers: number[];
  readonly problems: LineProblem[];
  /** A last line without its newline that is not valid JSON: the trace of a killed writer, left out. */
  readonly tornTail: { readonly line: number; readonly bytes: number } | null;
}

/**
 * Parses JSONL text, validating every line with `schema`. Blank lines are skipped; a bad line is reported by
 * number and left out; a torn last line (no newline, not JSON) is reported separately, not as bad data.
 */
export function parseJsonl<S extends z.ZodType>(text: string, schema: S): JsonlRead<z.output<S>> {
  const values: z.output<S>[] = [];
  const lineNumbers: number[] = [];
  const problems: LineProblem[] = [];
  let tornTail: JsonlRead<unknown>['tornTail'] = null;
  const lines = text.split('\n');
  const unterminated = !text.endsWith('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') continue;
    const line = i + 1;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      if (unterminated && i === lines.length - 1) {
        tornTail = { line, bytes: Buffer.byteLength(raw) };
        continue;
      }
      problems.push({ line, message: `not valid JSON (${(err as Error).message})` });
      continue;
    }
    const checked = schema.safeParse(json);
    if (!checked.success) {
      problems.push({ line, message: describeIssue(checked.error) });
      continue;
    }
    values.push(checked.data);
    lineNumbers.push(line);
  }
  return { values, lineNumbers, problems, tornTail };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'does not match the schema';
  const where = issue.path.length > 0 ? `field ${issue.path.join('.')}: ` : '';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : '';
  return `${where}${issue.message}${more}`;
}
