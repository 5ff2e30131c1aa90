import { describe, expect, it } from 'vitest';
import { captureLog } from '../../test/helpers/sim-fixture.ts';
import { costOf, listPrices, lookupPrice, priceFor } from './pricing.ts';

describe('pricing', () => {
  it('finds list prices, dated snapshots and aliases', () => {
    expect(lookupPrice('anthropic', 'claude-sonnet-4-5')).toEqual(listPrices['anthropic:claude-sonnet-4-5']);
    expect(lookupPrice('anthropic', 'claude-sonnet-4-5-20250929')).toEqual(listPrices['anthropic:claude-sonnet-4-5']);
    expect(lookupPrice('anthropic', 'claude-sonnet-4')).toEqual(listPrices['anthropic:claude-sonnet-4-0']);
    expect(lookupPrice('openai', 'o4-mini-2025-04-16')).toEqual(listPrices['openai:o4-mini']);
    expect(lookupPrice('openai', 'o3-mini')).toEqual({ input: 1.1, output: 4.4, cacheRead: 0.55 });
    expect(lookupPrice('openai', 'nonexistent')).toBeUndefined();
  });

  it('prefers overrides, by provider:model and then by model', () => {
    const overrides = { 'openai:o4-mini': { input: 1, output: 2 }, 'qwen3-8b': { input: 0.1, output: 0.2 } };
    expect(lookupPrice('openai', 'o4-mini', overrides)).toEqual({ input: 1, output: 2 });
    expect(lookupPrice('openai-compatible', 'qwen3-8b', overrides)).toEqual({ input: 0.1, output: 0.2 });
  });

  it('charges each token class at its own rate per million', () => {
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 500_000,
      reasoningTokens: 400_000,
      cacheReadTokens: 2_000_000,
      cacheWriteTokens: 100_000,
    };
    expect(costOf(usage, { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 })).toBeCloseTo(
      3 + 7.5 + 0.6 + 0.375,
      12,
    );
    // Missing cache prices fall back to the input price.
    expect(costOf(usage, { input: 2, output: 8 })).toBeCloseTo(2 + 4 + 4 + 0.2, 12);
  });

  it('prices Anthropic cache reads at a tenth of input and 5-minute cache writes at 1.25 times, as Anthropic lists them', () => {
    const anthropic = Object.entries(listPrices).filter(([name]) => name.startsWith('anthropic:'));
    expect(anthropic.length).toBeGreaterThan(0);
    for (const [name, price] of anthropic) {
      expect(price.cacheRead, name).toBeCloseTo(price.input * 0.1, 12);
      expect(price.cacheWrite, name).toBeCloseTo(price.input * 1.25, 12);
    }
  });

  it('makes sim free, and an unknown model free with one warning', () => {
    const { log, records } = captureLog();
    expect(priceFor('sim', 'anything', undefined, log)).toMatchObject({ input: 0, output: 0 });
    expect(records()).toHaveLength(0);
    const name = `unpriced-${Date.now()}`;
    expect(priceFor('openai', name, undefined, log)).toMatchObject({ input: 0, output: 0 });
    priceFor('openai', name, undefined, log);
    expect(records()).toHaveLength(1);
    expect(records()[0]).toMatchObject({ level: 40, model: `openai:${name}` });
  });
});
