import type Docker from 'dockerode';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { baseImageSpec } from '../images/base.ts';
import { repoRoot } from '../paths.ts';

const packages = ['@anthropic-ai/sdk', 'openai', 'dockerode'] as const;

/**
 * What run.json records beside hotmess's and Node's versions, so that a result can be traced to the client
 * libraries, the engine and the base image recipe it came from. A part that cannot be read is `unknown`.
 */
export async function runVersions(docker: Docker): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const name of packages) {
    versions[name] = await readFile(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8').then(
      (text) => String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown'),
      () => 'unknown',
    );
  }
  versions.docker = await docker.version().then(
    (v) => `${v.Version} (API ${v.ApiVersion})`,
    () => 'unknown',
  );
  versions.base_image = await baseImageSpec().then(
    (b) => b.tag,
    () => 'unknown',
  );
  return versions;
}
