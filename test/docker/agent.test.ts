import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.ts';
import { agentLimitsSchema, type AgentLimitsInput } from '../../src/agent/limits.ts';
import type { Trajectory } from '../../src/agent/trajectory.ts';
import { connectEngine } from '../../src/docker/engine.ts';
import { ensureInstanceImage, type InstanceImage } from '../../src/images/instance-image.ts';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { createModel } from '../../src/models/create.ts';
import type { ModelOptionsInput } from '../../src/models/spec.ts';
import { closeSharedSimServers } from '../../src/models/sim.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';
import { captureLog, goldPatch, wrongPatch } from '../helpers/sim-fixture.ts';
import { makeTinyRepo } from '../helpers/tiny-repo.ts';

const { docker } = await connectEngine();
const provider = new DockerSandboxProvider(docker);
const run = `test-agent-${process.pid}`;
const quiet = captureLog('warn');

const repo = await makeTinyRepo([
  {
    message: 'calc',
    files: {
      'calc/__init__.py': '',
      'calc/ops.py': 'def add(a, b):\n    return abs(a) + b\n',
      'README.md': '# calc\n',
    },
  },
]);
const dir = path.dirname(repo.bundle);

let sets = 0;

/** A one-task set with its own sim spec. Ids differ per set: the in-process sim server is shared. */
async function taskSet(specText: string): Promise<Instance> {
  sets += 1;
  const id = `demo__calc-${sets}`;
  const sub = path.join(dir, `set-${sets}`);
  await mkdir(path.join(sub, 'patches'), { recursive: true });
  await writeFile(path.join(sub, 'patches', 'wrong.diff'), wrongPatch);
  await writeFile(path.join(sub, 'spec.yaml'), specText.replace('instance_id: demo__calc', `instance_id: ${id}`));
  const record = {
    instance_id: id,
    repo: 'demo/calc',
    base_commit: repo.commits[0],
    patch: goldPatch,
    test_patch: '',
    problem_statement: 'add() returns the wrong result when the first argument is negative.',
    FAIL_TO_PASS: ['tests/test_ops.py::test_add_negative'],
    PASS_TO_PASS: ['tests/test_ops.py::test_add'],
    source: repo.bundle,
    sim: 'spec.yaml',
  };
  await writeFile(path.join(sub, 'instances.jsonl'), `${JSON.stringify(record)}\n`);
  const { instances } = await loadInstances(path.join(sub, 'instances.jsonl'), { strict: true });
  return instances[0] as Instance;
}

const spec = (explore: string, candidates: string, commands = '[ls, cat calc/ops.py, git log --oneline]') =>
  `instance_id: demo__calc\nexplore: ${explore}\ncandidates:\n${candidates}\ncommands: ${commands}\n`;
const goldOnly = '  gold: {patch: gold, weight: 1}';
const wrongOnly = '  wrong: {patch: patches/wrong.diff, weight: 1, fails: [tests/test_ops.py::test_add_negative]}';

let image: InstanceImage;
beforeAll(async () => {
  image = await ensureInstanceImage(docker, await taskSet(spec('{distribution: fixed, value: 1}', goldOnly)));
});
afterAll(async () => {
  await closeSharedSimServers();
});

async function unroll(
  instance: Instance,
  opts: {
    model?: string;
    limits?: AgentLimitsInput;
    seed?: number;
    options?: ModelOptionsInput;
    beforeRun?: (sb: { close(): Promise<void> }) => Promise<void>;
  } = {},
): Promise<Trajectory> {
  const model = await createModel(opts.model ?? 'sim', {
    log: quiet.log,
    instances: [instance],
    options: { maxRetries: 0, ...opts.options },
  });
  const sandbox = await provider.start(image.tag, { user: image.user }, { run });
  try {
    await opts.beforeRun?.(sandbox);
    return await new Agent(model, sandbox, agentLimitsSchema.parse(opts.limits ?? {})).run({
      instanceId: instance.instance_id,
      unroll: 0,
      seed: opts.seed ?? 1,
      system: 'You fix bugs.',
      user: instance.problem_statement,
      baseCommit: instance.base_commit,
      excludeFromPatch: [],
    });
  } finally {
    await sandbox.close();
  }
}

const calls = (t: Trajectory) =>
  t.steps.flatMap((s) => s.toolCalls.map((c) => `${c.name}:${JSON.stringify(c.arguments)}`));
describe('the agent loop on the simulated model, in a real sandbox', () => {
  it.each(['sim:anthropic', 'sim:openai'])('explores, writes its candidate and submits over %s', async (model) => {
    const t = await unroll(await taskSet(spec('{distribution: fixed, value: 3}', goldOnly)), { model });
    expect(t.stopReason).toBe('submitted');
    expect(t.stats.actions).toBe(5);
    expect(t.stats.turns).toBe(5);
    expect(t.stats.messages).toBe(12);
    expect(t.stats.inputTokens).toBeGreaterThan(0);
    expect(t.patch).toContain('+    return a + b');
    expect(t.simulated).toBe(true);
    const observation = t.messages.find((m) => m.role === 'tool');
    expect(observation?.content).toMatch(/^exit code 0/);
  });

  it('gives the same trajectory for the same seed, and records every step', async () => {
    const instance = await taskSet(
      spec(
        '{distribution: lognormal, median: 4, sigma: 0.8, max: 12}',
        `${goldOnly.replace('1}', '0.5}')}\n${wrongOnly.replace('1,', '0.5,')}`,
      ),
    );
    const a = await unroll(instance, { seed: 11 });
    const b = await unroll(instance, { seed: 11 });
    expect(calls(a)).toEqual(calls(b));
    expect(a.patch).toBe(b.patch);
    const others = await Promise.all([12, 13, 14, 15].map((seed) => unroll(instance, { seed })));
    expect(others.some((o) => JSON.stringify(calls(o)) !== JSON.stringify(calls(a)))).toBe(true);
    for (const step of a.steps) {
      expect(step.usage.outputTokens).toBeGreaterThan(0);
      expect(Date.parse(step.startedAt)).not.toBeNaN();
    }
    const executed = a.steps.flatMap((s) => s.toolCalls).filter((c) => c.name === 'bash');
    expect(
      executed.every((c) => c.exitCode !== undefined && typeof c.durationMs === 'number' && c.truncated === false),
    ).toBe(true);
  });

  it('stops at the wall-clock limit, killing a long command', async () => {
    const t = await unroll(await taskSet(spec('{distribution: fixed, value: 5}', goldOnly, '["sleep 30"]')), {
      limits: { maxWallMs: 2500 },
    });
    expect(t.stopReason).toBe('time_limit');
    expect(t.stats.wallMs).toBeLessThan(15_000);
  });

  it('records how many characters the observation cut removed', async () => {
    const t = await unroll(await taskSet(spec('{distribution: fixed, value: 4}', goldOnly, '["seq 1 2000", ls]')), {
      limits: { maxObservationChars: 1000 },
      seed: 3,
    });
    const bash = t.steps.flatMap((s) => s.toolCalls).filter((c) => c.name === 'bash');
    const cut = bash.filter((c) => (c.arguments as { command: string }).command.startsWith('seq'));
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.length).toBeLessThan(bash.length);
    for (const c of bash) {
      const observation = t.messages.find((m) => m.role === 'tool' && m.toolCallId === c.id);
      const note = observation?.role === 'tool' ? /\[\.\.\. (\d+) characters cut/.exec(observation.content) : null;
      expect(c.observationCutChars).toBe(note ? Number(note[1]) : 0);
      expect(c.observationCutChars! > 0).toBe(cut.includes(c));
    }
  });

  it('cuts long observations with a note saying how much was cut', async () => {
    const t = await unroll(await taskSet(spec('{distribution: fixed, value: 1}', goldOnly, '["seq 1 100000"]')), {
      limits: { maxObservationChars: 2000 },
    });
    const observation = t.messages.find((m) => m.role === 'tool')?.content ?? '';
    expect(observation.length).toBeLessThan(2100);
    expect(observation).toMatch(/\[\.\.\. \d+ characters cut from the middle of this output \.\.\.\]/);
    expect(observation).toContain('100000');
  });

  it.each(['sim:anthropic', 'sim:openai'])(
    'answers calls of a tool it does not offer over %s, and says how much of a huge output was dropped and cut',
    async (model) => {
      const instance = await taskSet(spec('{distribution: fixed, value: 2}', goldOnly, '["yes a | head -c 9000000"]'));
      const t = await unroll(instance, { model, options: { faults: { unknownToolRate: 0.5 } }, seed: 4 });
      expect(t.stopReason).toBe('submitted');
      const records = t.steps.flatMap((s) => s.toolCalls);
      const unknown = records.filter((c) => c.name === 'str_replace_editor');
      expect(unknown.length).toBeGreaterThan(0);
      expect(
        unknown.every((c) => c.rejected === 'there is no tool named "str_replace_editor"; use bash or submit'),
      ).toBe(true);
      expect(t.stats.formatErrors).toBe(unknown.length);
      const huge = records.filter(
        (c) => c.name === 'bash' && (c.arguments as { command: string }).command.startsWith('yes'),
      );
      expect(huge).toHaveLength(2);
      for (const c of huge) {
        expect(c.truncated).toBe(true);
        expect(c.observationCutChars).toBeGreaterThan(8_000_000);
        const observation = t.messages.find((m) => m.role === 'tool' && m.toolCallId === c.id)?.content ?? '';
        expect(observation).toContain(
          '[The sandbox kept only the first part of a very large output: 611392 of its 9000000 bytes were dropped.]',
        );
      }
      expect(t.patch).toContain('+    return a + b');
    },
  );

  it('reports a sandbox that dies under it as sandbox_error', async () => {
    const t = await unroll(await taskSet(spec('{distribution: fixed, value: 3}', goldOnly)), {
      beforeRun: async (sb) => {
        await docker.getContainer((sb as unknown as { id: string }).id).remove({ force: true });
      },
    });
    expect(t.stopReason).toBe('sandbox_error');
  });
});
