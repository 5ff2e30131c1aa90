import type { LimitFunction } from 'p-limit';
import type { Logger } from 'pino';
import type { Price } from './pricing.ts';
import type { ModelOptions } from './spec.ts';
import type { TurnOptions } from './types.ts';

/** What a provider implementation is given by createModel: everything already resolved and checked. */
export interface ProviderContext {
  /** Canonical model name (run.json, logs). */
  readonly name: string;
  /** The model id sent to the API. */
  readonly modelId: string;
  readonly simulated: boolean;
  readonly baseURL: string | undefined;
  readonly apiKey: string;
  readonly options: ModelOptions;
  readonly log: Logger;
  readonly limit: LimitFunction;
  readonly price: Price;
  /** Per-turn request headers (the sim provider sends the instance and seed this way). */
  readonly turnHeaders?: (opts: TurnOptions) => Record<string, string>;
}
