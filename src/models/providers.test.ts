import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentTools, goodCalls, runModelLoop } from '../../test/helpers/model-loop.ts';
import { captureLog, makeSimFixture, otherInstance, otherSpec } from '../../test/helpers/sim-fixture.ts';
import { planUnroll } from '../sim/policy.ts';
import { startSimServer, type SimServer, type SimServerOptions } from '../sim/server.ts';
import { loadSimSpec } from '../sim/spec-load.ts';
import { createModel } from './create.ts';
import { ContextOverflowError, MissingApiKeyError, ModelError } from './errors.ts';

const anthropicKey = 'sk-ant-api03-SECRETKEY-5f2b9c0d7e1a';
const openaiKey = 'sk-proj-SECRETKEY-8c3d2e1f0a9b';
const savedEnv = { ...process.env };
const servers: SimServer[] = [];

beforeEach(() => {
  process.env.ANTHROPIC_API_KEY = anthropicKey;
  process.env.OPENAI_API_KEY = openaiKey;
});
afterEach(async () => {
  process.env = { ...savedEnv };
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(
  options: Partial<SimServerOptions> = {},
  twoInstances = false,
): Promise<{ url: string; fixture: Awaited<ReturnType<typeof makeSimFixture>> }> {
  const fixture = twoInstances
    ? await makeSimFixture(undefined, [otherInstance], { 'other.yaml': otherSpec })
    : await makeSimFixture();
  const server = await startSimServer({ instances: fixture.instances, ...options });
  servers.push(server);
  return { url: server.url, fixture };
}

const user = [{ role: 'user' as const, content: 'go' }];

describe('real providers pointed at the loopback server', () => {
  it('never lets an API key reach a log line, an error message or a turn', async () => {
    const { log, lines } = captureLog('debug');
    const outputs: string[] = [];
    const { url } = await serve({
      faults: {
        rate429: 0.3,
        rate500: 0.2,
        truncatedBodyRate: 0.1,
        retryAfterSeconds: 0.01,
        malformedToolCallRate: 0.2,
      },
      log,
    });
    const anthropic = await createModel('anthropic:claude-sonnet-4-6', { log, options: { baseUrl: url } });
    const openai = await createModel('openai:o4-mini', {
      log,
      options: { baseUrl: `${url}/v1`, reasoningEffort: 'low' },
    });
    for (const model of [anthropic, openai]) outputs.push(JSON.stringify(await runModelLoop(model, { seed: 2 })));

    const { url: tiny } = await serve({ contextWindow: 10, log });
    for (const model of [
      await createModel('anthropic:claude-sonnet-4-6', { log, options: { baseUrl: tiny } }),
      await createModel('openai:o4-mini', { log, options: { baseUrl: `${tiny}/v1` } }),
    ]) {
      const err = await model.turn(user, agentTools).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ContextOverflowError);
      outputs.push(String(err), JSON.stringify(err));
    }
    const failures = lines.filter((l) => l.includes('model request failed') || l.includes('cut off'));
    expect(failures.length).toBeGreaterThan(0);
    const everything = [...lines, ...outputs].join('\n');
    expect(everything).not.toContain('SECRETKEY');
  });

  it('fails with a one-line error naming the variable when a key is missing', async () => {
    delete process.env.ANTHROPIC_API_KEY;
    const { log } = captureLog();
    const err = await createModel('anthropic:claude-sonnet-4-5', { log }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingApiKeyError);
    expect((err as Error).message).toBe('ANTHROPIC_API_KEY is not set: export it to use anthropic:claude-sonnet-4-5.');
    await expect(
      createModel('openai-compatible:http://127.0.0.1:9/v1#m', {
        log,
        options: { apiKeyEnv: 'HOTMESS_TEST_NO_SUCH_KEY' },
      }),
    ).rejects.toThrow(
      'HOTMESS_TEST_NO_SUCH_KEY is not set: export it to use openai-compatible:http://127.0.0.1:9/v1#m.',
    );
  });

  it('openai-compatible works against `hotmess sim-server` with no hotmess headers (instance from the prompt, seed from the body)', async () => {
    const { url, fixture } = await serve({}, true);
    const { log } = captureLog();
    process.env.HOTMESS_TEST_KEY = 'compatible-SECRETKEY';
    const model = await createModel(`openai-compatible:${url}/v1#qwen3-8b`, {
      log,
      options: { apiKeyEnv: 'HOTMESS_TEST_KEY' },
    });
    expect(model.simulated).toBe(false);
    const { turns } = await runModelLoop(model, { seed: 13, firstMessage: 'Task demo__calc-1: add() is wrong.' });
    const plan = planUnroll(await loadSimSpec(fixture.instance), 13);
    expect(goodCalls(turns).slice(0, plan.explore)).toEqual(
      plan.commands.map((command) => `bash ${JSON.stringify({ command })}`),
    );
    expect(goodCalls(turns).at(-1)).toBe('submit {}');
  });

  it('charges list prices, or overrides, per turn', async () => {
    const { url } = await serve();
    const { log } = captureLog();
    const listed = await createModel('anthropic:claude-sonnet-4-6', { log, options: { baseUrl: url } });
    const turn = await listed.turn(user, agentTools);
    const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = turn.usage;
    expect(cacheWriteTokens).toBeGreaterThan(0);
    expect(turn.costUsd).toBeCloseTo(
      (inputTokens * 3 + outputTokens * 15 + cacheReadTokens * 0.3 + cacheWriteTokens * 3.75) / 1e6,
      15,
    );
    const custom = await createModel('openai:o4-mini', {
      log,
      options: { baseUrl: `${url}/v1`, prices: { 'o4-mini': { input: 100, output: 1000 } } },
    });
    const t2 = await custom.turn(user, agentTools);
    expect(t2.costUsd).toBeCloseTo((t2.usage.inputTokens * 100 + t2.usage.outputTokens * 1000) / 1e6, 15);
    expect(t2.costUsd).toBeGreaterThan(0);
  });

  it('warns once about a model with no known price and counts it as free', async () => {
    const { url } = await serve();
    const { log, records } = captureLog();
    const name = `openai-compatible:${url}/v1#mystery-model-${Date.now()}`;
    const a = await createModel(name, { log });
    await createModel(name, { log });
    expect((await a.turn(user, agentTools)).costUsd).toBe(0);
    expect(records().filter((r) => String(r.msg).startsWith('no price known'))).toHaveLength(1);
  });

  it('maps max_tokens stops on both wire formats', async () => {
    const { url } = await serve();
    const { log } = captureLog();
    const anthropic = await createModel('anthropic:claude-sonnet-4-6', {
      log,
      options: { baseUrl: url, maxTokens: 4 },
    });
    const openai = await createModel('openai:gpt-4.1', { log, options: { baseUrl: `${url}/v1`, maxTokens: 4 } });
    for (const model of [anthropic, openai]) {
      const turn = await model.turn(user, agentTools);
      expect(turn.stopReason).toBe('max_tokens');
      expect(turn.toolCalls).toEqual([]);
    }
  });

  it('reports exhausted retries as a retryable ModelError with the status', async () => {
    const { url } = await serve({ faults: { rate500: 1, retryAfterSeconds: 0.01, maxConsecutive: 10 } });
    const { log } = captureLog();
    const model = await createModel('anthropic:claude-sonnet-4-6', { log, options: { baseUrl: url, maxRetries: 1 } });
    const err = (await model.turn(user, agentTools).catch((e: unknown) => e)) as ModelError;
    expect(err).toBeInstanceOf(ModelError);
    expect(err.retryable).toBe(true);
    expect(err.status).toBe(500);
    expect(err.message).toBe(
      'anthropic:claude-sonnet-4-6 failed with HTTP 500 after 2 attempts: Simulated internal server error.',
    );
  });

  it('reports a body cut off on every attempt as a retryable ModelError, never an unhandled exception', async () => {
    const { url } = await serve({ faults: { truncatedBodyRate: 1, maxConsecutive: 10 } });
    const { log } = captureLog();
    const model = await createModel('openai:gpt-4.1', { log, options: { baseUrl: `${url}/v1`, maxRetries: 1 } });
    const err = (await model.turn(user, agentTools).catch((e: unknown) => e)) as ModelError;
    expect(err).toBeInstanceOf(ModelError);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(
      /^openai:gpt-4\.1 could not be reached or cut the connection \(2 attempts\): the response body was cut off/,
    );
  });

  it('reports a refused request as a non-retryable ModelError', async () => {
    const { url } = await serve({}, true);
    const { log } = captureLog();
    const model = await createModel(`openai-compatible:${url}/v1#m`, { log });
    const err = (await model.turn(user, agentTools).catch((e: unknown) => e)) as ModelError;
    expect(err).toBeInstanceOf(ModelError);
    expect(err.retryable).toBe(false);
    expect(err.status).toBe(400);
    expect(err.message).toContain('Cannot tell which instance');
  });

  it('reports an unreachable endpoint after the retries', async () => {
    const { log, records } = captureLog();
    const model = await createModel('openai-compatible:http://127.0.0.1:9/v1#m', { log, options: { maxRetries: 1 } });
    const err = (await model.turn(user, agentTools).catch((e: unknown) => e)) as ModelError;
    expect(err).toBeInstanceOf(ModelError);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/could not be reached or cut the connection \(2 attempts\)/);
    expect(records().filter((r) => r.msg === 'model request failed without a response')).toHaveLength(2);
  });
});
