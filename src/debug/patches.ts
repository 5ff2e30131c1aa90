import { readFile } from 'node:fs/promises';
import { artifactPath } from '../store/layout.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';

/** Each unroll's final diff from `patches/` ('' when the unroll left none, e.g. an infrastructure failure). */
export async function readTaskPatches(
  runDir: string,
  instanceId: string,
  records: readonly UnrollRecord[],
): Promise<Map<number, string>> {
  const entries = await Promise.all(
    records.map(
      async (r) =>
        [
          r.unroll,
          await readFile(artifactPath(runDir, 'patch', instanceId, r.unroll), 'utf8').catch(() => ''),
        ] as const,
    ),
  );
  return new Map(entries);
}
