import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectEngine } from '../../src/docker/engine.ts';
import { loadInstances } from '../../src/instances/load.ts';
import { repoRoot } from '../../src/paths.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { validateInstances } from '../../src/validate/validate.ts';

const { docker } = await connectEngine();
const grading = { docker, provider: new DockerSandboxProvider(docker) };

describe('the bundled task set (instances/pocket)', () => {
  it('validates in Docker: every empty, gold and wrong candidate does what the task declares', async () => {
    const { instances, problems } = await loadInstances(path.join(repoRoot, 'instances', 'pocket'), { strict: true });
    expect(problems).toEqual([]);
    expect(instances.length).toBeGreaterThanOrEqual(20);
    expect(new Set(instances.map((i) => i.language))).toEqual(new Set(['python', 'javascript']));
    const report = await validateInstances(grading, instances, { concurrency: 3 });
    const bad = report.checks.filter((c) => !c.ok).map((c) => `${c.instance_id} ${c.check}: ${c.problem ?? ''}`);
    expect(bad).toEqual([]);
    // Per task: the empty patch, gold, and at least three wrong candidates.
    for (const instance of instances)
      expect(report.checks.filter((c) => c.instance_id === instance.instance_id).length).toBeGreaterThanOrEqual(5);
    process.stdout.write(
      `pocket: ${report.checks.length} checks on ${report.tasks} tasks ok in ${(report.wallMs / 1000).toFixed(1)} s\n`,
    );
  }, 900_000);
});
