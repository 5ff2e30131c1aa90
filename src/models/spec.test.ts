import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { formatModelSpec, parseModelOptions, parseModelSpec } from './spec.ts';

describe('parseModelSpec', () => {
  it('reads every documented form and formats it back', () => {
    const cases: [string, unknown, string][] = [
      [
        'anthropic:claude-sonnet-4-5',
        { provider: 'anthropic', model: 'claude-sonnet-4-5' },
        'anthropic:claude-sonnet-4-5',
      ],
      ['openai:o4-mini', { provider: 'openai', model: 'o4-mini' }, 'openai:o4-mini'],
      [
        'openai:ft:gpt-4o-mini:acme::abc123',
        { provider: 'openai', model: 'ft:gpt-4o-mini:acme::abc123' },
        'openai:ft:gpt-4o-mini:acme::abc123',
      ],
      [
        'openai-compatible:http://127.0.0.1:8000/v1#qwen3-8b',
        { provider: 'openai-compatible', baseURL: 'http://127.0.0.1:8000/v1', model: 'qwen3-8b' },
        'openai-compatible:http://127.0.0.1:8000/v1#qwen3-8b',
      ],
      [
        'openai-compatible:http://localhost:11434/v1/#qwen3:8b',
        { provider: 'openai-compatible', baseURL: 'http://localhost:11434/v1', model: 'qwen3:8b' },
        'openai-compatible:http://localhost:11434/v1#qwen3:8b',
      ],
      ['sim', { provider: 'sim', wire: 'anthropic' }, 'sim'],
      ['sim:anthropic', { provider: 'sim', wire: 'anthropic' }, 'sim'],
      ['sim:openai', { provider: 'sim', wire: 'openai' }, 'sim:openai'],
    ];
    for (const [text, spec, name] of cases) {
      expect(parseModelSpec(text)).toEqual(spec);
      expect(formatModelSpec(parseModelSpec(text))).toBe(name);
    }
  });

  it('refuses anything else with a usage error that shows the forms', () => {
    const bad: [string, RegExp][] = [
      ['gpt-4o', /is not one of anthropic:<model>/],
      ['anthropic:', /no valid model name/],
      ['openai: o4-mini', /no valid model name/],
      ['sim:gemini', /is not one of/],
      ['openai-compatible:127.0.0.1:8000#m', /needs an http\(s\) base URL/],
      ['openai-compatible:http://127.0.0.1:8000/v1', /needs a model name after "#"/],
      ['openai-compatible:http://user:pw@host/v1#m', /may not carry credentials/],
    ];
    for (const [text, message] of bad) {
      expect(() => parseModelSpec(text)).toThrow(UsageError);
      expect(() => parseModelSpec(text)).toThrow(message);
    }
  });
});

describe('parseModelOptions', () => {
  const anthropic = parseModelSpec('anthropic:claude-sonnet-4-5');
  const openai = parseModelSpec('openai:o3-mini');

  it('fills defaults', () => {
    expect(parseModelOptions(openai, undefined)).toEqual({ maxRetries: 4, timeoutMs: 600_000 });
  });

  it('names the bad option', () => {
    expect(() => parseModelOptions(openai, { temperature: 3 })).toThrow(/^Model option temperature: /);
    expect(() => parseModelOptions(openai, { reasoningEffort: 'extreme' })).toThrow(/^Model option reasoningEffort: /);
    expect(() => parseModelOptions(openai, { colour: 'red' })).toThrow(/Unrecognized key/);
    expect(() => parseModelOptions(openai, { apiKeyEnv: 'sk-123' })).toThrow(/environment variable name/);
  });

  it('refuses combinations the provider would reject', () => {
    expect(() => parseModelOptions(anthropic, { temperature: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => parseModelOptions(anthropic, { thinkingBudget: 500 })).toThrow(/thinkingBudget/);
    expect(() => parseModelOptions(anthropic, { thinkingBudget: 2000, temperature: 0.5 })).toThrow(
      /requires temperature 1/,
    );
    expect(() => parseModelOptions(anthropic, { thinkingBudget: 2000, maxTokens: 2000 })).toThrow(
      /greater than thinkingBudget/,
    );
    expect(() => parseModelOptions(openai, { thinkingBudget: 2000 })).toThrow(/only Anthropic models/);
    expect(() => parseModelOptions(openai, { faults: { rate429: 0.1 } })).toThrow(/only the sim model/);
    expect(parseModelOptions(anthropic, { thinkingBudget: 2000, temperature: 1 }).thinkingBudget).toBe(2000);
    expect(parseModelOptions(parseModelSpec('sim'), { faults: { rate429: 0.1 } }).faults?.rate429).toBe(0.1);
    expect(() => parseModelOptions(openai, { quirks: { omitUsage: true } })).toThrow(
      /Model option quirks: only the sim model/,
    );
    expect(() =>
      parseModelOptions(parseModelSpec('sim:openai'), { quirks: { omitUsage: true }, baseUrl: 'http://127.0.0.1:1' }),
    ).toThrow(/its own --quirks/);
    expect(() => parseModelOptions(parseModelSpec('sim:openai'), { quirks: { omitIds: true } })).toThrow(
      /Model option quirks/,
    );
    expect(parseModelOptions(parseModelSpec('sim:openai'), { quirks: { omitUsage: true } }).quirks?.omitUsage).toBe(
      true,
    );
  });

  it('takes promptCache for the Anthropic wire only, whichever way it is set', () => {
    expect(parseModelOptions(anthropic, { promptCache: false }).promptCache).toBe(false);
    expect(parseModelOptions(parseModelSpec('sim'), { promptCache: true }).promptCache).toBe(true);
    for (const spec of [
      openai,
      parseModelSpec('sim:openai'),
      parseModelSpec('openai-compatible:http://127.0.0.1:8000/v1#qwen3-8b'),
    ]) {
      for (const promptCache of [true, false]) {
        expect(() => parseModelOptions(spec, { promptCache })).toThrow(UsageError);
        expect(() => parseModelOptions(spec, { promptCache })).toThrow(
          'Model option promptCache: only Anthropic models take cache breakpoints (OpenAI caches long prompts by itself).',
        );
      }
    }
    expect(() => parseModelOptions(anthropic, { promptCache: 'yes' })).toThrow(/^Model option promptCache: /);
  });

  it('refuses a temperature for OpenAI reasoning models and a reasoning effort for the others, on OpenAI only', () => {
    for (const model of ['o1', 'o3-mini', 'o4-mini-2025-04-16', 'gpt-5', 'gpt-5-mini', 'ft:o4-mini:acme::x1']) {
      const spec = parseModelSpec(`openai:${model}`);
      expect(() => parseModelOptions(spec, { temperature: 0.2 })).toThrow(UsageError);
      expect(() => parseModelOptions(spec, { temperature: 0.2 })).toThrow(
        `Model option temperature: OpenAI reasoning models such as ${model} take no temperature (use reasoningEffort).`,
      );
      expect(parseModelOptions(spec, { reasoningEffort: 'high' }).reasoningEffort).toBe('high');
    }
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-nano', 'ft:gpt-4o-mini:acme::abc123']) {
      const spec = parseModelSpec(`openai:${model}`);
      expect(() => parseModelOptions(spec, { reasoningEffort: 'low' })).toThrow(UsageError);
      expect(() => parseModelOptions(spec, { reasoningEffort: 'low' })).toThrow(
        `Model option reasoningEffort: ${model} is not a reasoning model, so it takes no reasoning effort.`,
      );
      expect(parseModelOptions(spec, { temperature: 0.2 }).temperature).toBe(0.2);
    }
    const compatible = parseModelSpec('openai-compatible:http://127.0.0.1:8000/v1#gpt-5-local');
    expect(parseModelOptions(compatible, { temperature: 0.7, reasoningEffort: 'low' })).toMatchObject({
      temperature: 0.7,
      reasoningEffort: 'low',
    });
    expect(
      parseModelOptions(parseModelSpec('openai-compatible:http://127.0.0.1:8000/v1#gpt-4o'), { reasoningEffort: 'low' })
        .reasoningEffort,
    ).toBe('low');
  });
});
