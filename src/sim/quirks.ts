import { z } from 'zod';
import { UsageError } from '../errors.ts';

const on = z.boolean().default(false);

/**
 * Ways real servers' replies differ from OpenAI's and Anthropic's own, which the loopback server can imitate
 * so that a client can be tried against them (`--quirks omitToolCallIds,objectArguments`). Unlike faults they
 * are not drawn: a quirk set applies to every reply.
 */
export const quirksSchema = z
  .object({
    /** Both wires: a turn holds the next two planned tool calls, though the request asked for one call per turn. */
    parallelToolCalls: on,
    /** OpenAI wire: tool calls come without `id` and `type` (Ollama, older llama.cpp builds). */
    omitToolCallIds: on,
    /** OpenAI wire: tool calls come with `"id": ""` (some OpenAI-compatible proxies). */
    emptyToolCallIds: on,
    /** OpenAI wire: `function.arguments` is the JSON object itself, not a string holding it (Ollama). */
    objectArguments: on,
    /** OpenAI wire: usage has `prompt_tokens` only; `completion_tokens`, `total_tokens` and the details are null (some vLLM builds). */
    nullUsage: on,
    /** OpenAI wire: no `usage` at all (older llama.cpp builds, some proxies). */
    omitUsage: on,
    /** OpenAI wire: the reasoning text comes as `message.reasoning_content`, and usage has no `reasoning_tokens` (vLLM, llama.cpp, DeepSeek). */
    reasoningContent: on,
    /** OpenAI wire: a prompt over the context window gets llama.cpp's 400 `exceed_context_size_error`. */
    llamaCppOverflow: on,
    /** OpenAI wire: as llamaCppOverflow, but with the status 500 older llama.cpp builds send. */
    llamaCppOverflow500: on,
  })
  .strict()
  .refine((q) => !(q.omitToolCallIds && q.emptyToolCallIds), 'omitToolCallIds and emptyToolCallIds exclude each other')
  .refine((q) => !(q.nullUsage && q.omitUsage), 'nullUsage and omitUsage exclude each other')
  .refine(
    (q) => !(q.llamaCppOverflow && q.llamaCppOverflow500),
    'llamaCppOverflow and llamaCppOverflow500 exclude each other',
  );

export type Quirks = z.output<typeof quirksSchema>;
export type QuirksInput = z.input<typeof quirksSchema>;
export type QuirkName = keyof Quirks;

export const noQuirks: Quirks = quirksSchema.parse({});
export const quirkNames = Object.keys(noQuirks) as QuirkName[];

/** Parses `omitToolCallIds,objectArguments` (the CLI form). */
export function parseQuirksArg(text: string): Quirks {
  const raw: Record<string, boolean> = {};
  for (const name of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!(quirkNames as string[]).includes(name))
      throw new UsageError(`Bad --quirks: "${name}" is not one of ${quirkNames.join(', ')}.`);
    raw[name] = true;
  }
  const parsed = quirksSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`Bad --quirks: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return parsed.data;
}
