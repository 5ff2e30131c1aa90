import type Docker from 'dockerode';
import { planImages, type ImagePlanEntry } from '../images/plan.ts';
import type { Instance } from '../instances/schema.ts';
import { defaultMaxTokens } from '../models/anthropic.ts';
import { simModelId } from '../models/create.ts';
import { lookupPrice, pricesAsOf, zeroPrice, type Price } from '../models/pricing.ts';
import { parseModelOptions, parseModelSpec, type ModelOptions, type ModelSpec } from '../models/spec.ts';
import { costBound, type CostBound } from './cost-bound.ts';
import type { SweepConfig } from './sweep.ts';

/** The largest prompt one turn is assumed to send: the usual context window (the sim server's too). */
export const assumedContextTokens = 200_000;
/** The output one turn is assumed to get at most when --max-tokens is not given and the provider sets no default. */
export const assumedOutputTokens = 64_000;

export interface DryRunRequest {
  readonly docker: Docker;
  readonly instances: readonly Instance[];
  readonly config: SweepConfig;
  readonly concurrency: number;
  readonly maxRunCostUsd?: number | undefined;
  /** Ask the registries for image sizes (default true). */
  readonly askRegistry?: boolean;
}

/** What `run` would do, found without starting, pulling, building or writing anything. */
export interface DryRunPlan {
  readonly tasks: number;
  readonly unrollsPerTask: number;
  readonly unrolls: number;
  readonly concurrency: number;
  readonly model: string;
  readonly simulated: boolean;
  /** undefined: the price table does not know the model (its turns would be counted as free). */
  readonly price: Price | undefined;
  readonly pricesAsOf: string;
  readonly maxCostUsd: number;
  readonly maxRunCostUsd: number | undefined;
  readonly attempts: number;
  readonly contextTokens: number;
  readonly outputTokens: number;
  readonly cost: CostBound | undefined;
  readonly images: ImagePlanEntry[];
}

/** The plan of a new run: its tasks and unrolls, where each image would come from, and the most it may cost. */
export async function planRun(req: DryRunRequest): Promise<DryRunPlan> {
  const { config } = req;
  const spec = parseModelSpec(config.model);
  const options = parseModelOptions(spec, config.modelOptions);
  const price = priceOf(spec, options);
  const outputTokens = outputTokensOf(spec, options);
  const unrolls = config.instanceIds.length * config.unrolls;
  const attempts = 1 + config.infraRetries;
  const images = await planImages(req.docker, req.instances, {
    ...(config.images ?? {}),
    askRegistry: req.askRegistry ?? true,
  });
  return {
    tasks: config.instanceIds.length,
    unrollsPerTask: config.unrolls,
    unrolls,
    concurrency: req.concurrency,
    model: config.model,
    simulated: spec.provider === 'sim',
    price,
    pricesAsOf,
    maxCostUsd: config.limits.maxCostUsd,
    maxRunCostUsd: req.maxRunCostUsd,
    attempts,
    contextTokens: assumedContextTokens,
    outputTokens,
    cost: costBound({
      price,
      unrolls,
      attempts,
      maxCostUsd: config.limits.maxCostUsd,
      maxMessages: config.limits.maxMessages,
      maxRunCostUsd: req.maxRunCostUsd,
      concurrency: req.concurrency,
      contextTokens: assumedContextTokens,
      outputTokens,
    }),
    images,
  };
}

/** As the run would charge: the simulated agent is free unless given a price; an unknown model has none. */
function priceOf(spec: ModelSpec, options: ModelOptions): Price | undefined {
  if (spec.provider === 'sim') return lookupPrice('sim', simModelId, options.prices) ?? zeroPrice;
  return lookupPrice(spec.provider, spec.model, options.prices);
}

/** --max-tokens, else Anthropic's default (plus a thinking budget), else an assumed ceiling. */
function outputTokensOf(spec: ModelSpec, options: ModelOptions): number {
  if (options.maxTokens !== undefined) return options.maxTokens;
  const anthropicWire = spec.provider === 'anthropic' || (spec.provider === 'sim' && spec.wire === 'anthropic');
  return anthropicWire ? defaultMaxTokens + (options.thinkingBudget ?? 0) : assumedOutputTokens;
}
