import { HotmessError } from './errors.ts';

/**
 * Which failures are the infrastructure's (DESIGN.md §9, Errors). Only causes recognised here, by type, make an
 * unroll an infrastructure failure (retried, then recorded apart and left out of the statistics):
 * - hotmess's own errors that say so (`HotmessError.infrastructure`): a sandbox or its container that failed or
 *   died (SandboxError), the engine gone (DockerUnavailableError), an image build, a grading that could not
 *   finish (GradingInfraError), and a model API's HTTP or SDK error after the SDK's retries (ModelError: the
 *   model adapters turn every SDK error class into one);
 * - errors of the Docker engine's API as dockerode reports them: an HTTP status from the engine, or a broken or
 *   refused connection to its socket (which is also what an engine timeout gives).
 * Anything else (a TypeError, a failed assertion, a bad record) is not data: it goes up and stops the run.
 */
export function isInfrastructureFailure(err: unknown): boolean {
  if (err instanceof HotmessError) return err.infrastructure;
  return isEngineError(err);
}

/** Node's codes for a connection that was refused, broken or timed out. */
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** An error from the Docker engine's API, as docker-modem (under dockerode) raises it. */
export function isEngineError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { statusCode?: unknown; json?: unknown; code?: unknown; syscall?: unknown };
  // docker-modem's answer to a non-success status: "(HTTP code N) reason - message", with the engine's body.
  if (typeof e.statusCode === 'number' && 'json' in e) return true;
  if (typeof e.code !== 'string') return false;
  // The engine's socket is missing or not ours to open.
  if (e.syscall === 'connect' && (e.code === 'ENOENT' || e.code === 'EACCES')) return true;
  // A refused or broken connection; a request past docker-modem's timeout is destroyed ("socket hang up").
  return connectionCodes.has(e.code);
}
