import type { Logger } from 'pino';
import type { Instance } from '../instances/schema.ts';
import { createAnthropicModel } from './anthropic.ts';
import { providerLimiter } from './concurrency.ts';
import type { ProviderContext } from './context.ts';
import { apiKeyFromEnv } from './keys.ts';
import { createOpenAIModel } from './openai.ts';
import { priceFor } from './pricing.ts';
import { sharedSimServer, simShiftOf, simTurnHeaders } from './sim.ts';
import { formatModelSpec, parseModelOptions, parseModelSpec, type ModelOptionsInput, type ModelSpec } from './spec.ts';
import type { Model } from './types.ts';

export interface CreateModelContext {
  readonly log: Logger;
  readonly options?: ModelOptionsInput;
  /** The run's instances: required by `sim`, whose server plays them. */
  readonly instances?: readonly Instance[];
}

const defaultConcurrency = { anthropic: 8, openai: 8, 'openai-compatible': 4, sim: 64 } as const;
export const simModelId = 'hotmess-sim';
/** The sim server checks no key; the SDKs insist on having one. */
const simKey = 'sim-needs-no-key';

/** Builds a Model from `--model` and its options. Keys come from the environment only. */
export async function createModel(specOrText: string | ModelSpec, ctx: CreateModelContext): Promise<Model> {
  const spec = typeof specOrText === 'string' ? parseModelSpec(specOrText) : specOrText;
  const options = parseModelOptions(spec, ctx.options);
  const name = formatModelSpec(spec);
  const log = ctx.log.child({ model: name });
  const concurrency = options.concurrency ?? defaultConcurrency[spec.provider];

  switch (spec.provider) {
    case 'anthropic':
    case 'openai': {
      const apiKey = apiKeyFromEnv(
        options.apiKeyEnv ?? (spec.provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY'),
        name,
      );
      const baseURL = options.baseUrl;
      const context: ProviderContext = {
        name,
        modelId: spec.model,
        simulated: false,
        baseURL,
        apiKey,
        options,
        log,
        limit: providerLimiter(`${spec.provider}|${baseURL ?? 'default'}`, concurrency),
        price: priceFor(spec.provider, spec.model, options.prices, log),
      };
      return spec.provider === 'anthropic' ? createAnthropicModel(context) : createOpenAIModel(context, 'openai');
    }
    case 'openai-compatible': {
      // Local servers usually need no key; vLLM's documented placeholder is sent then.
      const apiKey = options.apiKeyEnv ? apiKeyFromEnv(options.apiKeyEnv, name) : 'EMPTY';
      const baseURL = options.baseUrl ?? spec.baseURL;
      const context: ProviderContext = {
        name,
        modelId: spec.model,
        simulated: false,
        baseURL,
        apiKey,
        options,
        log,
        limit: providerLimiter(`openai-compatible|${baseURL}`, concurrency),
        price: priceFor('openai-compatible', spec.model, options.prices, log),
      };
      return createOpenAIModel(context, 'compatible');
    }
    case 'sim': {
      // With a base URL the model talks to a `hotmess sim-server` already running; else to the in-process one.
      const root =
        options.baseUrl?.replace(/\/v1\/?$/, '').replace(/\/+$/, '') ??
        (
          await sharedSimServer(
            ctx.instances ?? [],
            {
              faults: options.faults,
              quirks: options.quirks,
              simDefault: options.simDefault,
              shift: simShiftOf(options),
            },
            log,
          )
        ).url;
      const baseURL = spec.wire === 'anthropic' ? root : `${root}/v1`;
      const context: ProviderContext = {
        name,
        modelId: simModelId,
        simulated: true,
        baseURL,
        apiKey: simKey,
        options,
        log,
        limit: providerLimiter(`sim|${root}`, concurrency),
        price: priceFor('sim', simModelId, options.prices, log),
        turnHeaders: simTurnHeaders,
      };
      return spec.wire === 'anthropic' ? createAnthropicModel(context) : createOpenAIModel(context, 'openai');
    }
  }
}
