import { z } from 'zod';
import { estimateTokens } from '../util/estimate-tokens.ts';
import { noQuirks, type Quirks } from './quirks.ts';
import { flawTag, countSteps, type ConversationSummary, type SimTurn } from './turn.ts';

const contentSchema = z
  .union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() })), z.null()])
  .optional();

/** The parts of a Chat Completions request the simulated agent reads; other fields are accepted and ignored. */
export const openaiRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    messages: z
      .array(
        z
          .looseObject({
            role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
            content: contentSchema,
            tool_calls: z
              .array(
                z.looseObject({
                  id: z.string().min(1),
                  type: z.literal('function'),
                  function: z.looseObject({ name: z.string(), arguments: z.string() }),
                }),
              )
              .optional(),
            tool_call_id: z.string().min(1).optional(),
          })
          .refine((m) => m.role !== 'tool' || m.tool_call_id !== undefined, {
            message: 'a tool message needs `tool_call_id`',
            path: ['tool_call_id'],
          }),
      )
      .min(1),
    tools: z
      .array(
        z.looseObject({
          type: z.literal('function'),
          function: z.looseObject({
            name: z.string().min(1),
            description: z.string().optional(),
            parameters: z.record(z.string(), z.unknown()).optional(),
          }),
        }),
      )
      .optional(),
    tool_choice: z
      .union([
        z.enum(['none', 'auto', 'required']),
        z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string().min(1) }) }),
      ])
      .nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    seed: z.number().int().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish(),
    n: z.number().int().min(1).max(1, 'the sim server returns one choice; `n` must be 1').nullish(),
    stream: z.boolean().nullish(),
  })
  .superRefine((req, ctx) => {
    for (const field of ['tool_choice', 'parallel_tool_calls'] as const) {
      if (req[field] != null && !req.tools?.length)
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `'${field}' is only allowed when 'tools' are specified`,
        });
    }
  });

export type OpenAIRequest = z.output<typeof openaiRequestSchema>;

function textOf(content: OpenAIRequest['messages'][number]['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => part.text ?? '').join('\n');
}

/**
 * Summarises the conversation, or returns the message of the 400 a real server would give. Like vLLM and
 * llama.cpp, which parse the history's tool-call arguments, it refuses arguments that are not JSON.
 */
export function summarizeOpenAI(req: OpenAIRequest): ConversationSummary | string {
  const resultIds: string[] = [];
  for (let i = 0; i < req.messages.length; i++) {
    const message = req.messages[i] as OpenAIRequest['messages'][number];
    if (message.role === 'tool') resultIds.push(message.tool_call_id as string);
    if (message.role !== 'assistant' || !message.tool_calls?.length) continue;
    for (const [j, c] of message.tool_calls.entries()) {
      const problem = jsonProblem(c.function.arguments);
      if (problem !== undefined)
        return `messages.${i}.tool_calls.${j}.function.arguments is not valid JSON: ${problem}`;
    }
    const answered = new Set<string>();
    for (let j = i + 1; j < req.messages.length && req.messages[j]?.role === 'tool'; j++)
      answered.add(req.messages[j]?.tool_call_id as string);
    const missing = message.tool_calls.filter((c) => !answered.has(c.id)).map((c) => c.id);
    if (i + 1 < req.messages.length && missing.length > 0) {
      return `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${missing.join(', ')}`;
    }
  }
  const first = req.messages.find((m) => m.role === 'user');
  return {
    firstUserText: first ? textOf(first.content) : '',
    ...countSteps(resultIds),
    toolNames: (req.tools ?? []).map((t) => t.function.name),
    inputChars: JSON.stringify(req.messages).length + JSON.stringify(req.tools ?? []).length,
    maxTokens: req.max_completion_tokens ?? req.max_tokens ?? undefined,
  };
}

/** vLLM reads empty arguments as `{}`. */
function jsonProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const effortScale: Record<string, number> = { none: 0, minimal: 0.5, low: 1, medium: 2, high: 4, xhigh: 8 };

/**
 * A Chat Completions response; a malformed call's `arguments` is JSON cut off mid-way. `quirks` shape it the
 * way other servers do (see quirks.ts).
 */
export function renderOpenAI(
  req: OpenAIRequest,
  turn: SimTurn,
  summary: ConversationSummary,
  ids: { message: string; toolCall: string },
  created: number,
  quirks: Quirks = noQuirks,
): Record<string, unknown> {
  // With reasoning_content the text is sent, so it is counted whole; else it is counted by the effort asked for.
  const sentReasoning = quirks.reasoningContent ? turn.reasoning : undefined;
  const scale = quirks.reasoningContent ? 1 : req.reasoning_effort ? (effortScale[req.reasoning_effort] ?? 1) : 0;
  const reasoningTokens = turn.reasoning === undefined ? 0 : Math.ceil(estimateTokens(turn.reasoning.length) * scale);
  let text: string | null = turn.thought;
  let calls = turn.call ? [turn.call, ...(turn.second ? [turn.second] : [])] : [];
  let finish = calls.length ? 'tool_calls' : 'stop';
  const args = calls.map((c, i) => {
    const json = JSON.stringify(c.input);
    return i === 0 && turn.flaw === 'malformed' ? json.slice(0, Math.max(1, Math.floor(json.length / 2))) : json;
  });
  let completionTokens =
    reasoningTokens + estimateTokens(text.length) + args.reduce((n, a) => n + estimateTokens(a.length) + 8, 0);
  if (summary.maxTokens !== undefined && completionTokens > summary.maxTokens) {
    text = text.slice(0, Math.max(0, (summary.maxTokens - reasoningTokens) * 4));
    calls = [];
    finish = 'length';
    completionTokens = summary.maxTokens;
  }
  const promptTokens = estimateTokens(summary.inputChars);
  const toolCalls = calls.map((c, i) => {
    const id =
      i > 0 ? `${ids.toolCall}_${i + 1}` : turn.flaw ? ids.toolCall.replace('call_', `call_${flawTag}_`) : ids.toolCall;
    const malformed = i === 0 && turn.flaw === 'malformed';
    const fn = { name: c.name, arguments: quirks.objectArguments && !malformed ? c.input : args[i] };
    if (quirks.omitToolCallIds) return { function: fn };
    return { id: quirks.emptyToolCallIds ? '' : id, type: 'function', function: fn };
  });
  const message = {
    role: 'assistant',
    content: text,
    refusal: null,
    annotations: [],
    ...(sentReasoning === undefined ? {} : { reasoning_content: sentReasoning }),
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
  };
  return {
    id: ids.message,
    object: 'chat.completion',
    created,
    model: req.model,
    system_fingerprint: 'fp_hotmess_sim',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    ...(quirks.omitUsage ? {} : { usage: usageOf(promptTokens, completionTokens, reasoningTokens, quirks) }),
  };
}

function usageOf(
  promptTokens: number,
  completionTokens: number,
  reasoningTokens: number,
  quirks: Quirks,
): Record<string, unknown> {
  if (quirks.nullUsage)
    return {
      prompt_tokens: promptTokens,
      completion_tokens: null,
      total_tokens: null,
      prompt_tokens_details: null,
      completion_tokens_details: null,
    };
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    ...(quirks.reasoningContent
      ? {}
      : {
          completion_tokens_details: {
            reasoning_tokens: reasoningTokens,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        }),
  };
}

const errorTypes: Record<number, [string, string | null]> = {
  400: ['invalid_request_error', null],
  401: ['invalid_request_error', 'invalid_api_key'],
  404: ['invalid_request_error', 'not_found'],
  413: ['invalid_request_error', 'request_too_large'],
  429: ['requests', 'rate_limit_exceeded'],
  500: ['server_error', null],
  503: ['server_error', null],
};

export function openaiError(status: number, message: string, code?: string): Record<string, unknown> {
  const [type, defaultCode] = errorTypes[status] ?? ['server_error', null];
  return { error: { message, type, param: code === undefined ? null : 'messages', code: code ?? defaultCode } };
}

/** llama.cpp's server refusing a prompt over its context size (400; older builds send 500). */
export function llamaCppOverflowError(
  status: number,
  promptTokens: number,
  contextWindow: number,
): Record<string, unknown> {
  return {
    error: {
      code: status,
      message: 'the request exceeds the available context size, try increasing it',
      type: 'exceed_context_size_error',
      n_prompt_tokens: promptTokens,
      n_ctx: contextWindow,
    },
  };
}
