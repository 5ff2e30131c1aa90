import type { TestProject } from 'vitest/node';
import { connectEngine } from '../../src/docker/engine.ts';
import { ensureBaseImage } from '../../src/images/base.ts';
import { reapContainers } from '../../src/sandbox/reaper.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseImage: string;
  }
}

/**
 * Runs once before all Docker test files: the engine must answer (the test command's set-up starts it) and
 * the base image is built here once, not per file. Leftover containers of killed test runs are reaped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { docker } = await connectEngine();
  await reapContainers(docker);
  const started = Date.now();
  const base = await ensureBaseImage(docker, (line) => process.stderr.write(`[base image] ${line}\n`));
  if (Date.now() - started > 1000)
    process.stderr.write(`[base image] ready in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  project.provide('baseImage', base.tag);
  return async () => {
    await reapContainers(docker);
  };
}
