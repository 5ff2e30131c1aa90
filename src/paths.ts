import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root, found from this file's location so the CLI works from any cwd. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function harnessDir(): string {
  return path.join(repoRoot, 'harness');
}

/** Default output root for runs; `HOTMESS_LOGS` overrides it. */
export function logsDir(): string {
  return process.env.HOTMESS_LOGS ? path.resolve(process.env.HOTMESS_LOGS) : path.join(repoRoot, 'logs');
}
