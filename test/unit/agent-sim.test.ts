import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agent/agent.ts';
import { agentLimitsSchema, type AgentLimitsInput } from '../../src/agent/limits.ts';
import type { Trajectory } from '../../src/agent/trajectory.ts';
import { loadInstances } from '../../src/instances/load.ts';
import type { Instance } from '../../src/instances/schema.ts';
import { createModel } from '../../src/models/create.ts';
import { closeSharedSimServers } from '../../src/models/sim.ts';
import type { ModelOptionsInput } from '../../src/models/spec.ts';
import type { AssistantMessage } from '../../src/models/types.ts';
import { startSimServer, type SimServer } from '../../src/sim/server.ts';
import { FakeSandbox, execResult, type FakeSandboxOptions } from '../helpers/fake-sandbox.ts';
import { captureLog, goldPatch, wrongPatch } from '../helpers/sim-fixture.ts';

/*
 * The agent loop against the real loopback model server and the real SDKs, with an in-memory sandbox: every
 * limit and malformed-call path that needs no engine (the rest is in test/docker/agent.test.ts).
 */

const quiet = captureLog('warn');
const root = await mkdtemp(path.join(tmpdir(), 'hotmess-agent-sim-'));
let sets = 0;

/** A one-task set with its own sim spec. Ids differ per set: the in-process sim server is shared. */
async function taskSet(explore: string, commands = '[ls, cat calc/ops.py, git log --oneline]'): Promise<Instance> {
  sets += 1;
  const id = `demo__agent-sim-${sets}`;
  const dir = path.join(root, `set-${sets}`);
  await mkdir(path.join(dir, 'patches'), { recursive: true });
  await writeFile(path.join(dir, 'patches', 'wrong.diff'), wrongPatch);
  await writeFile(
    path.join(dir, 'spec.yaml'),
    `instance_id: ${id}\nexplore: ${explore}\ncandidates:\n  gold: {patch: gold, weight: 1}\ncommands: ${commands}\n`,
  );
  const record = {
    instance_id: id,
    repo: 'demo/calc',
    base_commit: 'abc1234',
    patch: goldPatch,
    test_patch: '',
    problem_statement: 'add() returns the wrong result when the first argument is negative.',
    FAIL_TO_PASS: ['tests/test_ops.py::test_add_negative'],
    PASS_TO_PASS: ['tests/test_ops.py::test_add'],
    sim: 'spec.yaml',
  };
  await writeFile(path.join(dir, 'instances.jsonl'), `${JSON.stringify(record)}\n`);
  const { instances } = await loadInstances(path.join(dir, 'instances.jsonl'), { strict: true });
  return instances[0] as Instance;
}

async function unroll(
  instance: Instance,
  opts: {
    model?: string;
    limits?: AgentLimitsInput;
    seed?: number;
    options?: ModelOptionsInput;
    sandbox?: FakeSandboxOptions;
  } = {},
): Promise<{ t: Trajectory; sandbox: FakeSandbox }> {
  const model = await createModel(opts.model ?? 'sim', {
    log: quiet.log,
    instances: [instance],
    options: { maxRetries: 0, ...opts.options },
  });
  const sandbox = new FakeSandbox(opts.sandbox);
  const t = await new Agent(model, sandbox, agentLimitsSchema.parse(opts.limits ?? {})).run({
    instanceId: instance.instance_id,
    unroll: 0,
    seed: opts.seed ?? 1,
    system: 'You fix bugs.',
    user: instance.problem_statement,
    baseCommit: instance.base_commit,
    excludeFromPatch: [],
  });
  return { t, sandbox };
}

const fixed = (n: number) => `{distribution: fixed, value: ${n}}`;
const ran = (sandbox: FakeSandbox) => sandbox.commands.map((c) => c.command);

afterAll(async () => {
  await closeSharedSimServers();
});

describe('the agent loop on the simulated model, with an in-memory sandbox', () => {
  it('stops at the action limit', async () => {
    const { t, sandbox } = await unroll(await taskSet(fixed(10)), { limits: { maxActions: 3 } });
    expect(t.stopReason).toBe('action_limit');
    expect(t.stats.actions).toBe(3);
    expect(ran(sandbox)).toHaveLength(3);
  });

  it('stops at the message limit', async () => {
    const { t } = await unroll(await taskSet(fixed(10)), { limits: { maxMessages: 7 } });
    expect(t.stopReason).toBe('message_limit');
    expect(t.stats.messages).toBeLessThanOrEqual(7);
    expect(t.stats.actions).toBe(2);
  });

  it.each(['sim:anthropic', 'sim:openai'])(
    'never overshoots the message limit when a turn holds several tool calls, over %s',
    async (model) => {
      // Real models sometimes make several calls in a turn though asked for one; the parallelToolCalls quirk always does.
      const instance = await taskSet(fixed(10), '[ls, pwd]');
      const capture = captureLog('debug');
      const server = await startSimServer({
        instances: [instance],
        quirks: { parallelToolCalls: true },
        log: capture.log,
      });
      try {
        for (const [maxMessages, actions] of [
          [4, 1],
          [5, 2],
          [8, 4],
          [9, 4],
        ] as const) {
          const { t, sandbox } = await unroll(instance, {
            model,
            limits: { maxMessages },
            options: { baseUrl: server.url },
          });
          expect(t.stopReason).toBe('message_limit');
          expect(t.stats.messages).toBeLessThanOrEqual(maxMessages);
          expect(t.stats.actions).toBe(actions);
          expect(ran(sandbox)).toHaveLength(actions);
          const turns = t.messages.filter((m): m is AssistantMessage => m.role === 'assistant');
          expect(turns.length).toBeGreaterThan(0);
          expect(turns.every((m) => m.toolCalls.length === 2)).toBe(true);
        }
        // Every request asked for one call per turn.
        const bodies = capture
          .records()
          .filter((r) => r.msg === 'sim request')
          .map((r) => r.body as Record<string, unknown>);
        expect(bodies.length).toBeGreaterThanOrEqual(6);
        for (const body of bodies) {
          if (model === 'sim:openai') expect(body.parallel_tool_calls).toBe(false);
          else expect(body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
        }
      } finally {
        await server.close();
      }
    },
  );

  it('stops at the cost limit', async () => {
    const { t } = await unroll(await taskSet(fixed(10)), {
      limits: { maxCostUsd: 0.05 },
      options: { prices: { 'sim:hotmess-sim': { input: 10_000, output: 10_000 } } },
    });
    expect(t.stopReason).toBe('cost_limit');
    expect(t.stats.costUsd).toBeGreaterThanOrEqual(0.05);
    expect(t.stats.actions).toBeLessThan(10);
  });

  it('stops when the context window overflows', async () => {
    const instance = await taskSet(fixed(10), '["seq 1 3000"]');
    const server: SimServer = await startSimServer({ instances: [instance], contextWindow: 3000, log: quiet.log });
    try {
      const output = Array.from({ length: 3000 }, (_, i) => `${i + 1}\n`).join('');
      const { t } = await unroll(instance, {
        options: { baseUrl: server.url },
        sandbox: { run: () => execResult({ stdout: output }) },
      });
      expect(t.stopReason).toBe('context_overflow');
      expect(t.stats.actions).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('answers malformed tool calls as observations, counts them, and stops after too many in a row', async () => {
    const instance = await taskSet(fixed(2));
    const runs = await Promise.all(
      [1, 2, 3, 4].map(async (seed) => {
        const { t } = await unroll(instance, { options: { faults: { malformedToolCallRate: 0.5 } }, seed });
        return t;
      }),
    );
    expect(runs.some((t) => t.stats.formatErrors > 0)).toBe(true);
    for (const some of runs) {
      expect(some.stopReason).toBe('submitted');
      const rejected = some.messages.filter((m) => m.role === 'tool' && m.isError);
      expect(rejected.length).toBe(some.stats.formatErrors);
      for (const m of rejected) expect(m.content).toMatch(/^Error: /);
    }
    const { t: all, sandbox } = await unroll(instance, {
      options: { faults: { malformedToolCallRate: 1, maxConsecutive: 100 } },
      limits: { maxFormatErrors: 3 },
    });
    expect(all.stopReason).toBe('format_error');
    expect(all.stats.actions).toBe(0);
    expect(ran(sandbox)).toEqual([]);
  });

  it.each(['sim:anthropic', 'sim:openai'])(
    'answers a call of a tool it does not offer as an observation over %s, counts it, and goes on with the same plan',
    async (model) => {
      const instance = await taskSet(fixed(3));
      const faulty = await unroll(instance, { model, options: { faults: { unknownToolRate: 0.5 } }, seed: 6 });
      const clean = await unroll(instance, { model, seed: 6 });
      const t = faulty.t;
      expect(t.stopReason).toBe('submitted');
      const unknown = t.steps.flatMap((s) => s.toolCalls).filter((c) => c.name === 'str_replace_editor');
      expect(unknown.length).toBeGreaterThan(0);
      for (const call of unknown)
        expect(call.rejected).toBe('there is no tool named "str_replace_editor"; use bash or submit');
      expect(t.stats.formatErrors).toBe(unknown.length);
      const errors = t.messages.filter((m) => m.role === 'tool' && m.isError);
      expect(errors.map((m) => m.role === 'tool' && m.content)).toEqual(
        unknown.map(() => 'Error: there is no tool named "str_replace_editor"; use bash or submit'),
      );
      // The simulated agent's plan did not move on for them: the same commands ran as without the fault.
      expect(ran(faulty.sandbox)).toEqual(ran(clean.sandbox));
      expect(ran(clean.sandbox).length).toBeGreaterThan(0);
      expect(t.stats.actions).toBe(ran(clean.sandbox).length + 1);
    },
  );

  it('reports a model it cannot reach as model_error (infrastructure, not the agent)', async () => {
    const { t, sandbox } = await unroll(await taskSet(fixed(1)), { options: { baseUrl: 'http://127.0.0.1:9' } });
    expect(t.stopReason).toBe('model_error');
    expect(t.stopDetail).toMatch(/could not be reached/);
    expect(t.stats.actions).toBe(0);
    expect(ran(sandbox)).toEqual([]);
  });
});
