import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.ts';

const userRunId = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * A new run id: UTC timestamp to the second (so ids sort by creation time) and 6 random hex digits (so two runs
 * started in the same second never collide), e.g. `20261123-004512-3fa9c1`.
 */
export function newRunId(now: Date = new Date(), suffix: string = randomBytes(3).toString('hex')): string {
  const iso = now.toISOString(); // 2026-11-23T00:45:12.345Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return `${stamp}-${suffix}`;
}

/** A user-given run id becomes a directory name: letters, digits, `.`, `_` and `-` only, not starting with a dot. */
export function checkRunId(runId: string): string {
  if (!userRunId.test(runId)) {
    throw new UsageError(
      `Run id "${runId}" must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    );
  }
  return runId;
}
