import { z } from 'zod';
import { estimateTokens } from '../models/estimate.ts';
import { flawTag, countSteps, type ConversationSummary, type SimTurn } from './turn.ts';

/** The parts of a Messages API request the simulated agent reads; other fields are accepted and ignored. */
const blockSchema = z
  .looseObject({
    type: z.string(),
    text: z.string().optional(),
    id: z.string().optional(),
    tool_use_id: z.string().optional(),
    content: z.unknown().optional(),
    signature: z.string().optional(),
  })
  .superRefine((block, ctx) => {
    if (block.type === 'text' && block.text === undefined) ctx.addIssue({ code: 'custom', message: 'text block needs `text`' });
    if (block.type === 'tool_use' && block.id === undefined) ctx.addIssue({ code: 'custom', message: 'tool_use block needs `id`' });
    if (block.type === 'tool_result' && block.tool_use_id === undefined) ctx.addIssue({ code: 'custom', message: 'tool_result block needs `tool_use_id`' });
  });

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('none') }),
]);

export const anthropicRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    max_tokens: z.number().int().positive(),
    messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(blockSchema)]) })).min(1),
    system: z.union([z.string(), z.array(z.looseObject({ type: z.literal('text'), text: z.string() }))]).optional(),
    tools: z.array(z.looseObject({ name: z.string().min(1), description: z.string().optional(), input_schema: z.record(z.string(), z.unknown()) })).optional(),
    tool_choice: toolChoiceSchema.optional(),
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
    if (req.tool_choice && !req.tools?.length) ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: 'tool_choice may only be specified while providing tools' });
    if (req.thinking?.type === 'enabled' && (req.tool_choice?.type === 'any' || req.tool_choice?.type === 'tool')) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: 'Thinking may not be enabled when tool_choice forces tool use' });
    }
    req.messages.forEach((m, i) => {
      const last = i === req.messages.length - 1 && m.role === 'assistant';
      if (!last && m.content.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['messages', i], message: 'all messages must have non-empty content except for the optional final assistant message' });
      }
    });
  });

export type AnthropicRequest = z.output<typeof anthropicRequestSchema>;
type Block = z.output<typeof blockSchema>;

const blocksOf = (content: string | Block[]): Block[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : content);

/** Summarises the conversation, or returns the message of the 400 the real API would give. */
export function summarizeAnthropic(req: AnthropicRequest): ConversationSummary | string {
  const resultIds: string[] = [];
  for (let i = 0; i < req.messages.length; i++) {
    const message = req.messages[i] as AnthropicRequest['messages'][number];
    if (message.role === 'user') {
      for (const b of blocksOf(message.content)) if (b.type === 'tool_result') resultIds.push(b.tool_use_id as string);
      continue;
    }
    const asked = blocksOf(message.content).filter((b) => b.type === 'tool_use').map((b) => b.id as string);
    if (asked.length === 0) continue;
    const next = req.messages[i + 1];
    const answered = new Set(next && next.role === 'user' ? blocksOf(next.content).filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id) : []);
    const missing = asked.filter((id) => !answered.has(id));
    if (next && missing.length > 0) {
      return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
  }
  const first = req.messages.find((m) => m.role === 'user');
  const firstUserText = first ? blocksOf(first.content).map((b) => b.text ?? '').join('\n') : '';
  const system = typeof req.system === 'string' ? req.system : (req.system ?? []).map((b) => b.text).join('\n');
  return {
    firstUserText,
    ...countSteps(resultIds),
    toolNames: (req.tools ?? []).map((t) => t.name),
    inputChars: system.length + JSON.stringify(req.messages).length + JSON.stringify(req.tools ?? []).length,
    maxTokens: req.max_tokens,
  };
}

/**
 * With thinking enabled, every assistant turn of the history that used a tool must start with the thinking block
 * it came with, signature intact, as the real API insists (it checks the signature cryptographically; this server
 * recomputes its own). `signatureAt` gives the signature issued for the turn after `step` completed calls and
 * `formatErrors` replies to flawed ones. Returns the message of the 400, if any.
 */
export function thinkingReplayError(req: AnthropicRequest, signatureAt: (step: number, formatErrors: number) => string): string | undefined {
  if (req.thinking?.type !== 'enabled') return undefined;
  const resultIds: string[] = [];
  for (let i = 0; i < req.messages.length; i++) {
    const message = req.messages[i] as AnthropicRequest['messages'][number];
    const content = blocksOf(message.content);
    if (message.role === 'user') {
      for (const b of content) if (b.type === 'tool_result') resultIds.push(b.tool_use_id as string);
      continue;
    }
    if (!content.some((b) => b.type === 'tool_use')) continue;
    const first = content[0] as Block;
    if (first.type !== 'thinking') {
      return `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first.type}\`. When \`thinking\` is enabled, an \`assistant\` message with \`tool_use\` blocks must start with the thinking block it was sent with. To avoid this requirement, disable \`thinking\`.`;
    }
    const { step, formatErrors } = countSteps(resultIds);
    if (first.signature !== signatureAt(step, formatErrors)) return `messages.${i}.content.0: Invalid \`signature\` in \`thinking\` block`;
  }
  return undefined;
}

export interface RenderIds {
  readonly message: string;
  readonly toolCall: string;
  readonly signature: string;
}

/** A Messages API response; a malformed bash call sends an input without the required `command`. */
export function renderAnthropic(req: AnthropicRequest, turn: SimTurn, summary: ConversationSummary, ids: RenderIds): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  const thinking = req.thinking?.type === 'enabled' && turn.reasoning !== undefined ? turn.reasoning : undefined;
  if (thinking !== undefined) content.push({ type: 'thinking', thinking, signature: ids.signature });
  const thinkingTokens = thinking === undefined ? 0 : estimateTokens(thinking.length);
  let text = turn.thought;
  let calls = turn.call ? [turn.call, ...(turn.second ? [turn.second] : [])] : [];
  let stopReason = calls.length ? 'tool_use' : 'end_turn';
  const malformed = turn.flaw === 'malformed' && turn.call?.name === 'bash';
  const inputs = calls.map((c, i) => (i === 0 && malformed ? { cmd: c.input.command } : c.input));
  let outputTokens = thinkingTokens + estimateTokens(text.length) + inputs.reduce((n, input) => n + estimateTokens(JSON.stringify(input).length) + 8, 0);
  if (outputTokens > req.max_tokens) {
    text = text.slice(0, Math.max(0, (req.max_tokens - thinkingTokens) * 4));
    calls = [];
    stopReason = 'max_tokens';
    outputTokens = req.max_tokens;
  }
  if (text) content.push({ type: 'text', text, citations: null });
  for (const [i, call] of calls.entries()) {
    const id = i > 0 ? `${ids.toolCall}_${i + 1}` : malformed || turn.flaw === 'unknown_tool' ? ids.toolCall.replace('toolu_', `toolu_${flawTag}_`) : ids.toolCall;
    content.push({ type: 'tool_use', id, name: call.name, input: inputs[i], caller: { type: 'direct' } });
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
