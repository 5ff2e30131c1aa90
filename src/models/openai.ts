import OpenAI from 'openai';
import { z } from 'zod';
import { estimateTokens } from '../util/estimate-tokens.ts';
import type { ProviderContext } from './context.ts';
import { ModelError } from './errors.ts';
import { costOf } from './pricing.ts';
import { loggingFetch } from './retry-log.ts';
import { sdkLogger } from './sdk-logger.ts';
import { toModelError } from './sdk-errors.ts';
import { checkToolInput, parseToolArguments } from './tool-input.ts';
import type { ChatMessage, Model, ModelTurn, ToolCall, ToolSpec, TurnOptions, TurnStopReason, Usage } from './types.ts';

/** Real servers differ from OpenAI's schema: vLLM, Ollama and llama.cpp leave out or null fields OpenAI always fills. */
const toolCallSchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  /** `arguments` is a JSON string for OpenAI; some servers send the object itself, or nothing. */
  function: z.looseObject({ name: z.string(), arguments: z.unknown() }).nullish(),
});
type WireToolCall = z.output<typeof toolCallSchema>;

const responseSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          /** Not in OpenAI's API: vLLM and others return the reasoning text here. */
          reasoning_content: z.string().nullish(),
          tool_calls: z.array(toolCallSchema).nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1, 'no choices'),
  usage: z
    .looseObject({
      prompt_tokens: z.number().nullish(),
      completion_tokens: z.number().nullish(),
      prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
      completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
    })
    .nullish(),
});
type WireUsage = z.output<typeof responseSchema>['usage'];

/**
 * OpenAI Chat Completions with function tools: `openai` (reasoning effort for o-series, seed) and
 * `openai-compatible` (vLLM, Ollama, llama.cpp server, OpenRouter: `max_tokens` rather than
 * `max_completion_tokens`, which not all of them accept).
 */
export function createOpenAIModel(ctx: ProviderContext, flavour: 'openai' | 'compatible'): Model {
  const client = new OpenAI({
    apiKey: ctx.apiKey,
    ...(ctx.baseURL ? { baseURL: ctx.baseURL } : {}),
    maxRetries: ctx.options.maxRetries,
    timeout: ctx.options.timeoutMs,
    fetch: loggingFetch(ctx.log, { provider: flavour === 'openai' ? 'openai' : 'openai-compatible' }),
    logger: sdkLogger(ctx.log),
    logLevel: 'warn',
  });
  const { temperature, reasoningEffort, maxTokens } = ctx.options;
  const attempts = ctx.options.maxRetries + 1;

  let warnedNoUsage = false;

  async function call(messages: ChatMessage[], tools: ToolSpec[], opts: TurnOptions): Promise<ModelTurn> {
    const body: OpenAI.ChatCompletionCreateParamsNonStreaming = {
      model: ctx.modelId,
      messages: toOpenAIMessages(messages),
      // One call per turn: the message limit and actionCapacity count one action per assistant turn.
      ...(tools.length
        ? {
            tools: tools.map((t) => ({
              type: 'function' as const,
              function: { name: t.name, description: t.description, parameters: t.parameters },
            })),
            parallel_tool_calls: false,
          }
        : {}),
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(temperature === undefined ? {} : { temperature }),
      ...(reasoningEffort === undefined ? {} : { reasoning_effort: reasoningEffort }),
      ...(maxTokens === undefined
        ? {}
        : flavour === 'openai'
          ? { max_completion_tokens: maxTokens }
          : { max_tokens: maxTokens }),
    };
    const raw: unknown = await client.chat.completions.create(body, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      headers: ctx.turnHeaders?.(opts) ?? {},
    });
    const parsed = responseSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ModelError(
        `${ctx.name} sent a response that is not a chat completion (${parsed.error.issues[0]?.message ?? 'invalid'}).`,
        { retryable: true },
      );
    }
    const choice = parsed.data.choices[0] as z.output<typeof responseSchema>['choices'][number];
    const wireCalls = choice.message.tool_calls ?? [];
    const ids = toolCallIds(wireCalls, messages);
    const toolCalls = wireCalls.map((c, i) => toToolCall(c, ids[i] as string, tools));
    const content = choice.message.content ?? choice.message.refusal ?? '';
    const reasoning = choice.message.reasoning_content ?? undefined;
    const replyChars =
      content.length +
      toolCalls.reduce(
        (n, c) =>
          n + c.name.length + (typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments)).length,
        0,
      );
    const { usage, estimated } = toUsage(parsed.data.usage, {
      request: JSON.stringify(body.messages).length,
      reply: replyChars,
      reasoning: reasoning?.length ?? 0,
    });
    if (estimated && !warnedNoUsage) {
      warnedNoUsage = true;
      ctx.log.warn(
        { model: ctx.name },
        `${ctx.name} reports no token usage: tokens are estimated at about 4 characters a token`,
      );
    }
    return {
      message: { role: 'assistant', content, toolCalls, ...(reasoning ? { reasoning } : {}) },
      toolCalls,
      usage,
      stopReason: stopReason(choice.finish_reason ?? null, toolCalls.length > 0, Boolean(choice.message.refusal)),
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

/**
 * prompt_tokens includes cached tokens and completion_tokens includes reasoning: split them the way Usage counts.
 * A count the server leaves out is estimated from the text (in characters), so that a cost limit still holds.
 */
function toUsage(
  usage: WireUsage,
  chars: { request: number; reply: number; reasoning: number },
): { usage: Usage; estimated: boolean } {
  const prompt = usage?.prompt_tokens ?? estimateTokens(chars.request);
  const completion = usage?.completion_tokens ?? estimateTokens(chars.reply + chars.reasoning);
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const reasoning =
    usage?.completion_tokens_details?.reasoning_tokens ?? Math.min(completion, estimateTokens(chars.reasoning));
  return {
    usage: {
      inputTokens: Math.max(0, prompt - cached),
      outputTokens: completion,
      reasoningTokens: reasoning,
      cacheReadTokens: cached,
      cacheWriteTokens: 0,
    },
    estimated: usage?.prompt_tokens == null || usage.completion_tokens == null,
  };
}

function toToolCall(c: WireToolCall, id: string, tools: readonly ToolSpec[]): ToolCall {
  if (!c.function)
    return {
      id,
      name: c.type ?? 'unknown',
      arguments: '',
      parseError: `Tool calls of type ${c.type ?? '(none)'} are not supported; call a function tool.`,
    };
  const { name, arguments: args } = c.function;
  const checked =
    typeof args === 'string' || args == null
      ? parseToolArguments(tools, name, args ?? '')
      : checkToolInput(tools, name, args);
  return { id, name, ...checked };
}

/** The calls' ids, with one made up for each call a server sent without: never one the conversation already uses. */
function toolCallIds(calls: readonly WireToolCall[], messages: readonly ChatMessage[]): string[] {
  const taken = new Set<string>(calls.flatMap((c) => (c.id ? [c.id] : [])));
  for (const m of messages) if (m.role === 'assistant') for (const c of m.toolCalls) taken.add(c.id);
  let n = 0;
  return calls.map((c) => {
    if (c.id) return c.id;
    let id = `call_hotmess_${++n}`;
    while (taken.has(id)) id = `call_hotmess_${++n}`;
    taken.add(id);
    return id;
  });
}

/**
 * Arguments as sent back in the history. Arguments that were not a JSON object go back as `{}`: vLLM and
 * llama.cpp parse the history's arguments and refuse every later request otherwise (the trajectory keeps the text).
 */
function argumentsText(call: ToolCall): string {
  return typeof call.arguments === 'string' ? '{}' : JSON.stringify(call.arguments);
}

export function stopReason(finish: string | null, hasToolCalls: boolean, refused: boolean): TurnStopReason {
  if (refused || finish === 'content_filter') return 'refusal';
  if (hasToolCalls) return 'tool_use';
  switch (finish) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    default:
      return 'other';
  }
}

export function toOpenAIMessages(messages: readonly ChatMessage[]): OpenAI.ChatCompletionMessageParam[] {
  return messages.map((m): OpenAI.ChatCompletionMessageParam => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'user':
        return { role: 'user', content: m.content };
      case 'tool':
        return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
      case 'assistant':
        return {
          role: 'assistant',
          content: m.content || (m.toolCalls.length ? null : ''),
          ...(m.toolCalls.length
            ? {
                tool_calls: m.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function' as const,
                  function: { name: c.name, arguments: argumentsText(c) },
                })),
              }
            : {}),
        };
    }
  });
}
