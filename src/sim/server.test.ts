import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog, makeSimFixture, otherInstance, otherSpec } from '../../test/helpers/sim-fixture.ts';
import { planUnroll } from './policy.ts';
import { startSimServer, type SimServer } from './server.ts';
import { loadSimSpec } from './spec-load.ts';

const anthropicTools: Anthropic.Tool[] = [
  {
    name: 'bash',
    description: 'Run a shell command',
    input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
  },
  { name: 'submit', description: 'Submit the work', input_schema: { type: 'object', properties: {} } },
];
const openaiTools: OpenAI.ChatCompletionTool[] = anthropicTools.map((t) => ({
  type: 'function',
  function: { name: t.name, description: t.description ?? '', parameters: t.input_schema as Record<string, unknown> },
}));

const servers: SimServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(
  options: Partial<Parameters<typeof startSimServer>[0]> = {},
): Promise<{ server: SimServer; fixture: Awaited<ReturnType<typeof makeSimFixture>> }> {
  const fixture = await makeSimFixture();
  const server = await startSimServer({ instances: fixture.instances, ...options });
  servers.push(server);
  return { server, fixture };
}

/** A plain tool-use loop with the Anthropic SDK, answering every tool_use with a tool_result. */
const requestIds: string[] = [];

async function anthropicConversation(
  client: Anthropic,
  headers: Record<string, string>,
  extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {},
): Promise<Anthropic.Message[]> {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Fix the bug described below.' }];
  const replies: Anthropic.Message[] = [];
  for (let i = 0; i < 100; i++) {
    const { data: reply, request_id } = await client.messages
      .create({ model: 'claude-sim', max_tokens: 4096, tools: anthropicTools, messages, ...extra }, { headers })
      .withResponse();
    requestIds.push(request_id ?? '');
    replies.push(reply);
    messages.push({ role: 'assistant', content: reply.content });
    if (reply.stop_reason !== 'tool_use') return replies;
    const results: Anthropic.ToolResultBlockParam[] = reply.content
      .filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')
      .map((b) => ({ type: 'tool_result', tool_use_id: b.id, content: `ran ${b.name}` }));
    messages.push({ role: 'user', content: results });
  }
  throw new Error('the conversation did not end');
}

async function openaiConversation(
  client: OpenAI,
  firstMessage: string,
  seed: number,
  extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {},
): Promise<OpenAI.ChatCompletion[]> {
  const messages: OpenAI.ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You are a careful engineer.' },
    { role: 'user', content: firstMessage },
  ];
  const replies: OpenAI.ChatCompletion[] = [];
  for (let i = 0; i < 100; i++) {
    const { data: reply, request_id } = await client.chat.completions
      .create({ model: 'sim', messages, tools: openaiTools, seed, ...extra })
      .withResponse();
    requestIds.push(request_id ?? '');
    replies.push(reply);
    const message = reply.choices[0]!.message;
    messages.push({
      role: 'assistant',
      content: message.content,
      ...(message.tool_calls ? { tool_calls: message.tool_calls } : {}),
    });
    if (reply.choices[0]!.finish_reason !== 'tool_calls') return replies;
    for (const call of message.tool_calls ?? []) messages.push({ role: 'tool', tool_call_id: call.id, content: 'ok' });
  }
  throw new Error('the conversation did not end');
}

function bashCommands(replies: Anthropic.Message[]): string[] {
  return replies.flatMap((r) =>
    r.content
      .filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === 'bash')
      .map((b) => (b.input as { command: string }).command),
  );
}

describe('sim server with the real Anthropic SDK', () => {
  it('plays the planned unroll over a multi-turn tool-use conversation', async () => {
    const { server, fixture } = await serve();
    const client = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const replies = await anthropicConversation(client, {
      'x-hotmess-instance': 'demo__calc-1',
      'x-hotmess-seed': '11',
    });
    const plan = planUnroll(await loadSimSpec(fixture.instance), 11);
    const commands = bashCommands(replies);
    expect(commands.slice(0, plan.explore)).toEqual(plan.commands);
    const writes = plan.candidate.patch === null ? 0 : 1;
    expect(commands).toHaveLength(plan.explore + writes);
    if (writes) expect(commands.at(-1)).toContain(plan.candidate.patch!.trimEnd());
    const last = replies.at(-1)!;
    expect(last.stop_reason).toBe('end_turn');
    expect(replies.at(-2)!.content.some((b) => b.type === 'tool_use' && b.name === 'submit')).toBe(true);
    expect(requestIds.at(-1)).toMatch(/^req_sim_[0-9a-f]{32}$/);
    for (const r of replies) {
      expect(r.usage.input_tokens).toBeGreaterThan(0);
      expect(r.usage.output_tokens).toBeGreaterThan(0);
    }
    // The prompt grows each turn, and so does the input token count.
    expect(replies.at(-1)!.usage.input_tokens).toBeGreaterThan(replies[0]!.usage.input_tokens);
  });

  it('returns thinking blocks with a signature when thinking is enabled', async () => {
    const { server } = await serve();
    const client = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const replies = await anthropicConversation(
      client,
      { 'x-hotmess-seed': '2' },
      { thinking: { type: 'enabled', budget_tokens: 2048 } },
    );
    for (const r of replies) {
      const thinking = r.content[0];
      expect(thinking?.type).toBe('thinking');
      expect(thinking?.type === 'thinking' && thinking.signature).toMatch(/^sig_sim_/);
      expect(r.usage.output_tokens_details?.thinking_tokens).toBeGreaterThan(0);
    }
  });

  it('with thinking on, refuses a tool-use turn sent back without its thinking block or with another signature', async () => {
    const { server } = await serve();
    const client = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const thinking = { type: 'enabled', budget_tokens: 2048 } as const;
    const headers = { 'x-hotmess-seed': '2' };
    const first = await client.messages.create(
      {
        model: 'claude-sim',
        max_tokens: 4096,
        tools: anthropicTools,
        thinking,
        messages: [{ role: 'user', content: 'go' }],
      },
      { headers },
    );
    const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
    const send = (content: Anthropic.ContentBlockParam[]) =>
      client.messages.create(
        {
          model: 'claude-sim',
          max_tokens: 4096,
          tools: anthropicTools,
          thinking,
          messages: [
            { role: 'user', content: 'go' },
            { role: 'assistant', content },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'ok' }] },
          ],
        },
        { headers },
      );
    const kept = await send(first.content as Anthropic.ContentBlockParam[]);
    expect(kept.content[0]?.type).toBe('thinking');

    const dropped = await send(
      first.content.filter((b) => b.type !== 'thinking') as Anthropic.ContentBlockParam[],
    ).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(Anthropic.BadRequestError);
    expect((dropped as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
    expect(String(dropped)).toContain(
      'messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `text`',
    );

    const forged = first.content.map((b) =>
      b.type === 'thinking' ? { ...b, signature: 'sig_sim_0000' } : b,
    ) as Anthropic.ContentBlockParam[];
    const refused = await send(forged).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String(refused)).toContain('messages.1.content.0: Invalid `signature` in `thinking` block');
  });

  it('accepts tool_choice with parallel tool use disabled, and refuses what the API refuses', async () => {
    const { server } = await serve();
    const client = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const toolChoice = { type: 'auto', disable_parallel_tool_use: true } as const;
    const replies = await anthropicConversation(
      client,
      { 'x-hotmess-seed': '3' },
      { tool_choice: toolChoice, thinking: { type: 'enabled', budget_tokens: 2048 } },
    );
    expect(replies.at(-1)!.stop_reason).toBe('end_turn');
    const refusals: [Partial<Anthropic.MessageCreateParamsNonStreaming>, string][] = [
      [{ tool_choice: toolChoice }, 'tool_choice: tool_choice may only be specified while providing tools'],
      [
        { tools: anthropicTools, tool_choice: { type: 'any' }, thinking: { type: 'enabled', budget_tokens: 2048 } },
        'Thinking may not be enabled when tool_choice forces tool use',
      ],
      [
        {
          messages: [
            { role: 'user', content: 'go' },
            { role: 'assistant', content: [] },
            { role: 'user', content: 'again' },
          ],
        },
        'messages.1: all messages must have non-empty content except for the optional final assistant message',
      ],
    ];
    for (const [extra, message] of refusals) {
      const err = await client.messages
        .create({ model: 'x', max_tokens: 4096, messages: [{ role: 'user', content: 'go' }], ...extra })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.BadRequestError);
      expect(String(err)).toContain(message);
    }
  });

  it('is byte-for-byte deterministic per (instance, seed) across servers', async () => {
    const run = async (seed: string): Promise<string> => {
      const { server } = await serve();
      const client = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
      const replies = await anthropicConversation(client, { 'x-hotmess-seed': seed });
      return JSON.stringify(replies);
    };
    expect(await run('5')).toBe(await run('5'));
    const seeds = await Promise.all(['1', '2', '3', '4'].map(run));
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it('splits input tokens at cache_control breakpoints as the API reports them, the reply otherwise unchanged', async () => {
    const { server } = await serve();
    const client = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const system = 'You are a careful engineer.';
    const ask = (messages: Anthropic.MessageParam[], cached: boolean) => {
      const last = messages.at(-1)!;
      const blocks = last.content as Anthropic.TextBlockParam[];
      return client.messages.create(
        {
          model: 'claude-sim',
          max_tokens: 4096,
          tools: anthropicTools,
          system: cached ? [{ type: 'text', text: system, cache_control: { type: 'ephemeral', ttl: '1h' } }] : system,
          messages: cached
            ? [
                ...messages.slice(0, -1),
                { ...last, content: blocks.with(-1, { ...blocks.at(-1)!, cache_control: { type: 'ephemeral' } }) },
              ]
            : messages,
        },
        { headers: { 'x-hotmess-seed': '4' } },
      );
    };
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: [{ type: 'text', text: 'Fix the bug.' }] }];
    const usages: Anthropic.Usage[] = [];
    for (let i = 0; i < 3; i++) {
      const plain = await ask(messages, false);
      const cached = await ask(messages, true);
      expect(JSON.stringify({ ...cached, usage: null })).toBe(JSON.stringify({ ...plain, usage: null }));
      expect(plain.usage).toMatchObject({
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_creation: null,
      });
      const { input_tokens, cache_read_input_tokens, cache_creation_input_tokens, cache_creation } = cached.usage;
      expect(input_tokens + (cache_read_input_tokens ?? 0) + (cache_creation_input_tokens ?? 0)).toBe(
        plain.usage.input_tokens,
      );
      expect(input_tokens).toBeLessThanOrEqual(1);
      expect((cache_creation?.ephemeral_1h_input_tokens ?? 0) + (cache_creation?.ephemeral_5m_input_tokens ?? 0)).toBe(
        cache_creation_input_tokens,
      );
      usages.push(cached.usage);
      const use = cached.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')!;
      messages.push(
        { role: 'assistant', content: cached.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'ok' }] },
      );
    }
    // The first turn writes tools and system for an hour and the message for five minutes; later turns read
    // everything the turn before sent and write only what is new.
    expect(usages[0]).toMatchObject({
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_1h_input_tokens: expect.any(Number), ephemeral_5m_input_tokens: expect.any(Number) },
    });
    expect(usages[0]!.cache_creation!.ephemeral_1h_input_tokens).toBeGreaterThan(0);
    for (const [i, u] of usages.entries()) {
      if (i === 0) continue;
      const before = usages[i - 1]!;
      expect(u.cache_read_input_tokens).toBe(
        (before.cache_read_input_tokens ?? 0) + (before.cache_creation_input_tokens ?? 0) + before.input_tokens,
      );
      expect(u.cache_creation?.ephemeral_1h_input_tokens).toBe(0);
      expect(u.cache_creation?.ephemeral_5m_input_tokens).toBeGreaterThan(0);
    }
  });

  it('refuses cache_control the API refuses: a fifth breakpoint, another type or ttl', async () => {
    const { server } = await serve();
    const client = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const ephemeral = { type: 'ephemeral' } as const;
    const ask = (cacheControl: Anthropic.CacheControlEphemeral, breakpoints: number) => {
      const text = (t: string, i: number): Anthropic.TextBlockParam => ({
        type: 'text',
        text: t,
        ...(i < breakpoints ? { cache_control: cacheControl } : {}),
      });
      return client.messages.create({
        model: 'claude-sim',
        max_tokens: 100,
        tools: anthropicTools.map((t, i) => ({
          ...t,
          ...(i + 3 < breakpoints ? { cache_control: cacheControl } : {}),
        })),
        system: [text('Be careful.', 0)],
        messages: [{ role: 'user', content: [text('Fix', 1), text('the bug.', 2)] }],
      });
    };
    expect((await ask(ephemeral, 4)).stop_reason).toBe('tool_use');
    const refusals: [Anthropic.CacheControlEphemeral, number, string][] = [
      [ephemeral, 5, 'A maximum of 4 blocks with cache_control may be provided. Found 5.'],
      [{ type: 'persistent' } as unknown as Anthropic.CacheControlEphemeral, 1, 'system.0.cache_control.type'],
      [
        { type: 'ephemeral', ttl: '10m' } as unknown as Anthropic.CacheControlEphemeral,
        1,
        'system.0.cache_control.ttl',
      ],
    ];
    for (const [cacheControl, breakpoints, message] of refusals) {
      const err = await ask(cacheControl, breakpoints).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Anthropic.BadRequestError);
      expect((err as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error' },
      });
      expect(String(err)).toContain(message);
    }
  });

  it('answers bad requests with 400 and an Anthropic error body', async () => {
    const { server } = await serve();
    const client = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const err = await client.messages
      .create({ model: 'x', max_tokens: -3, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as InstanceType<typeof Anthropic.BadRequestError>).message).toContain('max_tokens');
    expect((err as InstanceType<typeof Anthropic.BadRequestError>).requestID).toMatch(/^req_sim_/);

    const unanswered = await client.messages
      .create({
        model: 'x',
        max_tokens: 100,
        tools: anthropicTools,
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ls' } }] },
          { role: 'user', content: 'and?' },
        ],
      })
      .catch((e: unknown) => e);
    expect(unanswered).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String(unanswered)).toContain('toolu_1');

    const streaming = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ model: 'x', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(streaming.status).toBe(400);
    expect(await streaming.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('Streaming') },
    });

    const unknown = await client.messages
      .create(
        { model: 'x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-hotmess-instance': 'nope__x-1' } },
      )
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);

    const route = await fetch(`${server.url}/v2/other`, { method: 'POST', body: '{}' });
    expect(route.status).toBe(404);
    const badJson = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: '{"model":' });
    expect(badJson.status).toBe(400);
  });

  it('refuses a prompt larger than its context window the way the API does', async () => {
    const { server } = await serve({ contextWindow: 50 });
    const client = new Anthropic({ apiKey: 'unused', baseURL: server.url, maxRetries: 0 });
    const err = await client.messages
      .create({ model: 'x', max_tokens: 100, messages: [{ role: 'user', content: 'x'.repeat(1000) }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String(err)).toMatch(/prompt is too long: \d+ tokens > 50 maximum/);
  });
});

describe('sim server with the real OpenAI SDK', () => {
  it('finds the instance from the first user message and the seed from the body', async () => {
    const fixture = await makeSimFixture(undefined, [otherInstance], { 'other.yaml': otherSpec });
    const server = await startSimServer({ instances: fixture.instances });
    servers.push(server);
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const replies = await openaiConversation(client, 'Please solve demo__calc-1 in this repository.', 9);
    const plan = planUnroll(await loadSimSpec(fixture.instance), 9);
    const calls = replies.flatMap((r) => r.choices[0]!.message.tool_calls ?? []).filter((c) => c.type === 'function');
    const commands = calls
      .filter((c) => c.function.name === 'bash')
      .map((c) => (JSON.parse(c.function.arguments) as { command: string }).command);
    expect(commands.slice(0, plan.explore)).toEqual(plan.commands);
    expect(calls.at(-1)?.function.name).toBe('submit');
    expect(replies.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    expect(requestIds.at(-1)).toMatch(/^req_sim_[0-9a-f]{32}$/);
    expect(replies[0]!.usage?.prompt_tokens).toBeGreaterThan(0);

    // The other instance is found by its problem statement; with neither, the server cannot tell.
    const byStatement = await openaiConversation(
      client,
      `Issue:\n  shout() forgets the exclamation mark\n on empty strings.`,
      1,
    );
    expect(byStatement).toHaveLength(4);
    expect(byStatement[0]!.choices[0]!.message.tool_calls?.[0]).toMatchObject({
      function: { arguments: JSON.stringify({ command: 'echo strings' }) },
    });
    const ambiguous = await client.chat.completions
      .create({ model: 'sim', messages: [{ role: 'user', content: 'hello' }], tools: openaiTools })
      .catch((e: unknown) => e);
    expect(ambiguous).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(ambiguous)).toContain('x-hotmess-instance');
  });

  it('reports reasoning tokens when a reasoning effort is asked for', async () => {
    const { server } = await serve();
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const [low] = await openaiConversation(client, 'go', 3, { reasoning_effort: 'low' });
    const [high] = await openaiConversation(client, 'go', 3, { reasoning_effort: 'high' });
    const lowTokens = low!.usage!.completion_tokens_details!.reasoning_tokens!;
    expect(lowTokens).toBeGreaterThan(0);
    expect(high!.usage!.completion_tokens_details!.reasoning_tokens).toBe(lowTokens * 4);
    expect(low!.usage!.completion_tokens).toBeGreaterThan(lowTokens);
  });

  it('cuts the turn at max_tokens with finish_reason length', async () => {
    const { server } = await serve();
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const reply = await client.chat.completions.create({
      model: 'sim',
      messages: [{ role: 'user', content: 'go' }],
      tools: openaiTools,
      max_completion_tokens: 3,
    });
    expect(reply.choices[0]!.finish_reason).toBe('length');
    expect(reply.choices[0]!.message.tool_calls).toBeUndefined();
    expect(reply.usage?.completion_tokens).toBe(3);
  });

  it('accepts parallel_tool_calls with tools, and refuses it without, as OpenAI does', async () => {
    const { server } = await serve();
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const replies = await openaiConversation(client, 'go', 4, { parallel_tool_calls: false, tool_choice: 'auto' });
    expect(replies.at(-1)!.choices[0]!.finish_reason).toBe('stop');
    for (const field of ['parallel_tool_calls', 'tool_choice'] as const) {
      const err = await client.chat.completions
        .create({
          model: 'sim',
          messages: [{ role: 'user', content: 'go' }],
          [field]: field === 'tool_choice' ? 'auto' : false,
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect(String(err)).toContain(`'${field}' is only allowed when 'tools' are specified`);
    }
  });

  it('refuses a history whose tool-call arguments are not JSON, as vLLM and llama.cpp do', async () => {
    const { server } = await serve();
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const history = (args: string): OpenAI.ChatCompletionMessageParam[] => [
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'bash', arguments: args } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'ok' },
    ];
    const err = await client.chat.completions
      .create({ model: 'sim', tools: openaiTools, messages: history('{"command": "ls') })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String(err)).toMatch(/messages\.1\.tool_calls\.0\.function\.arguments is not valid JSON: /);
    for (const args of ['{}', '', '{"command":"ls"}']) {
      const reply = await client.chat.completions.create({ model: 'sim', tools: openaiTools, messages: history(args) });
      expect(reply.choices[0]!.message.tool_calls).toHaveLength(1);
    }
  });

  it('answers bad requests with 400 and an OpenAI error body, and refuses n > 1 and streaming', async () => {
    const { server } = await serve();
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const bad = await client.chat.completions.create({ model: 'sim', messages: [] }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).type).toBe('invalid_request_error');
    const n2 = await client.chat.completions
      .create({ model: 'sim', n: 2, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(String(n2)).toContain('`n` must be 1');
    const stream = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'sim', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(stream.status).toBe(400);
    expect(((await stream.json()) as { error: { message: string } }).error.message).toContain('Streaming');
  });
});

describe('fault injection', () => {
  it('sends 429 and 500 with retry-after, then the same turn once the faults are used up', async () => {
    const { server } = await serve({ faults: { rate429: 1, retryAfterSeconds: 3, maxConsecutive: 1 } });
    const body = JSON.stringify({
      model: 'x',
      max_tokens: 500,
      tools: anthropicTools,
      messages: [{ role: 'user', content: 'go' }],
    });
    const first = await fetch(`${server.url}/v1/messages`, { method: 'POST', body });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(await first.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const second = await fetch(`${server.url}/v1/messages`, { method: 'POST', body });
    expect(second.status).toBe(200);

    const { server: clean } = await serve();
    const reference = await fetch(`${clean.url}/v1/messages`, { method: 'POST', body });
    expect(await second.text()).toBe(await reference.text());

    const { server: failing } = await serve({ faults: { rate500: 1, retryAfterSeconds: 1, maxConsecutive: 1 } });
    const crashed = await fetch(`${failing.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'go' }] }),
    });
    expect(crashed.status).toBe(500);
    expect(await crashed.json()).toMatchObject({ error: { type: 'server_error' } });
  });

  it('sends overloaded errors: 529 overloaded_error on the Anthropic wire, 503 on the OpenAI one', async () => {
    const { server } = await serve({ faults: { rate529: 1, retryAfterSeconds: 2, maxConsecutive: 1 } });
    const anthropic = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ model: 'x', max_tokens: 500, messages: [{ role: 'user', content: 'go' }] }),
    });
    expect(anthropic.status).toBe(529);
    expect(anthropic.headers.get('retry-after')).toBe('2');
    expect(await anthropic.json()).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: expect.stringContaining('overload') },
    });
    const openai = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'go' }] }),
    });
    expect(openai.status).toBe(503);
    expect(await openai.json()).toMatchObject({ error: { type: 'server_error' } });
  });

  it('rejects the key with 401 on both wires', async () => {
    const { server } = await serve({ faults: { rate401: 1 } });
    const anthropic = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ model: 'x', max_tokens: 500, messages: [{ role: 'user', content: 'go' }] }),
    });
    expect(anthropic.status).toBe(401);
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const openai = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'go' }] }),
    });
    expect(openai.status).toBe(401);
    expect(await openai.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
  });

  it('cuts a body off mid-way', async () => {
    const { log, records } = captureLog('info');
    const { server } = await serve({ faults: { truncatedBodyRate: 1, maxConsecutive: 1 }, log });
    const body = JSON.stringify({ model: 'x', max_tokens: 500, messages: [{ role: 'user', content: 'go' }] });
    const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', body });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(records().some((r) => r.fault === 'truncated')).toBe(true);
  });
});
