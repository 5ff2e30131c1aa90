import { z } from 'zod';
import { estimateTokens } from '../util/estimate-tokens.ts';
import { flawTag, countSteps, type ConversationSummary, type SimTurn } from './turn.ts';

/** The only cache there is; the API refuses another type, ttl or key. */
const cacheControlSchema = z.strictObject({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).default('5m') });
const maxBreakpoints = 4;
/** Checked by the request's refinement: inside a union (a string or blocks) a bad one would only be "Invalid input". */
const cacheControlField = z.unknown().optional();

/** The parts of a Messages API request the simulated agent reads; other fields are accepted and ignored. */
const blockSchema = z
  .looseObject({
    type: z.string(),
    text: z.string().optional(),
    id: z.string().optional(),
    tool_use_id: z.string().optional(),
    content: z.unknown().optional(),
    signature: z.string().optional(),
    cache_control: cacheControlField,
  })
  .superRefine((block, ctx) => {
    if (block.type === 'text' && block.text === undefined)
      ctx.addIssue({ code: 'custom', message: 'text block needs `text`' });
    if (block.type === 'tool_use' && block.id === undefined)
      ctx.addIssue({ code: 'custom', message: 'tool_use block needs `id`' });
    if (block.type === 'tool_result' && block.tool_use_id === undefined)
      ctx.addIssue({ code: 'custom', message: 'tool_result block needs `tool_use_id`' });
  });

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({
    type: z.literal('tool'),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal('none') }),
]);

export const anthropicRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    max_tokens: z.number().int().positive(),
    messages: z
      .array(
        z.looseObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(blockSchema)]) }),
      )
      .min(1),
    system: z
      .union([
        z.string(),
        z.array(z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControlField })),
      ])
      .optional(),
    tools: z
      .array(
        z.looseObject({
          name: z.string().min(1),
          description: z.string().optional(),
          input_schema: z.record(z.string(), z.unknown()),
          cache_control: cacheControlField,
        }),
      )
      .optional(),
    tool_choice: toolChoiceSchema.optional(),
    thinking: z
      .union([
        z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) }),
        z.looseObject({ type: z.enum(['disabled', 'adaptive']) }),
      ])
      .optional(),
    temperature: z.number().min(0).max(1).optional(),
    stream: z.boolean().optional(),
  })
  .superRefine((req, ctx) => {
    if (req.thinking?.type === 'enabled' && req.thinking.budget_tokens >= req.max_tokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['thinking', 'budget_tokens'],
        message: '`max_tokens` must be greater than `thinking.budget_tokens`',
      });
    }
    if (req.tool_choice && !req.tools?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['tool_choice'],
        message: 'tool_choice may only be specified while providing tools',
      });
    if (req.thinking?.type === 'enabled' && (req.tool_choice?.type === 'any' || req.tool_choice?.type === 'tool')) {
      ctx.addIssue({
        code: 'custom',
        path: ['tool_choice'],
        message: 'Thinking may not be enabled when tool_choice forces tool use',
      });
    }
    req.messages.forEach((m, i) => {
      const last = i === req.messages.length - 1 && m.role === 'assistant';
      if (!last && m.content.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['messages', i],
          message: 'all messages must have non-empty content except for the optional final assistant message',
        });
      }
    });
    const breakpoints = [
      ...(req.tools ?? []).map((t, i) => ({ path: ['tools', i], value: t.cache_control })),
      ...(Array.isArray(req.system) ? req.system : []).map((b, i) => ({ path: ['system', i], value: b.cache_control })),
      ...req.messages.flatMap((m, i) =>
        typeof m.content === 'string'
          ? []
          : m.content.map((b, j) => ({ path: ['messages', i, 'content', j], value: b.cache_control })),
      ),
    ].filter((b) => isBreakpoint(b.value));
    for (const { path, value } of breakpoints) {
      const issue = cacheControlSchema.safeParse(value).error?.issues[0];
      if (issue)
        ctx.addIssue({ code: 'custom', path: [...path, 'cache_control', ...issue.path], message: issue.message });
    }
    if (breakpoints.length > maxBreakpoints) {
      ctx.addIssue({
        code: 'custom',
        message: `A maximum of ${maxBreakpoints} blocks with cache_control may be provided. Found ${breakpoints.length}.`,
      });
    }
  });

export type AnthropicRequest = z.output<typeof anthropicRequestSchema>;

/** `cache_control: null` is no breakpoint, as in the SDK's types. */
function isBreakpoint(cacheControl: unknown): boolean {
  return cacheControl !== undefined && cacheControl !== null;
}
type Block = z.output<typeof blockSchema>;

const blocksOf = (content: string | Block[]): Block[] =>
  typeof content === 'string' ? [{ type: 'text', text: content }] : content;

/** Summarises the conversation, or returns the message of the 400 the real API would give. */
export function summarizeAnthropic(req: AnthropicRequest): ConversationSummary | string {
  const resultIds: string[] = [];
  for (let i = 0; i < req.messages.length; i++) {
    const message = req.messages[i] as AnthropicRequest['messages'][number];
    if (message.role === 'user') {
      for (const b of blocksOf(message.content)) if (b.type === 'tool_result') resultIds.push(b.tool_use_id as string);
      continue;
    }
    const asked = blocksOf(message.content)
      .filter((b) => b.type === 'tool_use')
      .map((b) => b.id as string);
    if (asked.length === 0) continue;
    const next = req.messages[i + 1];
    const answered = new Set(
      next && next.role === 'user'
        ? blocksOf(next.content)
            .filter((b) => b.type === 'tool_result')
            .map((b) => b.tool_use_id)
        : [],
    );
    const missing = asked.filter((id) => !answered.has(id));
    if (next && missing.length > 0) {
      return `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
    }
  }
  const first = req.messages.find((m) => m.role === 'user');
  const firstUserText = first
    ? blocksOf(first.content)
        .map((b) => b.text ?? '')
        .join('\n')
    : '';
  return {
    firstUserText,
    ...countSteps(resultIds),
    toolNames: (req.tools ?? []).map((t) => t.name),
    inputChars: promptLayout(req).chars,
    maxTokens: req.max_tokens,
  };
}

type Ttl = z.output<typeof cacheControlSchema>['ttl'];

/** A request's prompt measured in characters, in the order the API caches it: tools, system, messages. */
interface PromptLayout {
  /** Markers are not prompt text, so a request measures the same with or without them. */
  readonly chars: number;
  /** Where each block carrying cache_control ends, in order. */
  readonly breakpoints: readonly { readonly end: number; readonly ttl: Ttl }[];
  /** Where the previous request of the conversation ended: before the last assistant turn (0 on the first turn). */
  readonly previousEnd: number;
}

const withoutCacheControl = (key: string, value: unknown): unknown => (key === 'cache_control' ? undefined : value);
const jsonChars = (value: unknown): number => JSON.stringify(value, withoutCacheControl).length;

function promptLayout(req: AnthropicRequest): PromptLayout {
  const breakpoints: { end: number; ttl: Ttl }[] = [];
  // The request's refinement has checked every breakpoint already; `end` is measured only for those.
  const mark = (cacheControl: unknown, end: () => number): void => {
    if (isBreakpoint(cacheControl)) breakpoints.push({ end: end(), ttl: cacheControlSchema.parse(cacheControl).ttl });
  };
  const tools = req.tools ?? [];
  tools.forEach((t, i) => mark(t.cache_control, () => jsonChars(tools.slice(0, i + 1))));
  let at = jsonChars(tools);
  if (typeof req.system === 'string') at += req.system.length;
  else {
    // Blocks count as their text joined by newlines.
    for (const [i, b] of (req.system ?? []).entries()) {
      at += (i > 0 ? 1 : 0) + b.text.length;
      mark(b.cache_control, () => at);
    }
  }
  // As in JSON.stringify(messages): '[', then each message followed by ',' or the closing ']'.
  at += 1;
  let previousEnd = 0;
  for (const m of req.messages) {
    if (m.role === 'assistant') previousEnd = at;
    const blocks = blocksOf(m.content);
    blocks.forEach((b, i) => mark(b.cache_control, () => at + jsonChars({ ...m, content: blocks.slice(0, i + 1) })));
    at += jsonChars(m) + 1;
  }
  return { chars: at, breakpoints, previousEnd };
}

/**
 * Input tokens as the API splits them when the request has breakpoints. The previous request is taken to have
 * written the cache up to its own end (the moving breakpoint of a client like hotmess) and at every earlier
 * breakpoint, so it is read from there; what lies between it and the last breakpoint is written now.
 */
function inputUsage(req: AnthropicRequest) {
  const layout = promptLayout(req);
  const last = layout.breakpoints.at(-1);
  if (!last)
    return {
      input_tokens: estimateTokens(layout.chars),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: null,
    };
  const read = Math.min(layout.previousEnd, last.end);
  const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
  let from = read;
  for (const b of layout.breakpoints.filter((b) => b.end > read)) {
    creation[b.ttl === '1h' ? 'ephemeral_1h_input_tokens' : 'ephemeral_5m_input_tokens'] +=
      estimateTokens(b.end) - estimateTokens(from);
    from = b.end;
  }
  return {
    input_tokens: estimateTokens(layout.chars) - estimateTokens(last.end),
    cache_creation_input_tokens: estimateTokens(last.end) - estimateTokens(read),
    cache_read_input_tokens: estimateTokens(read),
    cache_creation: creation,
  };
}

/**
 * With thinking enabled, every assistant turn of the history that used a tool must start with the thinking block
 * it came with, signature intact, as the real API insists (it checks the signature cryptographically; this server
 * recomputes its own). `signatureAt` gives the signature issued for the turn after `step` completed calls and
 * `formatErrors` replies to flawed ones. Returns the message of the 400, if any.
 */
export function thinkingReplayError(
  req: AnthropicRequest,
  signatureAt: (step: number, formatErrors: number) => string,
): string | undefined {
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
    if (first.signature !== signatureAt(step, formatErrors))
      return `messages.${i}.content.0: Invalid \`signature\` in \`thinking\` block`;
  }
  return undefined;
}

export interface RenderIds {
  readonly message: string;
  readonly toolCall: string;
  readonly signature: string;
}

/** A Messages API response; a malformed bash call sends an input without the required `command`. */
export function renderAnthropic(req: AnthropicRequest, turn: SimTurn, ids: RenderIds): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  const thinking = req.thinking?.type === 'enabled' && turn.reasoning !== undefined ? turn.reasoning : undefined;
  if (thinking !== undefined) content.push({ type: 'thinking', thinking, signature: ids.signature });
  const thinkingTokens = thinking === undefined ? 0 : estimateTokens(thinking.length);
  let text = turn.thought;
  let calls = turn.call ? [turn.call, ...(turn.second ? [turn.second] : [])] : [];
  let stopReason = calls.length ? 'tool_use' : 'end_turn';
  const malformed = turn.flaw === 'malformed' && turn.call?.name === 'bash';
  const inputs = calls.map((c, i) => (i === 0 && malformed ? { cmd: c.input.command } : c.input));
  let outputTokens =
    thinkingTokens +
    estimateTokens(text.length) +
    inputs.reduce((n, input) => n + estimateTokens(JSON.stringify(input).length) + 8, 0);
  if (outputTokens > req.max_tokens) {
    text = text.slice(0, Math.max(0, (req.max_tokens - thinkingTokens) * 4));
    calls = [];
    stopReason = 'max_tokens';
    outputTokens = req.max_tokens;
  }
  if (text) content.push({ type: 'text', text, citations: null });
  for (const [i, call] of calls.entries()) {
    const id =
      i > 0
        ? `${ids.toolCall}_${i + 1}`
        : malformed || turn.flaw === 'unknown_tool'
          ? ids.toolCall.replace('toolu_', `toolu_${flawTag}_`)
          : ids.toolCall;
    content.push({ type: 'tool_use', id, name: call.name, input: inputs[i], caller: { type: 'direct' } });
  }
  const { input_tokens, ...cache } = inputUsage(req);
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
      input_tokens,
      output_tokens: outputTokens,
      ...cache,
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
