import { readFile } from 'node:fs/promises';
import type { Argv } from 'yargs';
import { agentLimitsSchema, type AgentLimits } from '../agent/limits.ts';
import { InputError, UsageError } from '../errors.ts';
import { knownDatasets, parseDatasetName, resolveDataset } from '../instances/datasets.ts';
import { filterInstances } from '../instances/filter.ts';
import { formatProblem, loadInstances } from '../instances/load.ts';
import type { Instance } from '../instances/schema.ts';
import { priceOverridesSchema } from '../models/pricing.ts';
import type { ModelOptionsInput } from '../models/spec.ts';
import { defaultSimMix, formatSimDefault, parseSimDefault, type SimDefault } from '../sim/default-spec.ts';
import { parseFaultsArg } from '../sim/faults.ts';
import { parseQuirksArg, quirkNames } from '../sim/quirks.ts';
import { repoRoot } from '../paths.ts';
import { numberOption, timeoutMsFrom } from './number-flags.ts';
import path from 'node:path';

/** The bundled offline task set: the default for every command that takes instances. */
export const defaultInstances = path.join(repoRoot, 'instances', 'pocket');

export function instanceOptions<T>(y: Argv<T>) {
  return y
    .option('instances', {
      type: 'string',
      default: defaultInstances,
      describe: 'Instance file (JSONL or JSON array) or directory',
      defaultDescription: 'instances/pocket',
    })
    .option('dataset', {
      type: 'string',
      coerce: (text: unknown) => {
        const value = Array.isArray(text) ? (text.at(-1) as unknown) : text;
        parseDatasetName(String(value));
        return String(value);
      },
      describe: `Instead of --instances, a well-known set in the data cache ($HOTMESS_DATA): ${knownDatasets.map((d) => d.name).join(', ')}, optionally :split (lite:dev)`,
    })
    .option('instance-ids', { type: 'string', array: true, describe: 'Only these instances' })
    .option('repo', { type: 'string', array: true, describe: 'Only instances of these repositories' })
    .option('filter', { type: 'string', describe: 'Only instances whose id matches this regular expression' })
    .option('strict', { type: 'boolean', default: false, describe: 'Refuse to run if any instance record is invalid' });
}

export interface InstanceArgs {
  instances: string;
  dataset?: string;
  'instance-ids'?: string[];
  repo?: string[];
  filter?: string;
  strict: boolean;
}

/** Where the instances come from: the files of --dataset, or --instances; `label` names them in messages. */
export async function instanceSourceOf(args: InstanceArgs): Promise<{ paths: string[]; label: string }> {
  if (args.dataset === undefined) return { paths: [args.instances], label: args.instances };
  if (path.resolve(args.instances) !== defaultInstances)
    throw new UsageError('Give --dataset or --instances, not both.');
  const { files } = await resolveDataset(args.dataset);
  return { paths: files, label: files.join(', ') };
}

/** Loads and filters instances; bad records are reported (and skipped unless --strict). */
export async function selectInstances(args: InstanceArgs, warn: (line: string) => void): Promise<Instance[]> {
  const source = await instanceSourceOf(args);
  const loaded = await loadInstances(source.paths, { strict: args.strict });
  for (const problem of loaded.problems) warn(`skipped a record: ${formatProblem(problem)}`);
  if (loaded.instances.length === 0) {
    throw new InputError(
      `${source.label} holds no valid instance${loaded.problems.length ? ` (${loaded.problems.length} bad record(s), listed above)` : ''}.`,
      source.label,
    );
  }
  const selected = filterInstances(loaded.instances, {
    ...(args['instance-ids'] ? { ids: args['instance-ids'] } : {}),
    ...(args.repo ? { repos: args.repo } : {}),
    ...(args.filter !== undefined ? { idPattern: args.filter } : {}),
  });
  if (selected.length === 0) throw new UsageError(`No instance in ${source.label} matches the selection.`);
  return selected;
}

export function modelOptions<T>(y: Argv<T>) {
  return y
    .option('model', {
      type: 'string',
      default: 'sim',
      describe: 'anthropic:<model>, openai:<model>, openai-compatible:<url>#<model>, sim, sim:openai',
    })
    .option(
      'temperature',
      numberOption('temperature', { kind: 'number', min: 0, max: 2 }, { describe: 'Sampling temperature' }),
    )
    .option(
      'max-tokens',
      numberOption('max-tokens', { kind: 'integer', min: 1 }, { describe: 'Output tokens per model turn' }),
    )
    .option(
      'thinking-budget',
      numberOption(
        'thinking-budget',
        { kind: 'integer', min: 0 },
        { describe: 'Anthropic extended-thinking budget (tokens)' },
      ),
    )
    .option('prompt-cache', {
      type: 'boolean',
      default: true,
      describe: 'Anthropic prompt caching of the system prompt and conversation (--no-prompt-cache: off)',
    })
    .option('reasoning-effort', { type: 'string', describe: 'OpenAI reasoning effort (minimal, low, medium, high)' })
    .option('base-url', {
      type: 'string',
      describe: 'Another endpoint for the provider (a proxy, or a running hotmess sim-server)',
    })
    .option('api-key-env', { type: 'string', describe: 'Environment variable holding the API key' })
    .option(
      'model-concurrency',
      numberOption(
        'model-concurrency',
        { kind: 'integer', min: 1 },
        { describe: 'Concurrent requests to the provider' },
      ),
    )
    .option('prices', {
      type: 'string',
      describe: 'JSON file of price overrides: {"provider:model": {"input": $/Mtok, "output": $/Mtok}}',
    })
    .option('faults', {
      type: 'string',
      describe:
        'sim only: fault injection, e.g. rate429=0.1,rate500=0.05,rate529=0.05,malformedToolCallRate=0.05,unknownToolRate=0.05',
    })
    .option('quirks', {
      type: 'string',
      describe: `sim only: imitate other servers' replies, comma-separated: ${quirkNames.join(', ')}`,
    })
    .option('sim-default', simDefaultOption)
    .option(
      'sim-drift',
      numberOption(
        'sim-drift',
        { kind: 'number', min: 0, max: 1 },
        { describe: 'sim only: extra drift to the wrong patches per action past the median (a known regression)' },
      ),
    )
    .option(
      'sim-drift-from',
      numberOption(
        'sim-drift-from',
        { kind: 'integer', min: 0 },
        { describe: 'sim only: the action count past which --sim-drift applies (default: each task’s median)' },
      ),
    );
}

/** `--sim-default`, checked as it is parsed (one sentence, exit 2); shared with `expected` and `sim-server`. */
export const simDefaultOption = {
  type: 'string',
  coerce: parseSimDefault,
  describe:
    'sim only: for instances without a `sim` spec, how often the simulated agent writes the gold patch or nothing',
  defaultDescription: formatSimDefault(defaultSimMix),
} as const;

export interface SimDefaultArgs {
  'sim-default'?: SimDefault;
}

export interface ModelArgs {
  model: string;
  temperature?: number;
  'max-tokens'?: number;
  'thinking-budget'?: number;
  'prompt-cache': boolean;
  'reasoning-effort'?: string;
  'base-url'?: string;
  'api-key-env'?: string;
  'model-concurrency'?: number;
  prices?: string;
  faults?: string;
  quirks?: string;
  'sim-default'?: SimDefault;
  'sim-drift'?: number;
  'sim-drift-from'?: number;
}

export async function modelOptionsFrom(args: ModelArgs): Promise<ModelOptionsInput> {
  let prices;
  if (args.prices !== undefined) {
    let text: string;
    try {
      text = await readFile(args.prices, 'utf8');
    } catch {
      throw new InputError(`Price file ${args.prices} cannot be read.`, args.prices);
    }
    const parsed = priceOverridesSchema.safeParse(safeJson(text, args.prices));
    if (!parsed.success)
      throw new InputError(
        `Price file ${args.prices}: ${parsed.error.issues[0]?.message ?? 'bad shape'}.`,
        args.prices,
      );
    prices = parsed.data;
  }
  const options: Record<string, unknown> = {
    temperature: args.temperature,
    maxTokens: args['max-tokens'],
    thinkingBudget: args['thinking-budget'],
    // Only turning it off is recorded: the default is the provider's own (on for Anthropic, not an option elsewhere).
    promptCache: args['prompt-cache'] ? undefined : false,
    reasoningEffort: args['reasoning-effort'],
    baseUrl: args['base-url'],
    apiKeyEnv: args['api-key-env'],
    concurrency: args['model-concurrency'],
    prices,
    faults: args.faults === undefined ? undefined : parseFaultsArg(args.faults),
    quirks: args.quirks === undefined ? undefined : parseQuirksArg(args.quirks),
    simDefault: args['sim-default'],
    simDrift: args['sim-drift'],
    simDriftFrom: args['sim-drift-from'],
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ModelOptionsInput;
}

function safeJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InputError(`Price file ${file} is not valid JSON.`, file);
  }
}

export function limitOptions<T>(y: Argv<T>) {
  return y
    .option(
      'max-actions',
      numberOption(
        'max-actions',
        { kind: 'integer', min: 0 },
        {
          default: 250,
          describe: 'Stop an unroll after this many tool calls (0: no limit)',
        },
      ),
    )
    .option(
      'max-messages',
      numberOption(
        'max-messages',
        { kind: 'integer', min: 1 },
        {
          default: 250,
          describe: 'Stop an unroll when its conversation reaches this many messages (the paper: 250)',
        },
      ),
    )
    .option(
      'time-limit',
      numberOption(
        'time-limit',
        { kind: 'seconds' },
        {
          default: 3600,
          describe: 'Wall-clock seconds per unroll (the paper: 1 hour)',
        },
      ),
    )
    .option(
      'max-cost',
      numberOption(
        'max-cost',
        { kind: 'number', min: 0 },
        { default: 0, describe: 'Dollars per unroll (0: no limit)' },
      ),
    )
    .option(
      'command-timeout',
      numberOption(
        'command-timeout',
        { kind: 'seconds' },
        {
          default: 180,
          describe: 'Seconds before one command is killed',
        },
      ),
    )
    .option(
      'test-timeout',
      numberOption(
        'test-timeout',
        { kind: 'seconds' },
        {
          default: 1800,
          describe: 'Seconds before grading kills the test command',
        },
      ),
    )
    .option(
      'max-disk',
      numberOption(
        'max-disk',
        { kind: 'number', min: 0 },
        {
          default: 10,
          describe: 'GiB an unroll may write to its sandbox before it stops with disk_limit (0: no limit)',
        },
      ),
    )
    .option(
      'max-observation-chars',
      numberOption(
        'max-observation-chars',
        { kind: 'integer', min: 1 },
        {
          default: 10_000,
          describe: 'Longer command output is cut in the middle before the model sees it, with a note saying how much',
        },
      ),
    )
    .option(
      'max-format-errors',
      numberOption(
        'max-format-errors',
        { kind: 'integer', min: 1 },
        {
          default: 3,
          describe: 'Stop with format_error after this many turns in a row without a usable tool call',
        },
      ),
    )
    .option('exec-mode', {
      choices: ['persistent', 'exec'] as const,
      default: 'persistent' as const,
      describe: 'Persistent shell per sandbox, or one exec per action',
    });
}

export { maxTimerMs, timeoutMsFrom } from './number-flags.ts';

export interface LimitArgs {
  'max-actions': number;
  'max-messages': number;
  'time-limit': number;
  'max-cost': number;
  'command-timeout': number;
  'test-timeout': number;
  'max-observation-chars': number;
  'max-disk': number;
  'max-format-errors': number;
  'exec-mode': 'persistent' | 'exec';
}

export function limitsFrom(args: LimitArgs): AgentLimits {
  const parsed = agentLimitsSchema.safeParse({
    maxActions: args['max-actions'],
    maxMessages: args['max-messages'],
    maxWallMs: timeoutMsFrom('time-limit', args['time-limit']),
    maxCostUsd: args['max-cost'],
    commandTimeoutMs: timeoutMsFrom('command-timeout', args['command-timeout']),
    maxObservationChars: args['max-observation-chars'],
    maxDiskBytes: Math.round(args['max-disk'] * 1024 ** 3),
    maxFormatErrors: args['max-format-errors'],
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`Bad limit ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}.`);
  }
  return parsed.data;
}
