import type { Logger } from 'pino';
import { z } from 'zod';
import type { Usage } from './types.ts';

/** USD per million tokens. Cache prices default to the input price when a table entry leaves them out. */
export const priceSchema = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cacheRead: z.number().nonnegative().optional(),
    cacheWrite: z.number().nonnegative().optional(),
  })
  .strict();
export type Price = z.output<typeof priceSchema>;

/** User overrides, keyed `provider:model` or just `model`. */
export const priceOverridesSchema = z.record(z.string(), priceSchema);
export type PriceOverrides = z.output<typeof priceOverridesSchema>;

/** List prices (standard tier, prompts under 200k tokens), checked against the providers' pricing pages. */
export const pricesAsOf = '2026-01';
export const listPrices: Readonly<Record<string, Price>> = {
  'anthropic:claude-opus-4-6': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'anthropic:claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'anthropic:claude-opus-4-1': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'anthropic:claude-opus-4-0': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'anthropic:claude-sonnet-4-6': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic:claude-sonnet-4-5': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic:claude-sonnet-4-0': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic:claude-3-7-sonnet': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic:claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'anthropic:claude-3-5-haiku': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  'openai:gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
  'openai:gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
  'openai:gpt-5-nano': { input: 0.05, output: 0.4, cacheRead: 0.005 },
  'openai:gpt-4.1': { input: 2, output: 8, cacheRead: 0.5 },
  'openai:gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
  'openai:gpt-4.1-nano': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  'openai:gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
  'openai:gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  'openai:o1': { input: 15, output: 60, cacheRead: 7.5 },
  'openai:o3': { input: 2, output: 8, cacheRead: 0.5 },
  'openai:o3-mini': { input: 1.1, output: 4.4, cacheRead: 0.55 },
  'openai:o4-mini': { input: 1.1, output: 4.4, cacheRead: 0.275 },
};

/** Aliases that name the same model: `claude-sonnet-4` is `claude-sonnet-4-0`. */
const aliases: Readonly<Record<string, string>> = {
  'anthropic:claude-sonnet-4': 'anthropic:claude-sonnet-4-0',
  'anthropic:claude-opus-4': 'anthropic:claude-opus-4-0',
};

export const zeroPrice: Price = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

/** Dated snapshots (`-20250929`, `-2025-04-16`) cost what their family costs. */
function undated(model: string): string {
  return model
    .replace(/-\d{8}$/, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '')
    .replace(/-latest$/, '');
}

/** An override first (`provider:model`, then `model`), then the list; undefined when unknown. */
export function lookupPrice(provider: string, model: string, overrides: PriceOverrides = {}): Price | undefined {
  for (const name of [model, undated(model)]) {
    const key = `${provider}:${name}`;
    const found = overrides[key] ?? overrides[name] ?? listPrices[key] ?? listPrices[aliases[key] ?? ''];
    if (found) return found;
  }
  return undefined;
}

const warned = new Set<string>();

/**
 * The price to charge a model's turns at. The simulated agent is free unless given a price (to exercise cost
 * limits); an unknown model costs 0 and is warned about once per process, so that a cost limit is not silently
 * ineffective.
 */
export function priceFor(
  provider: string,
  model: string,
  overrides: PriceOverrides | undefined,
  log: Logger | undefined,
): Price {
  if (provider === 'sim') return lookupPrice(provider, model, overrides) ?? zeroPrice;
  const price = lookupPrice(provider, model, overrides);
  if (price) return price;
  const key = `${provider}:${model}`;
  if (!warned.has(key)) {
    warned.add(key);
    log?.warn(
      { model: key },
      `no price known for ${key}: its cost is counted as 0 (give a price override to fix this)`,
    );
  }
  return zeroPrice;
}

/** Usage.inputTokens excludes cache reads and writes, which are charged at their own rates. */
export function costOf(usage: Usage, price: Price): number {
  const perToken =
    usage.inputTokens * price.input +
    usage.outputTokens * price.output +
    usage.cacheReadTokens * (price.cacheRead ?? price.input) +
    usage.cacheWriteTokens * (price.cacheWrite ?? price.input);
  return perToken / 1_000_000;
}
