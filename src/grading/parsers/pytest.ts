import { parsedStatuses, type ParseOptions, type StatusMap } from '../status.ts';
import { beforeFirst, logLines, pyNonWhitespaceClass, pySplit, pyWhitespaceClass } from './text.ts';

/** pytest's `SKIPPED [2] path:85: reason` summary line: v5 ignores the bogus `[2]` id it would give. */
const skipSummaryId = /^\[\d+\]$/;

function startsWithStatus(line: string): boolean {
  return parsedStatuses.some((status) => line.startsWith(status));
}

function endsWithStatus(line: string): boolean {
  return parsedStatuses.some((status) => line.endsWith(status));
}

function isSkipSummary(status: string, id: string, options: ParseOptions): boolean {
  return options.era === 'v5' && status === 'SKIPPED' && skipSummaryId.test(id);
}

/**
 * A `-rA` short-summary line `STATUS id [- message]` as (id, status), ids cut at the first whitespace
 * (PARSERS.md §3.1), or undefined when the line is not one.
 */
function summaryEntry(rawLine: string, options: ParseOptions): [string, string] | undefined {
  if (!startsWithStatus(rawLine)) return undefined;
  const line = rawLine.startsWith('FAILED') ? rawLine.replaceAll(' - ', ' ') : rawLine;
  const [status, id] = pySplit(line);
  if (status === undefined || id === undefined || isSkipSummary(status, id, options)) return undefined;
  return [id, status];
}

/** parse_log_pytest (§3.1): pytest `-rA` summary lines; also xarray, flask, astroid, marshmallow, pvlib, pyvista, sqlfluff. */
export function parseLogPytest(log: string, options: ParseOptions): StatusMap {
  const map: StatusMap = new Map();
  for (const line of logLines(log)) {
    const entry = summaryEntry(line, options);
    if (entry) map.set(...entry);
  }
  return map;
}

/**
 * parse_log_pytest_options (§3.2): as parse_log_pytest, but an absolute path inside a parametrisation bracket is
 * shortened to `/<basename>` so temp-dir ids match the dataset (requests, pylint, pydicom).
 */
export function parseLogPytestOptions(log: string, options: ParseOptions): StatusMap {
  const map: StatusMap = new Map();
  for (const line of logLines(log)) {
    const entry = summaryEntry(line, options);
    if (entry) map.set(normaliseOption(entry[0]), entry[1]);
  }
  return map;
}

const optionPattern = /^([^\n]*?)\[([^\n]*)\]/u;

function normaliseOption(id: string): string {
  // Python's re.search with `(.*?)\[(.*)\]`: the first `[` that has a later `]`, greedy to the last `]`.
  const match = optionPattern.exec(id);
  if (!match) return id;
  const main = match[1] ?? '';
  let option = match[2] ?? '';
  if (option.startsWith('/') && !option.startsWith('//') && !option.includes('*')) {
    option = `/${option.split('/').at(-1) ?? ''}`;
  }
  return `${main}[${option}]`;
}

const ansiRemnant = /\[\p{Nd}+m/gu;
// eslint-disable-next-line no-control-regex -- deleting control characters is the point
const controlChars = /[\x01-\x1f]/g;

/**
 * parse_log_pytest_v2 (§3.3; astropy, scikit-learn, sphinx): strips ANSI remnants and control characters, then
 * reads `STATUS id` lines and also `id STATUS` lines (`pytest -v` classic output of old astropy).
 * v5 keeps ids with spaces whole, drops the message of a FAILED line and ignores skip summaries.
 */
export function parseLogPytestV2(log: string, options: ParseOptions): StatusMap {
  const map: StatusMap = new Map();
  for (const rawLine of logLines(log)) {
    const line = rawLine.replace(ansiRemnant, '').replace(controlChars, '');
    if (startsWithStatus(line)) {
      const entry = options.era === 'v5' ? v5LeadingStatus(line) : summaryEntry(line, options);
      if (entry) map.set(...entry);
    } else if (endsWithStatus(line)) {
      const tokens = pySplit(line);
      if (tokens.length < 2) continue;
      if (options.era === 'v5') map.set(tokens.slice(0, -1).join(' '), tokens.at(-1) ?? '');
      else map.set(tokens[0] ?? '', tokens[1] ?? '');
    }
  }
  return map;
}

function v5LeadingStatus(line: string): [string, string] | undefined {
  const text = line.startsWith('FAILED') ? beforeFirst(line, ' - ') : line;
  const [status, ...rest] = pySplit(text);
  if (status === undefined || rest[0] === undefined || isSkipSummary(status, rest[0], { era: 'v5' })) return undefined;
  return [rest.join(' '), status];
}

/** parse_log_matplotlib (§3.4): parse_log_pytest after spelling MouseButton members as the dataset ids do. */
export function parseLogMatplotlib(log: string, options: ParseOptions): StatusMap {
  const map: StatusMap = new Map();
  for (const rawLine of logLines(log)) {
    const line = rawLine.replaceAll('MouseButton.LEFT', '1').replaceAll('MouseButton.RIGHT', '3');
    const entry = summaryEntry(line, options);
    if (entry) map.set(...entry);
  }
  return map;
}

/**
 * parse_log_seaborn (§3.5): only FAILED and PASSED are recorded, from summary lines and `id PASSED` lines.
 * A bare status line, which made the v2 harness raise, is skipped in both eras.
 */
export function parseLogSeaborn(log: string): StatusMap {
  const map: StatusMap = new Map();
  for (const line of logLines(log)) {
    const tokens = pySplit(line);
    if (line.startsWith('FAILED')) {
      if (tokens[1] !== undefined) map.set(tokens[1], 'FAILED');
    } else if (line.includes(' PASSED ')) {
      if (tokens[1] === 'PASSED' && tokens[0] !== undefined) map.set(tokens[0], 'PASSED');
    } else if (line.startsWith('PASSED')) {
      if (tokens[1] !== undefined) map.set(tokens[1], 'PASSED');
    }
  }
  return map;
}

const verboseResult = new RegExp(`^${pyNonWhitespaceClass}+${pyWhitespaceClass}+(${parsedStatuses.join('|')})`, 'u');

/**
 * parse_log_pytest_verbose: SWE-smith's pytest parser, for `pytest --verbose` result lines
 * `<id> STATUS [ 42%]` (its harness runs `pytest --disable-warnings --color=no --tb=no --verbose`).
 * The id is the line's first token; summary lines (`FAILED <id> - ...`) are not read.
 */
export function parseLogPytestVerbose(log: string): StatusMap {
  const map: StatusMap = new Map();
  for (const line of logLines(log)) {
    const match = verboseResult.exec(line);
    if (match?.[1] !== undefined) map.set(pySplit(line)[0] ?? '', match[1]);
  }
  return map;
}
