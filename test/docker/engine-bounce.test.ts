import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { LABEL_RUN } from '../../src/sandbox/labels.ts';
import { orphanCount } from '../../src/sandbox/registry.ts';
import { importTinyImage, startSecondEngine, type SecondEngine } from '../helpers/second-engine.ts';

// An engine of this file's own (never the shared one), stopped and started again under live sandboxes.
let engine: SecondEngine;
let image: string;
beforeAll(async () => {
  engine = await startSecondEngine();
  image = await importTinyImage(engine);
});
afterAll(async () => {
  await engine?.destroy();
});

const containersOf = async (run: string) =>
  (await engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${run}`] } })).length;

describe('an engine that goes away and comes back', () => {
  it('leaves no container behind: removals that failed while it was down are done once it answers', async () => {
    const run = `bounce-${process.pid}`;
    const provider = new DockerSandboxProvider(engine.docker);
    const limits = { user: 'root', workdir: '/' };
    const sandboxes = await Promise.all([1, 2].map((unroll) => provider.start(image, limits, { run, unroll })));
    expect((await sandboxes[0]?.exec('echo up'))?.stdout).toBe('up\n');
    expect(await containersOf(run)).toBe(2);

    await engine.stop();
    // The unrolls end while the engine is away: closing must not fail them, and must not forget the containers.
    for (const sb of sandboxes) await sb.close();
    expect(orphanCount()).toBe(2);

    await engine.start();
    const deadline = Date.now() + 30_000;
    while (orphanCount() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(orphanCount()).toBe(0);
    expect(await containersOf(run)).toBe(0);
  });
});
