import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentTools, runModelLoop } from '../../test/helpers/model-loop.ts';
import { captureLog, makeSimFixture } from '../../test/helpers/sim-fixture.ts';
import { startSimServer, type SimServer } from '../sim/server.ts';
import { createModel } from './create.ts';
import type { AssistantMessage, ChatMessage, ModelTurn } from './types.ts';

const savedKey = process.env.ANTHROPIC_API_KEY;
const servers: SimServer[] = [];
beforeEach(() => {
  process.env.ANTHROPIC_API_KEY = 'sk-ant-test';
});
afterEach(async () => {
  process.env.ANTHROPIC_API_KEY = savedKey;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve() {
  const fixture = await makeSimFixture();
  const { log, records } = captureLog('debug');
  const server = await startSimServer({ instances: fixture.instances, log });
  servers.push(server);
  /** The bodies of the Messages API requests the server received, in order. */
  const bodies = () =>
    records()
      .filter((r) => r.msg === 'sim request')
      .map((r) => r.body as { system?: unknown; messages: { role: string; content: Record<string, unknown>[] }[] });
  return { url: server.url, bodies };
}

const prompt = (t: ModelTurn): number => t.usage.inputTokens + t.usage.cacheReadTokens + t.usage.cacheWriteTokens;
/** claude-sonnet-4-6 list prices per token: input, output, cache read, cache write. */
const sonnet = { input: 3e-6, output: 15e-6, read: 0.3e-6, write: 3.75e-6 };

describe('Anthropic prompt caching against the loopback server', () => {
  it('writes the prefix on the first turn and reads a growing one after, for less than the uncached conversation', async () => {
    const { url } = await serve();
    const { log } = captureLog();
    const cached = await runModelLoop(
      await createModel('anthropic:claude-sonnet-4-6', { log, options: { baseUrl: url } }),
      { seed: 3 },
    );
    const plain = await runModelLoop(
      await createModel('anthropic:claude-sonnet-4-6', { log, options: { baseUrl: url, promptCache: false } }),
      { seed: 3 },
    );
    expect(JSON.stringify(cached.messages)).toBe(JSON.stringify(plain.messages));
    expect(cached.turns.length).toBeGreaterThan(3);

    const [first, ...later] = cached.turns;
    expect(first!.usage.cacheWriteTokens).toBeGreaterThan(0);
    expect(first!.usage.cacheReadTokens).toBe(0);
    later.forEach((t, i) => {
      const before = cached.turns[i]!;
      // This turn reads what the turn before wrote (give or take the rounding of the token estimate).
      expect(t.usage.cacheReadTokens).toBeGreaterThan(before.usage.cacheReadTokens);
      expect(
        Math.abs(t.usage.cacheReadTokens - (before.usage.cacheReadTokens + before.usage.cacheWriteTokens)),
      ).toBeLessThanOrEqual(1);
      expect(t.usage.cacheWriteTokens).toBeGreaterThan(0);
    });
    cached.turns.forEach((t, i) => {
      const uncached = plain.turns[i]!;
      expect(t.usage.inputTokens).toBeLessThanOrEqual(1);
      expect(prompt(t)).toBe(uncached.usage.inputTokens);
      expect(t.costUsd).toBeCloseTo(
        t.usage.inputTokens * sonnet.input +
          t.usage.outputTokens * sonnet.output +
          t.usage.cacheReadTokens * sonnet.read +
          t.usage.cacheWriteTokens * sonnet.write,
        15,
      );
      expect(uncached.usage).toMatchObject({ cacheReadTokens: 0, cacheWriteTokens: 0 });
      if (i > 0) expect(t.costUsd).toBeLessThan(uncached.costUsd);
    });
    const total = (turns: ModelTurn[]) => turns.reduce((n, t) => n + t.costUsd, 0);
    expect(total(cached.turns)).toBeLessThan(total(plain.turns));
  });

  it('marks the system prompt and the last user block of each request, leaving the agent its messages as they were', async () => {
    const { url, bodies } = await serve();
    const { log } = captureLog();
    const model = await createModel('anthropic:claude-sonnet-4-6', { log, options: { baseUrl: url } });
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are a software engineer.' },
      { role: 'user', content: 'Fix the issue.' },
    ];
    for (let i = 0; i < 3; i++) {
      const before = structuredClone(messages);
      const turn = await model.turn(messages, agentTools, { seed: 1 });
      expect(messages).toEqual(before);
      messages.push(
        turn.message,
        ...turn.toolCalls.map((c) => ({
          role: 'tool' as const,
          toolCallId: c.id,
          name: c.name,
          content: 'ok',
          isError: false,
        })),
      );
    }
    expect(JSON.stringify(messages)).not.toContain('cache_control');

    const sent = bodies();
    expect(sent).toHaveLength(3);
    const ephemeral = { type: 'ephemeral' };
    for (const body of sent) {
      expect(body.system).toEqual([{ type: 'text', text: 'You are a software engineer.', cache_control: ephemeral }]);
      expect(body.messages.at(-1)!.content.at(-1)!.cache_control).toEqual(ephemeral);
      expect(JSON.stringify(body).split('"cache_control"')).toHaveLength(3);
    }
    // Assistant turns go back exactly as they came.
    const replayed = sent[2]!.messages.filter((m) => m.role === 'assistant').map((m) => m.content);
    expect(replayed).toEqual(
      messages
        .filter((m): m is AssistantMessage => m.role === 'assistant')
        .slice(0, 2)
        .map((m) => (m.providerContent as { anthropic: unknown }).anthropic),
    );

    const off = await createModel('anthropic:claude-sonnet-4-6', {
      log,
      options: { baseUrl: url, promptCache: false },
    });
    await off.turn(messages.slice(0, 2), agentTools, { seed: 1 });
    const plain = bodies().at(-1)!;
    expect(plain.system).toBe('You are a software engineer.');
    expect(JSON.stringify(plain)).not.toContain('cache_control');
  });
});
