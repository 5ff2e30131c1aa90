import OpenAI from 'openai';
import { z } from 'zod';
import type { ProviderContext } from './context.ts';
import { ModelError } from './errors.ts';
import { costOf } from './pricing.ts';
import { loggingFetch } from './retry-log.ts';
import { sdkLogger } from './sdk-logger.ts';
import { toModelError } from './sdk-errors.ts';
import { parseToolArguments } from './tool-input.ts';
import type { ChatMessage, Model, ModelTurn, ToolCall, TurnStopReason, Usage } from './types.ts';

const responseSchema = z.looseObject({
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          /** Not in OpenAI's API: vLLM and others return the reasoning text here. */
          reasoning_content: z.string().nullish(),
          tool_calls: z
            .array(z.looseObject({ id: z.string(), type: z.string(), function: z.looseObject({ name: z.string(), arguments: z.string() }).optional() }))
            .nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1, 'no choices'),
  usage: z
    .looseObject({
      prompt_tokens: z.number(),
      completion_tokens: z.number(),
      prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
      completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
    })
    .nullish(),
});

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

  async function call(messages: ChatMessage[], tools: Parameters<Model['turn']>[1], opts: Parameters<Model['turn']>[2] = {}): Promise<ModelTurn> {
    const body: OpenAI.ChatCompletionCreateParamsNonStreaming = {
      model: ctx.modelId,
      messages: toOpenAIMessages(messages),
      ...(tools.length ? { tools: tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) } : {}),
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(temperature === undefined ? {} : { temperature }),
      ...(reasoningEffort === undefined ? {} : { reasoning_effort: reasoningEffort }),
      ...(maxTokens === undefined ? {} : flavour === 'openai' ? { max_completion_tokens: maxTokens } : { max_tokens: maxTokens }),
    };
    const raw: unknown = await client.chat.completions.create(body, { ...(opts.signal ? { signal: opts.signal } : {}), headers: ctx.turnHeaders?.(opts) ?? {} });
    const parsed = responseSchema.safeParse(raw);
    if (!parsed.success) {
      throw new ModelError(`${ctx.name} sent a response that is not a chat completion (${parsed.error.issues[0]?.message ?? 'invalid'}).`, { retryable: true });
    }
    const choice = parsed.data.choices[0] as z.output<typeof responseSchema>['choices'][number];
    const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).map((c) =>
      c.function
        ? { id: c.id, name: c.function.name, ...parseToolArguments(tools, c.function.name, c.function.arguments) }
        : { id: c.id, name: c.type, arguments: '', parseError: `Tool calls of type ${c.type} are not supported; call a function tool.` },
    );
    const usage = toUsage(parsed.data.usage);
    const reasoning = choice.message.reasoning_content ?? undefined;
    return {
      message: { role: 'assistant', content: choice.message.content ?? choice.message.refusal ?? '', toolCalls, ...(reasoning ? { reasoning } : {}) },
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

/** prompt_tokens includes cached tokens and completion_tokens includes reasoning: split them the way Usage counts. */
function toUsage(usage: z.output<typeof responseSchema>['usage']): Usage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    inputTokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    outputTokens: usage?.completion_tokens ?? 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
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
                  function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
                })),
              }
            : {}),
        };
    }
  });
}
