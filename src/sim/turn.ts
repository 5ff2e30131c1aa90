import type { Flaw } from './faults.ts';
import type { SimAction } from './policy.ts';

/** What the server needs from a request, whatever its wire format. */
export interface ConversationSummary {
  /** Text of the first user message: where a generic client's instance id or problem statement is found. */
  readonly firstUserText: string;
  /** Completed tool calls, not counting replies to flawed ones: the index of the turn to produce. */
  readonly step: number;
  /** Replies to flawed calls since the last good one. */
  readonly formatErrors: number;
  readonly toolNames: readonly string[];
  /** Characters of prompt text, for the usage estimate. */
  readonly inputChars: number;
  readonly maxTokens: number | undefined;
}

/** Ids of flawed calls carry this tag, so that the agent's error replies to them do not advance the plan. */
export const flawTag = 'simbad';

/** What the simulated agent calls instead of an offered tool: the editor tool of other harnesses. */
export const unknownToolCall = { name: 'str_replace_editor', input: { command: 'view', path: '.' } } as const;

export function countSteps(resultIds: readonly string[]): { step: number; formatErrors: number } {
  let step = 0;
  let formatErrors = 0;
  for (const id of resultIds) {
    if (id.includes(flawTag)) formatErrors++;
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
  /** Set only with a call; each wire renders a malformed call its own way. */
  readonly flaw?: Flaw;
  /** A second call in the same turn, from the next planned action (the `parallelToolCalls` quirk); never with a flaw. */
  readonly second?: { readonly name: string; readonly input: Record<string, unknown> };
  /** Hidden reasoning: Anthropic thinking text, or counted as OpenAI reasoning tokens. */
  readonly reasoning?: string;
}

/**
 * `next` is the action after this one, given only under the `parallelToolCalls` quirk: it joins the turn when
 * this turn's call is a good one, so that the two results move the plan on by two.
 */
export function toSimTurn(
  action: SimAction,
  toolNames: readonly string[],
  flaw: Flaw | undefined,
  reasoning: string | undefined,
  next?: SimAction,
): SimTurn {
  const base = reasoning === undefined ? {} : { reasoning };
  if (action.kind === 'done') return { thought: action.thought, ...base };
  if (!toolNames.includes(action.tool)) {
    return { thought: `${action.thought} (The \`${action.tool}\` tool is not offered, so I stop here.)`, ...base };
  }
  if (flaw === 'unknown_tool' && !toolNames.includes(unknownToolCall.name))
    return {
      thought: action.thought,
      call: { name: unknownToolCall.name, input: { ...unknownToolCall.input } },
      flaw,
      ...base,
    };
  const call = { name: action.tool, input: action.input };
  if (flaw === 'malformed') return { thought: action.thought, call, flaw, ...base };
  const second =
    action.kind !== 'submit' && next !== undefined && next.kind !== 'done' && toolNames.includes(next.tool)
      ? { second: { name: next.tool, input: next.input } }
      : {};
  return { thought: action.thought, call, ...second, ...base };
}

export function reasoningText(instanceId: string, step: number, thought: string): string {
  return `Working on ${instanceId}; ${step} tool calls so far. ${thought} This follows from what I have seen.`;
}
