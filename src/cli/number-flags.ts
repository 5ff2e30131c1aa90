import type { Options } from 'yargs';
import { UsageError } from '../errors.ts';

/** Node's timers hold at most 2^31−1 ms (about 24.8 days); a longer delay overflows and fires at once. */
export const maxTimerMs = 2 ** 31 - 1;

/** What a numeric flag accepts. */
export type NumberRule =
  /** A duration in seconds: positive, and short enough for a Node timer. */
  | { readonly kind: 'seconds' }
  /** A whole number, at least `min` when given (counts, limits, seeds). */
  | { readonly kind: 'integer'; readonly min?: number; readonly max?: number }
  /** Any finite number in [min, max]; `above` makes the lower bound exclusive. */
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number; readonly above?: boolean };

/**
 * The one check of every numeric flag of every command: the value as given, or a UsageError whose one sentence
 * names the flag and what it takes. A flag given twice takes its last value (see main.ts).
 */
export function checkNumber(flag: string, given: unknown, rule: NumberRule): number {
  const value = Array.isArray(given) ? (given.at(-1) as unknown) : given;
  const n = typeof value === 'number' ? value : Number.NaN;
  if (rule.kind === 'seconds') {
    const ms = Math.round(n * 1000);
    if (!Number.isFinite(n) || ms <= 0 || ms > maxTimerMs)
      throw new UsageError(`--${flag} must be a positive number of seconds, at most ${Math.floor(maxTimerMs / 1000)}.`);
    return n;
  }
  const { min, max } = rule;
  const whole = rule.kind === 'integer';
  const fits =
    (whole ? Number.isSafeInteger(n) : Number.isFinite(n)) &&
    (min === undefined || (rule.kind === 'number' && rule.above ? n > min : n >= min)) &&
    (max === undefined || n <= max);
  if (fits) return n;
  const what = whole ? 'a whole number' : 'a number';
  const range =
    min !== undefined && max !== undefined
      ? rule.kind === 'number' && rule.above
        ? ` above ${min} and at most ${max}`
        : ` from ${min} to ${max}`
      : min !== undefined
        ? rule.kind === 'number' && rule.above
          ? ` above ${min}`
          : ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : '';
  throw new UsageError(`--${flag} must be ${what}${range}.`);
}

/** A yargs numeric option checked by `checkNumber` as it is parsed, before any command runs. */
export function numberOption<O extends Omit<Options, 'type' | 'coerce'>>(
  flag: string,
  rule: NumberRule,
  options: O,
): O & { type: 'number'; coerce: (value: unknown) => number } {
  return { ...options, type: 'number', coerce: (value: unknown) => checkNumber(flag, value, rule) };
}

/** A duration flag's seconds as milliseconds (checked as `seconds`). */
export function timeoutMsFrom(flag: string, seconds: number): number {
  return Math.round(checkNumber(flag, seconds, { kind: 'seconds' }) * 1000);
}
