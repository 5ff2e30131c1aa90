import { afterAll, describe, expect, it } from 'vitest';
import { agentTools, goodCalls, runModelLoop } from '../../test/helpers/model-loop.ts';
import { captureLog, makeSimFixture } from '../../test/helpers/sim-fixture.ts';
import { planUnroll } from '../sim/policy.ts';
import { loadSimSpec } from '../sim/spec-load.ts';
import { toAnthropicMessages } from './anthropic.ts';
import { createModel } from './create.ts';
import { ModelError } from './errors.ts';
import { closeSharedSimServers } from './sim.ts';
import type { AssistantMessage, ChatMessage } from './types.ts';

afterAll(closeSharedSimServers);

const instanceId = 'demo__calc-1';

describe('the sim provider (in-process server, real SDKs)', () => {
  it.each(['sim', 'sim:anthropic', 'sim:openai'])('%s plays the planned unroll end to end', async (spec) => {
    const fixture = await makeSimFixture();
    const { log } = captureLog();
    const model = await createModel(spec, { log, instances: fixture.instances });
    expect(model.simulated).toBe(true);
    expect(model.name).toBe(spec === 'sim:anthropic' ? 'sim' : spec);
    const { turns } = await runModelLoop(model, { instanceId, seed: 4 });
    const plan = planUnroll(await loadSimSpec(fixture.instance), 4);
    const calls = goodCalls(turns);
    expect(calls.slice(0, plan.explore)).toEqual(plan.commands.map((command) => `bash ${JSON.stringify({ command })}`));
    expect(calls.at(-1)).toBe('submit {}');
    expect(turns.at(-1)!.stopReason).toBe('end_turn');
    expect(turns.slice(0, -1).every((t) => t.stopReason === 'tool_use')).toBe(true);
    for (const t of turns) {
      expect(t.costUsd).toBe(0);
      // The Anthropic wire caches the prompt, so most of it is counted as cache reads and writes.
      expect(t.usage.inputTokens + t.usage.cacheReadTokens + t.usage.cacheWriteTokens).toBeGreaterThan(0);
      if (spec === 'sim:openai') expect(t.usage.inputTokens).toBeGreaterThan(0);
    }
  });

  it('gives both wire formats the same plan, and the same trajectory for the same seed', async () => {
    const fixture = await makeSimFixture();
    const { log } = captureLog();
    const anthropic = await createModel('sim', { log, instances: fixture.instances });
    const openai = await createModel('sim:openai', { log, instances: fixture.instances });
    const a = await runModelLoop(anthropic, { instanceId, seed: 21 });
    const b = await runModelLoop(openai, { instanceId, seed: 21 });
    expect(goodCalls(a.turns)).toEqual(goodCalls(b.turns));
    const again = await runModelLoop(anthropic, { instanceId, seed: 21 });
    expect(JSON.stringify(again.messages)).toBe(JSON.stringify(a.messages));
  });

  it('sends Anthropic thinking and keeps the content for the next request', async () => {
    const fixture = await makeSimFixture();
    const { log } = captureLog();
    const model = await createModel('sim', { log, instances: fixture.instances, options: { thinkingBudget: 2000 } });
    const { turns } = await runModelLoop(model, { instanceId, seed: 1 });
    for (const t of turns) {
      expect(t.message.reasoning).toContain(instanceId);
      expect(t.usage.reasoningTokens).toBeGreaterThan(0);
      expect(t.usage.outputTokens).toBeGreaterThan(t.usage.reasoningTokens);
      expect((t.message.providerContent as { anthropic: { type: string }[] }).anthropic[0]?.type).toBe('thinking');
    }
  });

  it.each([
    ['429', 'sim', { rate429: 1 }, 429],
    ['500', 'sim', { rate500: 1 }, 500],
    ['529 overloaded', 'sim', { rate529: 1 }, 529],
    ['503 overloaded', 'sim:openai', { rate529: 1 }, 503],
  ] as const)(
    'retries injected %s on %s through the SDK (honouring retry-after) and logs every failed attempt',
    async (_name, spec, faults, status) => {
      const fixture = await makeSimFixture();
      const { log, records } = captureLog();
      const clean = await createModel(spec, { log: captureLog().log, instances: fixture.instances });
      const model = await createModel(spec, {
        log,
        instances: fixture.instances,
        options: { faults: { ...faults, retryAfterSeconds: 0.15, maxConsecutive: 2 } },
      });
      const started = Date.now();
      const turn = await model.turn([{ role: 'user', content: 'go' }], agentTools, { instanceId, seed: 3 });
      // Two faults, each followed by the 0.15 s the server asked for.
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      const failed = records().filter((r) => r.msg === 'model request failed');
      expect(failed.map((r) => [r.status, r.retryAfter, r.attempt])).toEqual([
        [status, '0.15', 1],
        [status, '0.15', 2],
      ]);
      const reference = await clean.turn([{ role: 'user', content: 'go' }], agentTools, { instanceId, seed: 3 });
      expect(JSON.stringify(turn.message)).toBe(JSON.stringify(reference.message));
    },
  );

  it.each(['sim', 'sim:openai'])('%s: a body cut off mid-way is retried by the SDK and logged', async (spec) => {
    const fixture = await makeSimFixture();
    const { log, records } = captureLog();
    const model = await createModel(spec, {
      log,
      instances: fixture.instances,
      options: { faults: { truncatedBodyRate: 1, maxConsecutive: 2 } },
    });
    const turn = await model.turn([{ role: 'user', content: 'go' }], agentTools, { instanceId, seed: 8 });
    expect(turn.stopReason).toBe('tool_use');
    expect(turn.toolCalls[0]?.parseError).toBeUndefined();
    const cut = records().filter((r) => r.msg === 'model response body was cut off');
    expect(cut.map((r) => [r.status, r.attempt])).toEqual([
      [200, 1],
      [200, 2],
    ]);
    expect(cut.every((r) => typeof r.error === 'string')).toBe(true);
  });

  it.each(['sim', 'sim:openai'])(
    '%s: malformed tool calls surface as parseError, and the plan resumes after the reply',
    async (spec) => {
      const fixture = await makeSimFixture();
      const { log } = captureLog();
      const model = await createModel(spec, {
        log,
        instances: fixture.instances,
        options: { faults: { malformedToolCallRate: 0.5 } },
      });
      const clean = await createModel(spec, { log, instances: fixture.instances });
      const faulty = await runModelLoop(model, { instanceId, seed: 6 });
      const bad = faulty.turns.flatMap((t) => t.toolCalls).filter((c) => c.parseError !== undefined);
      expect(bad.length).toBeGreaterThan(0);
      for (const call of bad)
        expect(call.parseError).toMatch(spec === 'sim' ? /Invalid arguments for bash: command/ : /not valid JSON/);
      expect(goodCalls(faulty.turns)).toEqual(goodCalls((await runModelLoop(clean, { instanceId, seed: 6 })).turns));
    },
  );

  it.each(['sim', 'sim:openai'])(
    '%s: calls of a tool not offered come back by name, and the plan resumes after the reply',
    async (spec) => {
      const fixture = await makeSimFixture();
      const { log } = captureLog();
      const model = await createModel(spec, {
        log,
        instances: fixture.instances,
        options: { faults: { unknownToolRate: 0.5 } },
      });
      const clean = await createModel(spec, { log, instances: fixture.instances });
      const faulty = await runModelLoop(model, { instanceId, seed: 6 });
      const unknown = faulty.turns.flatMap((t) => t.toolCalls).filter((c) => c.name === 'str_replace_editor');
      expect(unknown.length).toBeGreaterThan(0);
      for (const call of unknown)
        expect(call.parseError).toBe('Unknown tool "str_replace_editor"; the tools are: bash, submit.');
      expect(goodCalls(faulty.turns)).toEqual(goodCalls((await runModelLoop(clean, { instanceId, seed: 6 })).turns));
    },
  );

  it.each(['sim', 'sim:openai'])(
    '%s with quirks (an in-process server of its own) plays the same plan in fewer turns',
    async (spec) => {
      const fixture = await makeSimFixture();
      const { log } = captureLog();
      const quirks = {
        parallelToolCalls: true,
        omitToolCallIds: true,
        objectArguments: true,
        omitUsage: true,
        reasoningContent: true,
      };
      const quirky = await runModelLoop(
        await createModel(spec, { log, instances: fixture.instances, options: { quirks } }),
        { instanceId, seed: 8 },
      );
      const clean = await runModelLoop(await createModel(spec, { log, instances: fixture.instances }), {
        instanceId,
        seed: 8,
      });
      expect(goodCalls(quirky.turns)).toEqual(goodCalls(clean.turns));
      expect(quirky.turns.length).toBeLessThan(clean.turns.length);
      expect(quirky.turns.some((t) => t.toolCalls.length === 2)).toBe(true);
      if (spec === 'sim:openai') {
        expect(quirky.turns.flatMap((t) => t.toolCalls).every((c) => c.id.startsWith('call_hotmess_'))).toBe(true);
        expect(quirky.turns.every((t) => t.message.reasoning !== undefined && t.usage.reasoningTokens > 0)).toBe(true);
      }
    },
  );

  it('refuses a thinking-enabled history whose tool-use turn lost its thinking block, as the API does', async () => {
    const fixture = await makeSimFixture();
    const { log } = captureLog();
    const model = await createModel('sim', { log, instances: fixture.instances, options: { thinkingBudget: 2000 } });
    const messages: ChatMessage[] = [{ role: 'user', content: 'Fix the issue.' }];
    for (let i = 0; i < 2; i++) {
      const turn = await model.turn(messages, agentTools, { instanceId, seed: 5 });
      expect(turn.toolCalls).toHaveLength(1);
      messages.push(turn.message, {
        role: 'tool',
        toolCallId: turn.toolCalls[0]!.id,
        name: turn.toolCalls[0]!.name,
        content: 'ok',
        isError: false,
      });
    }
    const { providerContent: _kept, ...dropped } = messages[1] as AssistantMessage;
    const err = (await model
      .turn([messages[0]!, dropped, ...messages.slice(2)], agentTools, { instanceId, seed: 5 })
      .catch((e: unknown) => e)) as ModelError;
    expect(err).toBeInstanceOf(ModelError);
    expect(err.status).toBe(400);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(
      'messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `text`',
    );
  });

  it('replays an assistant turn that came back with no content as a "(no content)" text block', async () => {
    const fixture = await makeSimFixture();
    const { log } = captureLog();
    const model = await createModel('sim', { log, instances: fixture.instances });
    const empty: AssistantMessage = {
      role: 'assistant',
      content: '',
      toolCalls: [],
      providerContent: { anthropic: [] },
    };
    expect(toAnthropicMessages([{ role: 'user', content: 'go' }, empty]).messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: '(no content)' }],
    });
    const turn = await model.turn(
      [{ role: 'user', content: 'go' }, empty, { role: 'user', content: 'Please go on.' }],
      agentTools,
      { instanceId, seed: 2 },
    );
    expect(turn.stopReason).toBe('tool_use');
  });

  it('shares one concurrency limit across the models of a provider', async () => {
    const fixture = await makeSimFixture();
    const { log } = captureLog();
    const options = { concurrency: 1, faults: { slowMs: 120, slowRate: 1 } };
    const first = await createModel('sim', { log, instances: fixture.instances, options });
    const second = await createModel('sim', { log, instances: fixture.instances, options });
    const started = Date.now();
    await Promise.all(
      [first, second, first, second].map((m, seed) =>
        m.turn([{ role: 'user', content: 'go' }], agentTools, { instanceId, seed }),
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 120 - 10);

    const wide = await createModel('sim', {
      log,
      instances: fixture.instances,
      options: { ...options, concurrency: 4 },
    });
    const again = Date.now();
    await Promise.all(
      [0, 1, 2, 3].map((seed) => wide.turn([{ role: 'user', content: 'go' }], agentTools, { instanceId, seed })),
    );
    expect(Date.now() - again).toBeLessThan(3 * 120);
  });

  it('rethrows the abort reason when the turn is cancelled', async () => {
    const fixture = await makeSimFixture();
    const { log } = captureLog();
    const model = await createModel('sim', {
      log,
      instances: fixture.instances,
      options: { faults: { slowMs: 2000, slowRate: 1 } },
    });
    const controller = new AbortController();
    const reason = new Error('time limit');
    setTimeout(() => controller.abort(reason), 50);
    await expect(
      model.turn([{ role: 'user', content: 'go' }], agentTools, { instanceId, signal: controller.signal }),
    ).rejects.toBe(reason);
  });

  it('refuses instances with neither a sim spec nor a gold patch before any turn', async () => {
    const fixture = await makeSimFixture();
    const { log } = captureLog();
    await expect(
      createModel('sim', { log, instances: [{ ...fixture.instance, sim: undefined, patch: '' }] }),
    ).rejects.toThrow(/cannot play instances with neither a `sim` spec nor a gold patch: demo__calc-1/);
    await expect(createModel('sim', { log, instances: [] })).rejects.toThrow(/needs the instances/);
  });
});
