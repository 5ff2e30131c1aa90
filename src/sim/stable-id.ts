import { createHash } from 'node:crypto';

/** A short stable hex digest of the key parts, for ids that must not change between runs. */
export function stableId(...key: readonly (string | number)[]): string {
  return createHash('sha256').update(key.map(String).join('\u0000')).digest('hex').slice(0, 24);
}
