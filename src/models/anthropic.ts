import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { estimateTokens } from '../util/estimate-tokens.ts';
import type { ProviderContext } from './context.ts';
import { ModelError } from './errors.ts';
import { costOf } from './pricing.ts';
import { loggingFetch } from './retry-log.ts';
import { sdkLogger } from './sdk-logger.ts';
import { toModelError } from './sdk-errors.ts';
import { checkToolInput } from './tool-input.ts';
import type {
  AssistantMessage,
  ChatMessage,
  Model,
  ModelTurn,
  ToolCall,
  ToolSpec,
  TurnOptions,
  TurnStopReason,
  Usage,
} from './types.ts';

export const defaultMaxTokens = 8192;
/** The 5-minute cache, the one the price table's cacheWrite price is for. */
const ephemeral = { type: 'ephemeral' } as const;
/** pause_turn asks the client to send the turn back so the model can go on; bounded so a loop cannot run away. */
const maxContinuations = 3;

const blockSchema = z.looseObject({ type: z.string() });
const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const thinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string() });
const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
const responseSchema = z.looseObject({
  content: z.array(blockSchema),
  stop_reason: z.string().nullable(),
  usage: z.looseObject({
    input_tokens: z.number(),
    output_tokens: z.number(),
    cache_read_input_tokens: z.number().nullish(),
    cache_creation_input_tokens: z.number().nullish(),
    output_tokens_details: z.looseObject({ thinking_tokens: z.number() }).nullish(),
  }),
});
type Block = z.output<typeof blockSchema>;

/** What an Anthropic assistant turn keeps in `providerContent`: its content blocks, to be sent back unchanged. */
const providerContentSchema = z.object({ anthropic: z.array(blockSchema) });

/** Anthropic Messages API with tool use and optional extended thinking (DESIGN.md §4, NOTES.md). */
export function createAnthropicModel(ctx: ProviderContext): Model {
  const client = new Anthropic({
    apiKey: ctx.apiKey,
    ...(ctx.baseURL ? { baseURL: ctx.baseURL } : {}),
    maxRetries: ctx.options.maxRetries,
    timeout: ctx.options.timeoutMs,
    fetch: loggingFetch(ctx.log, { provider: 'anthropic' }),
    logger: sdkLogger(ctx.log),
    logLevel: 'warn',
  });
  const { thinkingBudget, temperature } = ctx.options;
  const maxTokens =
    ctx.options.maxTokens ?? (thinkingBudget === undefined ? defaultMaxTokens : thinkingBudget + defaultMaxTokens);
  const attempts = ctx.options.maxRetries + 1;
  const promptCache = ctx.options.promptCache !== false;

  async function call(messages: ChatMessage[], tools: ToolSpec[], opts: TurnOptions): Promise<ModelTurn> {
    const converted = toAnthropicMessages(messages);
    // As one block the system prompt can carry a breakpoint, caching tools and system for every later turn.
    const system =
      promptCache && converted.system
        ? [{ type: 'text' as const, text: converted.system, cache_control: ephemeral }]
        : converted.system;
    const wire = promptCache ? withCacheBreakpoint(converted.messages) : converted.messages;
    const content: Block[] = [];
    const usage: Usage = {
      inputTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    };
    let stop: string | null = null;
    for (let round = 0; round <= maxContinuations; round++) {
      const body: Anthropic.MessageCreateParamsNonStreaming = {
        model: ctx.modelId,
        max_tokens: maxTokens,
        messages:
          round === 0
            ? wire
            : [...wire, { role: 'assistant', content: content as unknown as Anthropic.ContentBlockParam[] }],
        ...(system ? { system } : {}),
        // One call per turn: the message limit and actionCapacity count one action per assistant turn.
        ...(tools.length
          ? {
              tools: tools.map((t) => ({
                name: t.name,
                description: t.description,
                input_schema: t.parameters as Anthropic.Tool.InputSchema,
              })),
              tool_choice: { type: 'auto', disable_parallel_tool_use: true },
            }
          : {}),
        ...(thinkingBudget === undefined ? {} : { thinking: { type: 'enabled', budget_tokens: thinkingBudget } }),
        ...(temperature === undefined ? {} : { temperature }),
      };
      const raw: unknown = await client.messages.create(body, {
        ...(opts.signal ? { signal: opts.signal } : {}),
        headers: ctx.turnHeaders?.(opts) ?? {},
      });
      const parsed = responseSchema.safeParse(raw);
      if (!parsed.success) {
        throw new ModelError(
          `${ctx.name} sent a response that is not a Messages API message (${parsed.error.issues[0]?.message ?? 'invalid'}).`,
          { retryable: true },
        );
      }
      const response = parsed.data;
      content.push(...response.content);
      addUsage(usage, response.usage, response.content);
      stop = response.stop_reason;
      if (stop !== 'pause_turn') break;
    }
    return toTurn(content, stop, usage, tools);
  }

  function toTurn(content: Block[], stop: string | null, usage: Usage, tools: ToolSpec[]): ModelTurn {
    const texts: string[] = [];
    const thoughts: string[] = [];
    const toolCalls: ToolCall[] = [];
    for (const block of content) {
      const text = textBlock.safeParse(block);
      if (text.success) texts.push(text.data.text);
      const thinking = thinkingBlock.safeParse(block);
      if (thinking.success) thoughts.push(thinking.data.thinking);
      const use = toolUseBlock.safeParse(block);
      if (use.success)
        toolCalls.push({
          id: use.data.id,
          name: use.data.name,
          ...checkToolInput(tools, use.data.name, use.data.input),
        });
    }
    const message = {
      role: 'assistant' as const,
      content: texts.join('\n'),
      toolCalls,
      ...(thoughts.length ? { reasoning: thoughts.join('\n') } : {}),
      providerContent: { anthropic: content },
    };
    return {
      message,
      toolCalls,
      usage,
      stopReason: stopReason(stop, toolCalls.length > 0),
      costUsd: costOf(usage, ctx.price),
    };
  }

  return {
    name: ctx.name,
    simulated: ctx.simulated,
    turn: (messages, tools, opts = {}) =>
      ctx.limit(async () => {
        opts.signal?.throwIfAborted();
        try {
          return await call(messages, tools, opts);
        } catch (err) {
          if (opts.signal?.aborted) throw opts.signal.reason;
          throw toModelError(err, { name: ctx.name, attempts, secrets: [ctx.apiKey] });
        }
      }),
  };
}

function addUsage(total: Usage, usage: z.output<typeof responseSchema>['usage'], content: Block[]): void {
  total.inputTokens += usage.input_tokens;
  total.outputTokens += usage.output_tokens;
  total.cacheReadTokens += usage.cache_read_input_tokens ?? 0;
  total.cacheWriteTokens += usage.cache_creation_input_tokens ?? 0;
  // Older responses do not break output tokens down: estimate thinking from its text.
  const thinkingChars = content.reduce((n, b) => n + (thinkingBlock.safeParse(b).data?.thinking.length ?? 0), 0);
  total.reasoningTokens += usage.output_tokens_details?.thinking_tokens ?? estimateTokens(thinkingChars);
}

/**
 * Marks the last block of the last user message, a breakpoint that moves with the conversation: the next turn
 * reads this turn's whole prefix from the cache. The message and block are copies, so the agent's are untouched.
 */
export function withCacheBreakpoint(messages: readonly Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const i = messages.findLastIndex((m) => m.role === 'user');
  const last = messages[i];
  if (!last || !Array.isArray(last.content) || last.content.length === 0) return [...messages];
  // toAnthropicMessages builds user messages from text and tool_result blocks only.
  const blocks = last.content as (Anthropic.TextBlockParam | Anthropic.ToolResultBlockParam)[];
  const marked: Anthropic.MessageParam = {
    role: 'user',
    content: blocks.with(-1, { ...(blocks.at(-1) as (typeof blocks)[number]), cache_control: ephemeral }),
  };
  return messages.with(i, marked);
}

export function stopReason(stop: string | null, hasToolCalls: boolean): TurnStopReason {
  switch (stop) {
    case 'tool_use':
      return 'tool_use';
    case 'end_turn':
    case 'stop_sequence':
      return hasToolCalls ? 'tool_use' : 'end_turn';
    case 'max_tokens':
      return 'max_tokens';
    case 'refusal':
      return 'refusal';
    case 'model_context_window_exceeded':
      return 'context_overflow';
    default:
      return 'other';
  }
}

/**
 * Provider-neutral messages to the Messages API: system text goes to `system`, tool results are gathered into
 * the next user message, and an assistant turn that came from Anthropic is sent back exactly as received.
 */
export function toAnthropicMessages(messages: readonly ChatMessage[]): {
  system: string;
  messages: Anthropic.MessageParam[];
} {
  const system: string[] = [];
  const out: Anthropic.MessageParam[] = [];
  const userBlocks = (): Anthropic.ContentBlockParam[] => {
    const last = out[out.length - 1];
    if (last?.role === 'user' && Array.isArray(last.content)) return last.content;
    const blocks: Anthropic.ContentBlockParam[] = [];
    out.push({ role: 'user', content: blocks });
    return blocks;
  };
  for (const m of messages) {
    switch (m.role) {
      case 'system':
        system.push(m.content);
        break;
      case 'user':
        userBlocks().push({ type: 'text', text: m.content });
        break;
      case 'tool':
        userBlocks().push({ type: 'tool_result', tool_use_id: m.toolCallId, content: m.content, is_error: m.isError });
        break;
      case 'assistant': {
        const kept = providerContentSchema.safeParse(m.providerContent);
        const blocks = kept.success
          ? (kept.data.anthropic as unknown as Anthropic.ContentBlockParam[])
          : neutralBlocks(m);
        // The API refuses an empty assistant message anywhere but last (and the model may have sent `content: []`).
        out.push({ role: 'assistant', content: blocks.length ? blocks : [{ type: 'text', text: '(no content)' }] });
        break;
      }
    }
  }
  return { system: system.join('\n\n'), messages: out };
}

/** An assistant turn that did not come from Anthropic (another provider's, or hand-made). */
function neutralBlocks(m: AssistantMessage): Anthropic.ContentBlockParam[] {
  const blocks: Anthropic.ContentBlockParam[] = [];
  if (m.content) blocks.push({ type: 'text', text: m.content });
  for (const c of m.toolCalls)
    blocks.push({
      type: 'tool_use',
      id: c.id,
      name: c.name,
      input: typeof c.arguments === 'string' ? {} : c.arguments,
    });
  return blocks;
}
