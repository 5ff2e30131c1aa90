import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog, makeSimFixture } from '../../test/helpers/sim-fixture.ts';
import { UsageError } from '../errors.ts';
import { planUnroll } from './policy.ts';
import { parseQuirksArg, quirkNames, type QuirksInput } from './quirks.ts';
import { startSimServer, type SimServer } from './server.ts';
import { loadSimSpec } from './spec-load.ts';

const tools: OpenAI.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'bash',
      parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
    },
  },
  { type: 'function', function: { name: 'submit', parameters: { type: 'object', properties: {} } } },
];
const anthropicTools: Anthropic.Tool[] = [
  {
    name: 'bash',
    input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
  },
  { name: 'submit', input_schema: { type: 'object', properties: {} } },
];

const spec = `instance_id: demo__calc-1
explore: {distribution: fixed, value: 3}
candidates:
  gold: {patch: gold, weight: 1}
commands: [ls, pwd, git status]
`;

const servers: SimServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(quirks: QuirksInput, contextWindow?: number) {
  const fixture = await makeSimFixture(spec);
  const capture = captureLog('debug');
  const server = await startSimServer({
    instances: fixture.instances,
    quirks,
    log: capture.log,
    ...(contextWindow ? { contextWindow } : {}),
  });
  servers.push(server);
  const plan = planUnroll(await loadSimSpec(fixture.instance), 1);
  return {
    server,
    plan,
    ...capture,
    openai: new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1`, maxRetries: 0 }),
  };
}

const ask = (client: OpenAI, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) =>
  client.chat.completions.create({
    model: 'sim',
    seed: 1,
    messages: [{ role: 'user', content: 'go' }],
    tools,
    parallel_tool_calls: false,
    ...extra,
  });

/** The reply as sent, without the SDK's types (the quirks break them on purpose). */
const raw = (reply: unknown) =>
  JSON.parse(JSON.stringify(reply)) as {
    choices: { message: Record<string, unknown> & { tool_calls?: Record<string, unknown>[] } }[];
    usage?: Record<string, unknown>;
  };

describe('--quirks', () => {
  it('parses a comma-separated list of names and refuses unknown names and clashing pairs', () => {
    expect(parseQuirksArg('omitToolCallIds, objectArguments')).toMatchObject({
      omitToolCallIds: true,
      objectArguments: true,
      nullUsage: false,
    });
    expect(parseQuirksArg('')).toEqual(Object.fromEntries(quirkNames.map((q) => [q, false])));
    expect(() => parseQuirksArg('omitIds')).toThrow(UsageError);
    expect(() => parseQuirksArg('omitIds')).toThrow(/"omitIds" is not one of parallelToolCalls, /);
    expect(() => parseQuirksArg('nullUsage,omitUsage')).toThrow(/exclude each other/);
  });
});

describe('the sim server with quirks, through the real SDKs', () => {
  it('sends no tool-call ids or types, object arguments and no usage, as Ollama and older llama.cpp do', async () => {
    const { openai, plan } = await serve({ omitToolCallIds: true, objectArguments: true, omitUsage: true });
    const reply = raw(await ask(openai));
    expect(reply.choices[0]!.message.tool_calls).toEqual([
      { function: { name: 'bash', arguments: { command: plan.commands[0] } } },
    ]);
    expect(reply).not.toHaveProperty('usage');
  });

  it('sends empty ids and null usage fields', async () => {
    const { openai } = await serve({ emptyToolCallIds: true, nullUsage: true });
    const reply = raw(await ask(openai));
    expect(reply.choices[0]!.message.tool_calls![0]).toMatchObject({
      id: '',
      type: 'function',
      function: { arguments: expect.any(String) },
    });
    expect(reply.usage).toEqual({
      prompt_tokens: expect.any(Number),
      completion_tokens: null,
      total_tokens: null,
      prompt_tokens_details: null,
      completion_tokens_details: null,
    });
  });

  it('sends reasoning_content without reasoning_tokens, counting its tokens in completion_tokens', async () => {
    const { openai } = await serve({ reasoningContent: true });
    const plain = raw(await ask((await serve({})).openai));
    const reply = raw(await ask(openai));
    const reasoning = reply.choices[0]!.message.reasoning_content as string;
    expect(reasoning).toContain('demo__calc-1');
    expect(reply.usage).not.toHaveProperty('completion_tokens_details');
    expect(reply.usage!.completion_tokens).toBe(
      (plain.usage!.completion_tokens as number) + Math.ceil(reasoning.length / 4),
    );
  });

  it('puts the next two planned calls in one turn despite parallel_tool_calls: false, and moves the plan on by two', async () => {
    const { openai, plan } = await serve({ parallelToolCalls: true });
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'go' }];
    const turns: string[][] = [];
    for (let i = 0; i < 10; i++) {
      const message = (await ask(openai, { messages })).choices[0]!.message;
      const calls = (message.tool_calls ?? []).filter((c) => c.type === 'function');
      if (calls.length === 0) break;
      expect(new Set(calls.map((c) => c.id)).size).toBe(calls.length);
      turns.push(
        calls.map((c) =>
          c.function.name === 'bash'
            ? (JSON.parse(c.function.arguments) as { command: string }).command.split('\n')[0]!
            : c.function.name,
        ),
      );
      messages.push({ role: 'assistant', content: message.content, tool_calls: message.tool_calls! });
      for (const c of calls) messages.push({ role: 'tool', tool_call_id: c.id, content: 'ok' });
    }
    // Three explorations, the write and submit: two, two, then submit alone (nothing follows it).
    expect(turns).toEqual([
      [plan.commands[0], plan.commands[1]],
      [plan.commands[2], expect.stringMatching(/^cat > /)],
      ['submit'],
    ]);
  });

  it('puts two tool_use blocks in one Anthropic turn despite disable_parallel_tool_use', async () => {
    const { server, plan } = await serve({ parallelToolCalls: true });
    const client = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const reply = await client.messages.create(
      {
        model: 'x',
        max_tokens: 4096,
        tools: anthropicTools,
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        messages: [{ role: 'user', content: 'go' }],
      },
      { headers: { 'x-hotmess-seed': '1' } },
    );
    const uses = reply.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(uses.map((b) => b.input)).toEqual([{ command: plan.commands[0] }, { command: plan.commands[1] }]);
    expect(uses[0]!.id).not.toBe(uses[1]!.id);
  });

  it.each([
    ['llamaCppOverflow', 400],
    ['llamaCppOverflow500', 500],
  ] as const)('answers a prompt over the context window with llama.cpp’s error under %s', async (quirk, status) => {
    const { openai } = await serve({ [quirk]: true }, 10);
    const err = await ask(openai).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
    expect((err as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      code: status,
      type: 'exceed_context_size_error',
      message: expect.stringContaining('exceeds the available context size'),
      n_ctx: 10,
    });
  });

  it('logs each request body at debug, and refuses a history with empty tool-call ids as a strict server does', async () => {
    const { openai, records } = await serve({});
    await ask(openai);
    expect(records().find((r) => r.msg === 'sim request')?.body).toMatchObject({
      seed: 1,
      parallel_tool_calls: false,
      messages: [{ role: 'user', content: 'go' }],
    });
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: '', type: 'function', function: { name: 'bash', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: '', content: 'ok' },
    ];
    const err = await ask(openai, { messages }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(err)).toContain('messages.1.tool_calls.0.id');
  });
});
