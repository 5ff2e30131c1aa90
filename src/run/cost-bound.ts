import type { Price } from '../models/pricing.ts';

/** What bounds a run's spending, for `run --dry-run`. */
export interface CostBoundInput {
  /** The model's price per million tokens; undefined when the price table does not know the model. */
  readonly price: Price | undefined;
  /** Unrolls still to run. */
  readonly unrolls: number;
  /** Attempts an unroll may take: 1 + --infra-retries (money spent on a failed attempt is spent all the same). */
  readonly attempts: number;
  /** --max-cost, dollars per unroll (0: none). The agent stops at its first turn past it. */
  readonly maxCostUsd: number;
  /** --max-messages: every turn adds at least one message, so no unroll takes more turns. */
  readonly maxMessages: number;
  /** --max-run-cost, dollars for the whole run. */
  readonly maxRunCostUsd?: number | undefined;
  /** Unrolls running at once: those running when the run's limit is reached still finish. */
  readonly concurrency: number;
  /** The largest prompt a turn can send (the context window) and the most output tokens it can get back. */
  readonly contextTokens: number;
  readonly outputTokens: number;
}

export interface CostBound {
  /** The most one turn can cost: a full context at the dearest input rate, and the full output. */
  readonly turnUsd: number;
  /** The most one unroll can cost, over all its attempts. */
  readonly unrollUsd: number;
  /** The most the run can cost. */
  readonly runUsd: number;
  /** Which limit gives `runUsd`. */
  readonly by: 'max-cost' | 'messages' | 'max-run-cost';
}

/**
 * The most a run may spend, from its limits and the price table. An unroll is stopped by --max-cost at its first
 * turn that reaches it, so it may spend one turn past it; without --max-cost only the message limit bounds its
 * turns. --max-run-cost stops the run at the turn that reaches it: no unroll starts after it, and those running
 * finish (and are kept), each spending at most what one unroll can. Undefined price: nothing can be bounded, as every turn is counted as free.
 */
export function costBound(input: CostBoundInput): CostBound | undefined {
  const { price } = input;
  if (!price) return undefined;
  const inputRate = Math.max(price.input, price.cacheWrite ?? price.input, price.cacheRead ?? price.input);
  const turnUsd = (input.contextTokens * inputRate + input.outputTokens * price.output) / 1_000_000;
  const byMessages = input.maxMessages * turnUsd;
  const attempt = input.maxCostUsd > 0 ? Math.min(input.maxCostUsd + turnUsd, byMessages) : byMessages;
  const unrollUsd = input.attempts * attempt;
  const all = input.unrolls * unrollUsd;
  const perUnrollBy = input.maxCostUsd > 0 && input.maxCostUsd + turnUsd <= byMessages ? 'max-cost' : 'messages';
  if (input.maxRunCostUsd !== undefined) {
    const capped = input.maxRunCostUsd + input.concurrency * unrollUsd;
    if (capped < all) return { turnUsd, unrollUsd, runUsd: capped, by: 'max-run-cost' };
  }
  return { turnUsd, unrollUsd, runUsd: all, by: perUnrollBy };
}
