import type { StoredToolCallRecord, StoredTrajectory } from './trajectory-file.ts';

/** One tool call of a trajectory with what answered it, numbered from 1 in the order the model made them. */
export interface ActionView {
  readonly index: number;
  readonly turn: number;
  readonly name: string;
  /** The bash command, or the arguments as JSON for other calls. */
  readonly command: string;
  readonly isBash: boolean;
  /** What the model was told: the observation (exit code line, stdout, stderr), or the rejection. */
  readonly observation: string | undefined;
  readonly exitCode: number | null | undefined;
  readonly durationMs: number | undefined;
  readonly timedOut: boolean;
  readonly rejected: string | undefined;
  /** The command the model proposed, when a person replaced it under `run-one --step`. */
  readonly editedFrom: string | undefined;
}

/** What the transcript shows, in order: prompts, the model's thoughts, its actions, and hotmess's reminders. */
export type TranscriptEntry =
  | { readonly kind: 'prompt'; readonly role: 'system' | 'user'; readonly text: string }
  | { readonly kind: 'thought'; readonly turn: number; readonly text: string; readonly reasoning: string | undefined }
  | { readonly kind: 'action'; readonly action: ActionView };

function commandOf(args: Record<string, unknown> | string): string {
  if (typeof args === 'string') return args;
  return typeof args.command === 'string' ? args.command : JSON.stringify(args);
}

/** The transcript of a trajectory: each assistant turn's thought followed by its tool calls and their observations. */
export function transcript(trajectory: StoredTrajectory): TranscriptEntry[] {
  const records = new Map<string, { record: StoredToolCallRecord; turn: number }>();
  for (const step of trajectory.steps)
    for (const record of step.toolCalls) records.set(record.id, { record, turn: step.turn });
  const answers = new Map<string, string>();
  for (const m of trajectory.messages) if (m.role === 'tool') answers.set(m.toolCallId, m.content);
  const entries: TranscriptEntry[] = [];
  let turn = 0;
  let index = 0;
  for (const m of trajectory.messages) {
    if (m.role === 'system' || m.role === 'user') {
      entries.push({ kind: 'prompt', role: m.role, text: m.content });
      continue;
    }
    if (m.role !== 'assistant') continue;
    turn += 1;
    if (m.content.trim() || m.reasoning)
      entries.push({ kind: 'thought', turn, text: m.content, reasoning: m.reasoning });
    for (const call of m.toolCalls) {
      index += 1;
      const found = records.get(call.id);
      const record = found?.record;
      const args = record?.arguments ?? call.arguments;
      entries.push({
        kind: 'action',
        action: {
          index,
          turn: found?.turn ?? turn,
          name: call.name,
          command: commandOf(args),
          isBash: call.name === 'bash',
          observation: answers.get(call.id),
          exitCode: record?.exitCode,
          durationMs: record?.durationMs,
          timedOut: record?.timedOut ?? false,
          rejected: record?.rejected,
          editedFrom: record?.edited?.original,
        },
      });
    }
  }
  return entries;
}

export function actionsOf(trajectory: StoredTrajectory): ActionView[] {
  return transcript(trajectory).flatMap((e) => (e.kind === 'action' ? [e.action] : []));
}

/** The bash commands a replay runs again: every one that ran (not rejected, and answered). */
export function replayable(actions: readonly ActionView[]): ActionView[] {
  return actions.filter((a) => a.isBash && a.rejected === undefined && a.observation !== undefined);
}
