/** Provider-neutral conversation types: the agent's message list is the trajectory (DESIGN.md §4). */

export interface ToolCall {
  id: string;
  name: string;
  /** Parsed arguments, or the raw text when the model sent something that is not a JSON object. */
  arguments: Record<string, unknown> | string;
  /** Set when the arguments could not be parsed; the agent answers the model with it. */
  parseError?: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/** Token counts of one turn. Input excludes cache reads and writes; output includes reasoning. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | {
      role: 'assistant';
      content: string;
      toolCalls: ToolCall[];
      reasoning?: string;
      /** Provider-specific content that must be sent back unchanged (e.g. Anthropic thinking signatures). */
      providerContent?: unknown;
    }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError: boolean };

export type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

export type TurnStopReason = 'tool_use' | 'end_turn' | 'max_tokens' | 'refusal' | 'context_overflow' | 'other';

export interface ModelTurn {
  message: AssistantMessage;
  toolCalls: ToolCall[];
  usage: Usage;
  stopReason: TurnStopReason;
  costUsd: number;
}

export interface TurnOptions {
  /** Per-unroll seed; providers that support one pass it on. */
  seed?: number;
  signal?: AbortSignal;
  /** The task being worked on; real providers ignore it, the loopback simulated agent picks its spec by it. */
  instanceId?: string;
}

export interface Model {
  /** e.g. `anthropic:claude-sonnet-4-6`; goes into run.json and predictions (never a key). */
  readonly name: string;
  /** True for the loopback simulated agent: reports label such runs. */
  readonly simulated: boolean;
  turn(messages: ChatMessage[], tools: ToolSpec[], opts?: TurnOptions): Promise<ModelTurn>;
}
