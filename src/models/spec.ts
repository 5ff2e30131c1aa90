import { z } from 'zod';
import { UsageError } from '../errors.ts';
import { simDefaultSchema } from '../sim/default-spec.ts';
import { faultsSchema } from '../sim/faults.ts';
import { quirksSchema } from '../sim/quirks.ts';
import { priceOverridesSchema } from './pricing.ts';

/** Which provider and model a run talks to, parsed once from `--model`. */
export type ModelSpec =
  | { readonly provider: 'anthropic'; readonly model: string }
  | { readonly provider: 'openai'; readonly model: string }
  | { readonly provider: 'openai-compatible'; readonly baseURL: string; readonly model: string }
  | { readonly provider: 'sim'; readonly wire: 'anthropic' | 'openai' };

export const reasoningEfforts = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;

/** Everything about a model besides its name; checked once, with a message naming the option. */
export const modelOptionsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    maxTokens: z.number().int().positive().optional(),
    /** Anthropic extended thinking budget (tokens, at least 1024). */
    thinkingBudget: z.number().int().min(1024).optional(),
    /** Anthropic prompt-cache breakpoints on the system prompt and the last user message (on unless false). */
    promptCache: z.boolean().optional(),
    /** OpenAI reasoning models (o-series, gpt-5). */
    reasoningEffort: z.enum(reasoningEfforts).optional(),
    /** Another endpoint for the anthropic or openai provider (a proxy, or a `hotmess sim-server`). */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Environment variable holding the key (openai-compatible: none needed when unset). */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    /** The SDK's own retries per request. */
    maxRetries: z.number().int().min(0).max(20).default(4),
    timeoutMs: z.number().int().positive().default(600_000),
    /** Concurrent requests per provider endpoint, shared by every model of this process. */
    concurrency: z.number().int().positive().optional(),
    prices: priceOverridesSchema.optional(),
    /** Fault injection of the in-process sim server (sim only). */
    faults: faultsSchema.optional(),
    /** Other servers' reply shapes imitated by the in-process sim server (sim only). */
    quirks: quirksSchema.optional(),
    /** The mix of the default spec the in-process sim server plays on instances without a spec (sim only). */
    simDefault: simDefaultSchema.optional(),
    /** Sim only: extra drift to the wrong candidates on every task (a known regression, src/sim/shift.ts). */
    simDrift: z.number().min(0).max(1).optional(),
    /** Sim only: the action count past which simDrift applies (default: each task's median). */
    simDriftFrom: z.number().int().min(0).optional(),
  })
  .strict();

export type ModelOptions = z.output<typeof modelOptionsSchema>;
export type ModelOptionsInput = z.input<typeof modelOptionsSchema>;

const modelName = /^[A-Za-z0-9][\w.:/@+-]*$/;
const forms =
  'anthropic:<model>, openai:<model>, openai-compatible:<base URL>#<model>, sim, sim:anthropic or sim:openai';

export function parseModelSpec(text: string): ModelSpec {
  const trimmed = text.trim();
  if (trimmed === 'sim' || trimmed === 'sim:anthropic') return { provider: 'sim', wire: 'anthropic' };
  if (trimmed === 'sim:openai') return { provider: 'sim', wire: 'openai' };
  const colon = trimmed.indexOf(':');
  const provider = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const rest = colon < 0 ? '' : trimmed.slice(colon + 1);
  if (provider === 'anthropic' || provider === 'openai') {
    if (!modelName.test(rest))
      throw new UsageError(
        `Model "${text}" has no valid model name after "${provider}:" (e.g. ${provider === 'anthropic' ? 'anthropic:claude-sonnet-4-6' : 'openai:o4-mini'}).`,
      );
    return { provider, model: rest };
  }
  if (provider === 'openai-compatible') {
    const hash = rest.lastIndexOf('#');
    const baseURL = hash < 0 ? rest : rest.slice(0, hash);
    const model = hash < 0 ? '' : rest.slice(hash + 1);
    if (!z.url({ protocol: /^https?$/ }).safeParse(baseURL).success) {
      throw new UsageError(
        `Model "${text}" needs an http(s) base URL, as in openai-compatible:http://127.0.0.1:8000/v1#qwen3-8b.`,
      );
    }
    checkNoCredentials(baseURL);
    if (!modelName.test(model))
      throw new UsageError(
        `Model "${text}" needs a model name after "#", as in openai-compatible:http://127.0.0.1:8000/v1#qwen3-8b.`,
      );
    return { provider, baseURL: baseURL.replace(/\/+$/, ''), model };
  }
  throw new UsageError(`Model "${text}" is not one of ${forms}.`);
}

/** The canonical name recorded in run.json and predictions. */
export function formatModelSpec(spec: ModelSpec): string {
  switch (spec.provider) {
    case 'sim':
      return spec.wire === 'anthropic' ? 'sim' : 'sim:openai';
    case 'openai-compatible':
      return `openai-compatible:${spec.baseURL}#${spec.model}`;
    default:
      return `${spec.provider}:${spec.model}`;
  }
}

/** Validates options for a spec; combinations the provider would reject are refused here, before any request. */
export function parseModelOptions(spec: ModelSpec, input: unknown): ModelOptions {
  const parsed = modelOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.map(String).join('.') : 'options';
    throw new UsageError(`Model option ${field}: ${issue?.message ?? 'invalid'}.`);
  }
  const options = parsed.data;
  const anthropicWire = spec.provider === 'anthropic' || (spec.provider === 'sim' && spec.wire === 'anthropic');
  if (anthropicWire && options.temperature !== undefined && options.temperature > 1) {
    throw new UsageError('Model option temperature: Anthropic models take a temperature between 0 and 1.');
  }
  if (options.thinkingBudget !== undefined) {
    if (!anthropicWire)
      throw new UsageError(
        'Model option thinkingBudget: only Anthropic models have a thinking budget (use reasoningEffort for OpenAI).',
      );
    if (options.temperature !== undefined && options.temperature !== 1) {
      throw new UsageError('Model option temperature: Anthropic extended thinking requires temperature 1.');
    }
    if (options.maxTokens !== undefined && options.maxTokens <= options.thinkingBudget) {
      throw new UsageError(`Model option maxTokens: must be greater than thinkingBudget (${options.thinkingBudget}).`);
    }
  }
  if (options.promptCache !== undefined && !anthropicWire) {
    throw new UsageError(
      'Model option promptCache: only Anthropic models take cache breakpoints (OpenAI caches long prompts by itself).',
    );
  }
  if (spec.provider === 'openai') checkOpenAIReasoning(spec.model, options);
  if (options.faults && spec.provider !== 'sim')
    throw new UsageError('Model option faults: only the sim model injects faults.');
  if (options.faults && options.baseUrl)
    throw new UsageError('Model option faults: a separate sim server takes its faults from its own --faults.');
  if (options.quirks && spec.provider !== 'sim')
    throw new UsageError('Model option quirks: only the sim model imitates other servers.');
  if (options.quirks && options.baseUrl)
    throw new UsageError('Model option quirks: a separate sim server takes its quirks from its own --quirks.');
  if (options.simDefault && spec.provider !== 'sim')
    throw new UsageError('Model option simDefault: only the sim model plays a default spec.');
  if (options.simDefault && options.baseUrl)
    throw new UsageError('Model option simDefault: a separate sim server takes its mix from its own --sim-default.');
  if (options.simDrift !== undefined && spec.provider !== 'sim')
    throw new UsageError('Model option simDrift: only the sim model can be shifted.');
  if (options.simDriftFrom !== undefined && options.simDrift === undefined)
    throw new UsageError('Model option simDriftFrom: it only says where simDrift starts, so give simDrift too.');
  if (options.simDrift !== undefined && options.baseUrl)
    throw new UsageError('Model option simDrift: a separate sim server cannot be shifted from here.');
  if (options.baseUrl) checkNoCredentials(options.baseUrl);
  return options;
}

/** OpenAI's own families only: an openai-compatible server decides for itself what its models take. */
const openaiReasoningModel = /^(o1|o3|o4|gpt-5)/;
const openaiChatModel = /^(gpt-4o|gpt-4\.1)/;

function checkOpenAIReasoning(model: string, options: ModelOptions): void {
  const family = model.replace(/^ft:/, '');
  if (options.temperature !== undefined && openaiReasoningModel.test(family)) {
    throw new UsageError(
      `Model option temperature: OpenAI reasoning models such as ${model} take no temperature (use reasoningEffort).`,
    );
  }
  if (options.reasoningEffort !== undefined && openaiChatModel.test(family)) {
    throw new UsageError(
      `Model option reasoningEffort: ${model} is not a reasoning model, so it takes no reasoning effort.`,
    );
  }
}

function checkNoCredentials(url: string): void {
  const parsed = new URL(url);
  if (parsed.username || parsed.password) {
    throw new UsageError(
      'Model base URLs may not carry credentials: put the key in an environment variable (see apiKeyEnv).',
    );
  }
}
