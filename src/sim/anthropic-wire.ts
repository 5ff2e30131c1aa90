import { z } from 'zod';
import { estimateTokens, malformedTag, countSteps, type ConversationSummary, type SimTurn } from './turn.ts';

/** The parts of a Messages API request the simulated agent reads; other fields are accepted and ignored. */
const blockSchema = z
  .looseObject({
    type: z.string(),
    text: z.string().optional(),
    id: z.string().optional(),
    tool_use_id: z.string().optional(),
    content: z.unknown().optional(),
  })
  .superRefine((block, ctx) => {
    if (block.type === 'text' && block.text === undefined) ctx.addIssue({ code: 'custom', message: 'text block needs `text`' });
    if (block.type === 'tool_use' && block.id === undefined) ctx.addIssue({ code: 'custom', message: 'tool_use block needs `id`' });
    if (block.type === 'tool_result' && block.tool_use_id === undefined) ctx.addIssue({ code: 'custom', message: 'tool_result block needs `tool_use_id`' });
  });

export const anthropicRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    max_tokens: z.number().int().positive(),
    messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(blockSchema)]) })).min(1),
    system: z.union([z.string(), z.array(z.looseObject({ type: z.literal('text'), text: z.string() }))]).optional(),
    tools: z.array(z.looseObject({ name: z.string().min(1), description: z.string().optional(), input_schema: z.record(z.string(), z.unknown()) })).optional(),
    thinking: z
      .union([z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }), z.looseObject({ type: z.enum(['disabled', 'adaptive']) })])
      .optional(),
    temperature: z.number().min(0).max(1).optional(),
    stream: z.boolean().optional(),
  })
  .superRefine((req, ctx) => {
    if (req.thinking?.type === 'enabled' && req.thinking.budget_tokens >= req.max_tokens) {
      ctx.addIssue({ code: 'custom', path: ['thinking', 'budget_tokens'], message: '`max_tokens` must be greater than `thinking.budget_tokens`' });
    }
  });

export type AnthropicRequest = z.output<typeof anthropicRequestSchema>;
type Block = z.output<typeof blockSchema>;

/** Summarises the conversation, or returns the message of the 400 the real API would give. */
export function summarizeAnthropic(req: AnthropicRequest): ConversationSummary | string {
  const blocks = (content: string | Block[]): Block[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : content);
  const resultIds: string[] = [];
  for (let i = 0; i < req.messages.length; i++) {
    const message = req.messages[i] as AnthropicRequest['messages'][number];
    if (message.role === 'user') {
      for (const b of blocks(message.content)) if (b.type === 'tool_result') resultIds.push(b.tool_use_id as string);
      continue;
    }
    const asked = blocks(message.content).filter((b) => b.type === 'tool_use').map((b) => b.id as string);
    if (asked.length === 0) continue;
    const next = req.messages[i + 1];
    const answered = new Set(next && next.role === 'user' ? blocks(next.content).filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id) : []);
    const missing = asked.filter((id) => !answered.has(id));
    if (next && missing.length > 0) {
      return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
  }
  const first = req.messages.find((m) => m.role === 'user');
  const firstUserText = first ? blocks(first.content).map((b) => b.text ?? '').join('\n') : '';
  const system = typeof req.system === 'string' ? req.system : (req.system ?? []).map((b) => b.text).join('\n');
  return {
    firstUserText,
    ...countSteps(resultIds),
    toolNames: (req.tools ?? []).map((t) => t.name),
    inputChars: system.length + JSON.stringify(req.messages).length + JSON.stringify(req.tools ?? []).length,
    maxTokens: req.max_tokens,
  };
}

export interface RenderIds {
  readonly message: string;
  readonly toolCall: string;
  readonly signature: string;
}

/** A Messages API response; a malformed call sends an input without the required `command`. */
export function renderAnthropic(req: AnthropicRequest, turn: SimTurn, summary: ConversationSummary, ids: RenderIds): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  const thinking = req.thinking?.type === 'enabled' && turn.reasoning !== undefined ? turn.reasoning : undefined;
  if (thinking !== undefined) content.push({ type: 'thinking', thinking, signature: ids.signature });
  const thinkingTokens = thinking === undefined ? 0 : estimateTokens(thinking.length);
  let text = turn.thought;
  let call = turn.call;
  let stopReason = call ? 'tool_use' : 'end_turn';
  const input = call && turn.malformed && call.name === 'bash' ? { cmd: call.input.command } : call?.input;
  let outputTokens = thinkingTokens + estimateTokens(text.length) + (call ? estimateTokens(JSON.stringify(input).length) + 8 : 0);
  if (outputTokens > req.max_tokens) {
    text = text.slice(0, Math.max(0, (req.max_tokens - thinkingTokens) * 4));
    call = undefined;
    stopReason = 'max_tokens';
    outputTokens = req.max_tokens;
  }
  if (text) content.push({ type: 'text', text, citations: null });
  if (call) {
    const id = turn.malformed && call.name === 'bash' ? ids.toolCall.replace('toolu_', `toolu_${malformedTag}_`) : ids.toolCall;
    content.push({ type: 'tool_use', id, name: call.name, input, caller: { type: 'direct' } });
  }
  return {
    id: ids.message,
    type: 'message',
    role: 'assistant',
    model: req.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: estimateTokens(summary.inputChars),
      output_tokens: outputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: null,
      inference_geo: null,
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
      output_tokens_details: thinking === undefined ? null : { thinking_tokens: thinkingTokens },
    },
  };
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function anthropicError(status: number, message: string, requestId: string): Record<string, unknown> {
  return { type: 'error', error: { type: errorTypes[status] ?? 'api_error', message }, request_id: requestId };
}
