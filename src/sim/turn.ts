import type { SimAction } from './policy.ts';

/** What the server needs from a request, whatever its wire format. */
export interface ConversationSummary {
  /** Text of the first user message: where a generic client's instance id or problem statement is found. */
  readonly firstUserText: string;
  /** Completed tool calls, not counting replies to malformed ones: the index of the turn to produce. */
  readonly step: number;
  /** Replies to malformed calls since the last good one. */
  readonly formatErrors: number;
  readonly toolNames: readonly string[];
  /** Characters of prompt text, for the usage estimate. */
  readonly inputChars: number;
  readonly maxTokens: number | undefined;
}

/** Ids of malformed calls carry this tag, so that the agent's error replies to them do not advance the plan. */
export const malformedTag = 'simbad';

export function countSteps(resultIds: readonly string[]): { step: number; formatErrors: number } {
  let step = 0;
  let formatErrors = 0;
  for (const id of resultIds) {
    if (id.includes(malformedTag)) formatErrors++;
    else {
      step++;
      formatErrors = 0;
    }
  }
  return { step, formatErrors };
}

/** A rendered assistant turn before it is put in a wire format. */
export interface SimTurn {
  readonly thought: string;
  /** Absent after submit, or when the client did not offer the tool. */
  readonly call?: { readonly name: string; readonly input: Record<string, unknown> };
  readonly malformed: boolean;
  /** Hidden reasoning: Anthropic thinking text, or counted as OpenAI reasoning tokens. */
  readonly reasoning?: string;
}

export function toSimTurn(action: SimAction, toolNames: readonly string[], malformed: boolean, reasoning: string | undefined): SimTurn {
  const base = reasoning === undefined ? {} : { reasoning };
  if (action.kind === 'done') return { thought: action.thought, malformed: false, ...base };
  if (!toolNames.includes(action.tool)) {
    return { thought: `${action.thought} (The \`${action.tool}\` tool is not offered, so I stop here.)`, malformed: false, ...base };
  }
  return { thought: action.thought, call: { name: action.tool, input: action.input }, malformed, ...base };
}

/** About four characters a token, as for English text and code. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

export function reasoningText(instanceId: string, step: number, thought: string): string {
  return `Working on ${instanceId}; ${step} tool calls so far. ${thought} This follows from what I have seen.`;
}
