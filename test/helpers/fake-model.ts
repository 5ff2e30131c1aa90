import type {
  ChatMessage,
  Model,
  ModelTurn,
  ToolCall,
  ToolSpec,
  TurnOptions,
  TurnStopReason,
  Usage,
} from '../../src/models/types.ts';

/** One scripted reply: tool calls (and text), or an error to throw, or a function of the conversation. */
export type ScriptedReply =
  | {
      calls?: readonly Omit<ToolCall, 'id'>[];
      text?: string;
      stopReason?: TurnStopReason;
      usage?: Partial<Usage>;
      costUsd?: number;
    }
  | { throws: unknown }
  | ((messages: readonly ChatMessage[], opts: TurnOptions) => Promise<ModelTurn | ScriptedReply> | ScriptedReply);

export const bash = (command: string): Omit<ToolCall, 'id'> => ({ name: 'bash', arguments: { command } });
export const submit = (): Omit<ToolCall, 'id'> => ({ name: 'submit', arguments: {} });

const usage = (over: Partial<Usage> = {}): Usage => ({
  inputTokens: 100,
  outputTokens: 10,
  reasoningTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  ...over,
});

/**
 * An in-memory Model that plays a script, one reply per turn, and keeps every request it was sent. Past the
 * end of the script it repeats `then` (default: an error, so that a test that runs too far fails).
 */
export class FakeModel implements Model {
  readonly name = 'fake:scripted';
  readonly simulated = false;
  /** The messages of every turn, copied when asked. */
  readonly requests: ChatMessage[][] = [];
  readonly tools: ToolSpec[][] = [];
  private calls = 0;

  constructor(
    private readonly script: ScriptedReply[],
    private readonly then?: ScriptedReply,
  ) {}

  get turns(): number {
    return this.requests.length;
  }

  async turn(messages: ChatMessage[], tools: ToolSpec[], opts: TurnOptions = {}): Promise<ModelTurn> {
    this.requests.push(messages.map((m) => ({ ...m })));
    this.tools.push(tools);
    const reply = this.script[this.requests.length - 1] ?? this.then;
    if (reply === undefined) throw new Error(`the fake model has no reply for turn ${this.requests.length}`);
    return this.play(reply, messages, opts);
  }

  private async play(reply: ScriptedReply, messages: ChatMessage[], opts: TurnOptions): Promise<ModelTurn> {
    if (typeof reply === 'function') {
      const out = await reply(messages, opts);
      return 'message' in out ? out : this.play(out, messages, opts);
    }
    if ('throws' in reply) throw reply.throws;
    const toolCalls: ToolCall[] = (reply.calls ?? []).map((c) => ({ ...c, id: `call_${(this.calls += 1)}` }));
    return {
      message: { role: 'assistant', content: reply.text ?? '', toolCalls },
      toolCalls,
      usage: usage(reply.usage),
      stopReason: reply.stopReason ?? (toolCalls.length > 0 ? 'tool_use' : 'end_turn'),
      costUsd: reply.costUsd ?? 0,
    };
  }
}
