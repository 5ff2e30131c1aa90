import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError, errorMessage } from '../errors.ts';
import { RunStoreError } from '../store/errors.ts';
import { stopReasonSchema } from '../store/unroll-record.ts';

/** What `trajectories/<instance>/<unroll>.json` holds (src/agent/trajectory.ts writes it), checked on read. */
const toolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.union([z.record(z.string(), z.unknown()), z.string()]),
  parseError: z.string().optional(),
});

const at = { at: z.string().optional() };
const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string(), ...at }),
  z.object({ role: z.literal('user'), content: z.string(), ...at }),
  z.object({
    role: z.literal('assistant'),
    content: z.string(),
    toolCalls: z.array(toolCallSchema),
    reasoning: z.string().optional(),
    providerContent: z.unknown().optional(),
    ...at,
  }),
  z.object({
    role: z.literal('tool'),
    toolCallId: z.string(),
    name: z.string(),
    content: z.string(),
    isError: z.boolean(),
    ...at,
  }),
]);

const toolCallRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.union([z.record(z.string(), z.unknown()), z.string()]),
  rejected: z.string().optional(),
  exitCode: z.number().int().nullable().optional(),
  durationMs: z.number().optional(),
  timedOut: z.boolean().optional(),
  truncated: z.boolean().optional(),
  observationCutChars: z.number().optional(),
  edited: z.object({ original: z.string() }).optional(),
});

const stepSchema = z.object({
  turn: z.number().int(),
  startedAt: z.string(),
  modelMs: z.number(),
  usage: z.record(z.string(), z.number()),
  costUsd: z.number(),
  stopReason: z.string(),
  toolCalls: z.array(toolCallRecordSchema),
});

export const storedTrajectorySchema = z.object({
  instanceId: z.string(),
  unroll: z.number().int().nonnegative(),
  seed: z.number().int(),
  model: z.string(),
  simulated: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string(),
  stopReason: stopReasonSchema,
  stopDetail: z.string(),
  stats: z.object({
    actions: z.number(),
    turns: z.number(),
    messages: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    reasoningTokens: z.number(),
    costUsd: z.number(),
    wallMs: z.number(),
  }),
  limits: z.record(z.string(), z.number()),
  messages: z.array(messageSchema),
  steps: z.array(stepSchema),
  patch: z.string(),
});
export type StoredTrajectory = z.infer<typeof storedTrajectorySchema>;
export type StoredMessage = StoredTrajectory['messages'][number];
export type StoredToolCallRecord = z.infer<typeof toolCallRecordSchema>;

/** Parses a trajectory file's text; `file` names it in the one-sentence error. */
export function parseTrajectory(text: string, file: string): StoredTrajectory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // A writer killed mid-file leaves JSON that stops before its closing brace.
    if (!text.trimEnd().endsWith('}'))
      throw new InputError(
        `The trajectory ${file} is cut short (its ${Buffer.byteLength(text)} bytes end in the middle of the JSON), so it cannot be read.`,
        file,
      );
    throw new InputError(`The trajectory ${file} is not valid JSON (${errorMessage(err)}).`, file);
  }
  const checked = storedTrajectorySchema.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new InputError(
      `The trajectory ${file} is not a hotmess trajectory (${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'bad shape'}).`,
      file,
    );
  }
  return checked.data;
}

/** Reads and checks one trajectory file. */
export async function readTrajectory(file: string): Promise<StoredTrajectory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InputError(`There is no trajectory file ${file}.`, file, undefined, err);
    throw new RunStoreError(`Cannot read ${file} (${errorMessage(err)}).`, file, err);
  }
  return parseTrajectory(text, file);
}
