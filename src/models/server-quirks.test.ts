import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentTools } from '../../test/helpers/model-loop.ts';
import { captureLog, makeSimFixture } from '../../test/helpers/sim-fixture.ts';
import type { FaultsInput } from '../sim/faults.ts';
import { planUnroll } from '../sim/policy.ts';
import type { QuirksInput } from '../sim/quirks.ts';
import { startSimServer, type SimServer } from '../sim/server.ts';
import { loadSimSpec } from '../sim/spec-load.ts';
import { createModel } from './create.ts';
import { ContextOverflowError } from './errors.ts';
import type { ChatMessage, ModelTurn } from './types.ts';

/**
 * Replies of real servers that differ from OpenAI's own (vLLM, Ollama, llama.cpp), imitated by the loopback
 * server's quirks and sent to the real SDKs through the providers. What the providers sent is read back from
 * the server's debug log.
 */
type Body = Record<string, unknown> & { messages: Record<string, unknown>[] };
const servers: SimServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
const keyVariable = 'HOTMESS_TEST_QUIRKS_KEY';
beforeAll(() => {
  process.env[keyVariable] = 'quirks-key';
});
afterAll(() => {
  delete process.env[keyVariable];
});

/** Two exploration commands and no write, so that a turn of two calls is followed by submit. */
const twoCommands = `instance_id: demo__calc-1
explore: {distribution: fixed, value: 2}
candidates:
  no_op: {patch: null, weight: 1}
commands: [ls, pwd, git status]
`;

async function serve(quirks: QuirksInput, opts: { faults?: FaultsInput; contextWindow?: number; spec?: string } = {}) {
  const fixture = await makeSimFixture(opts.spec ?? twoCommands);
  const capture = captureLog('debug');
  const server = await startSimServer({ instances: fixture.instances, quirks, log: capture.log, ...opts });
  servers.push(server);
  const logged = (msg: string) => capture.records().filter((r) => r.msg === msg);
  return {
    url: server.url,
    fixture,
    ...capture,
    /** The request bodies the server received, in order. */
    bodies: () => logged('sim request').map((r) => r.body as Body),
    /** The usage of each reply it sent (null when the reply had none). */
    usages: () => logged('sim turn').map((r) => r.usage as Record<string, unknown> | null),
  };
}

/** Appends a turn and an answer to each of its calls, as the agent does. */
function answered(messages: ChatMessage[], turn: ModelTurn): ChatMessage[] {
  return [
    ...messages,
    turn.message,
    ...turn.toolCalls.map((c): ChatMessage => ({
      role: 'tool',
      toolCallId: c.id,
      name: c.name,
      content: c.parseError ?? 'ok',
      isError: c.parseError !== undefined,
    })),
  ];
}

const user: ChatMessage[] = [{ role: 'user', content: 'Fix the issue.' }];

describe('the openai-compatible provider against the sim server imitating other servers', () => {
  it.each(['omitToolCallIds', 'emptyToolCallIds'] as const)(
    'accepts tool calls with %s (and no type), object arguments and null usage fields; made-up ids never repeat',
    async (idQuirk) => {
      const server = await serve({ [idQuirk]: true, objectArguments: true, nullUsage: true, parallelToolCalls: true });
      const plan = planUnroll(await loadSimSpec(server.fixture.instance), 0);
      const model = await createModel(`openai-compatible:${server.url}/v1#m`, { log: server.log });
      const first = await model.turn(user, agentTools);
      expect(first.toolCalls).toEqual([
        { id: 'call_hotmess_1', name: 'bash', arguments: { command: plan.commands[0] } },
        { id: 'call_hotmess_2', name: 'bash', arguments: { command: plan.commands[1] } },
      ]);
      expect(first.stopReason).toBe('tool_use');
      const usage = server.usages()[0]!;
      expect(usage).toMatchObject({
        completion_tokens: null,
        total_tokens: null,
        prompt_tokens_details: null,
        completion_tokens_details: null,
      });
      expect(first.usage.inputTokens).toBe(usage.prompt_tokens);
      expect(first.usage.inputTokens).toBeGreaterThan(0);
      expect(first.usage.outputTokens).toBeGreaterThan(0);
      const second = await model.turn(answered(user, first), agentTools);
      expect(second.toolCalls).toEqual([{ id: 'call_hotmess_3', name: 'submit', arguments: {} }]);
      // The history went back with the made-up ids, and the object arguments as the JSON string OpenAI defines
      // (the server refuses a history with any other shape, as a strict server does).
      expect(server.bodies()[1]!.messages.slice(1)).toMatchObject([
        {
          role: 'assistant',
          tool_calls: [
            {
              id: 'call_hotmess_1',
              type: 'function',
              function: { name: 'bash', arguments: JSON.stringify({ command: plan.commands[0] }) },
            },
            {
              id: 'call_hotmess_2',
              type: 'function',
              function: { name: 'bash', arguments: JSON.stringify({ command: plan.commands[1] }) },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_hotmess_1' },
        { role: 'tool', tool_call_id: 'call_hotmess_2' },
      ]);
    },
  );

  it('estimates the tokens of replies without usage, warning once per model, so that cost limits hold', async () => {
    const server = await serve(
      { omitUsage: true, reasoningContent: true },
      { spec: twoCommands.replace('value: 2', 'value: 1') },
    );
    const { log, records } = server;
    const name = `openai-compatible:${server.url}/v1#m`;
    const options = { prices: { m: { input: 1000, output: 2000 } } };
    const model = await createModel(name, { log, options });
    const turns = [await model.turn(user, agentTools), await model.turn(user, agentTools)];
    expect(server.usages()).toEqual([null, null]);
    for (const [i, turn] of turns.entries()) {
      const content = turn.message.content;
      const reasoning = turn.message.reasoning ?? '';
      const call = turn.toolCalls[0]!;
      expect(content.length).toBeGreaterThan(0);
      expect(reasoning.length).toBeGreaterThan(0);
      expect(call.name).toBe('bash');
      const input = Math.ceil(JSON.stringify(server.bodies()[i]!.messages).length / 4);
      const output = Math.ceil(
        (content.length + call.name.length + JSON.stringify(call.arguments).length + reasoning.length) / 4,
      );
      expect(turn.usage).toEqual({
        inputTokens: input,
        outputTokens: output,
        reasoningTokens: Math.ceil(reasoning.length / 4),
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      });
      expect(turn.costUsd).toBeCloseTo((input * 1000 + output * 2000) / 1e6, 12);
    }
    const warnings = () => records().filter((r) => r.level === 40 && String(r.msg).includes('reports no token usage'));
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.msg).toBe(
      `${name} reports no token usage: tokens are estimated at about 4 characters a token`,
    );
    await (await createModel(name, { log, options })).turn(user, agentTools);
    expect(warnings()).toHaveLength(2);
  });

  it('estimates reasoning tokens from reasoning_content when usage has no reasoning_tokens, without a warning', async () => {
    const server = await serve({ reasoningContent: true });
    const turn = await (
      await createModel(`openai-compatible:${server.url}/v1#m`, { log: server.log })
    ).turn(user, agentTools);
    const usage = server.usages()[0]!;
    expect(usage).not.toHaveProperty('completion_tokens_details');
    const reasoning = turn.message.reasoning ?? '';
    expect(reasoning).toContain('demo__calc-1');
    expect(turn.usage).toMatchObject({
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
      reasoningTokens: Math.ceil(reasoning.length / 4),
    });
    expect(turn.usage.reasoningTokens).toBeGreaterThan(0);
    expect(turn.usage.outputTokens).toBeGreaterThan(turn.usage.reasoningTokens);
    expect(server.records().some((r) => String(r.msg).includes('reports no token usage'))).toBe(false);
  });

  it('replays malformed arguments as {} (the trajectory keeps the text), and asks for one call per turn only with tools', async () => {
    const server = await serve({}, { faults: { malformedToolCallRate: 1 } });
    const model = await createModel(`openai-compatible:${server.url}/v1#m`, { log: server.log });
    const first = await model.turn(user, agentTools);
    expect(first.toolCalls[0]).toMatchObject({
      arguments: expect.stringMatching(/^\{"command"/),
      parseError: expect.stringMatching(/not valid JSON/),
    });
    // The server refuses a history whose arguments are not JSON, as vLLM and llama.cpp do: this turn would fail.
    await model.turn(answered(user, first), agentTools);
    const bodies = server.bodies();
    expect(bodies[1]!.messages[1]).toMatchObject({
      tool_calls: [{ id: first.toolCalls[0]!.id, function: { name: 'bash', arguments: '{}' } }],
    });
    expect(bodies[0]!.parallel_tool_calls).toBe(false);
    await model.turn(user, []);
    expect(server.bodies()[2]).not.toHaveProperty('parallel_tool_calls');
    expect(server.bodies()[2]).not.toHaveProperty('tools');
  });

  it.each([
    [400, 'llamaCppOverflow'],
    [500, 'llamaCppOverflow500'],
  ] as const)('turns llama.cpp context overflow sent with %i into ContextOverflowError', async (status, quirk) => {
    const server = await serve({ [quirk]: true }, { contextWindow: 10 });
    const model = await createModel(`openai-compatible:${server.url}/v1#m`, {
      log: server.log,
      options: { maxRetries: 0 },
    });
    const err = await model.turn(user, agentTools).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContextOverflowError);
    expect((err as ContextOverflowError).status).toBe(status);
    // llama.cpp's own error, not OpenAI's context_length_exceeded.
    const cause = (err as ContextOverflowError).cause as InstanceType<typeof OpenAI.APIError>;
    expect(cause).toBeInstanceOf(OpenAI.APIError);
    expect(cause.type).toBe('exceed_context_size_error');
    expect(cause.error).toMatchObject({
      code: status,
      message: expect.stringContaining('exceeds the available context size'),
      n_ctx: 10,
    });
  });
});

describe('the anthropic provider', () => {
  it('asks for one tool call per turn only when it sends tools', async () => {
    const server = await serve({});
    const model = await createModel('anthropic:claude-sonnet-4-6', {
      log: server.log,
      options: { baseUrl: server.url, apiKeyEnv: keyVariable },
    });
    await model.turn(user, agentTools);
    await model.turn(user, []);
    // The server refuses tool_choice without tools, as the API does: the second turn would fail.
    expect(server.bodies()[0]!.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(server.bodies()[1]).not.toHaveProperty('tool_choice');
  });
});
