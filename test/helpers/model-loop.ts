import type { ChatMessage, Model, ModelTurn, ToolSpec } from '../../src/models/types.ts';

export const agentTools: ToolSpec[] = [
  {
    name: 'bash',
    description: 'Run a shell command in the repository',
    parameters: {
      type: 'object',
      properties: { command: { type: 'string' } },
      required: ['command'],
      additionalProperties: false,
    },
  },
  {
    name: 'submit',
    description: 'Submit the work',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
  },
];

/**
 * What the agent loop does with a Model: answer every tool call (a parse error goes back as an error result),
 * until a turn has no tool calls.
 */
export async function runModelLoop(
  model: Model,
  opts: { instanceId?: string; seed?: number; firstMessage?: string } = {},
): Promise<{ turns: ModelTurn[]; messages: ChatMessage[] }> {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You are a software engineer working in a repository.' },
    { role: 'user', content: opts.firstMessage ?? 'Fix the issue.' },
  ];
  const turns: ModelTurn[] = [];
  for (let i = 0; i < 200; i++) {
    const turn = await model.turn(messages, agentTools, {
      ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      ...(opts.instanceId === undefined ? {} : { instanceId: opts.instanceId }),
    });
    turns.push(turn);
    messages.push(turn.message);
    if (turn.toolCalls.length === 0) return { turns, messages };
    for (const call of turn.toolCalls) {
      messages.push({
        role: 'tool',
        toolCallId: call.id,
        name: call.name,
        content: call.parseError ?? `ran ${call.name}`,
        isError: call.parseError !== undefined,
      });
    }
  }
  throw new Error('the conversation did not end');
}

/** The well-formed tool calls of a loop, as name + arguments. */
export function goodCalls(turns: readonly ModelTurn[]): string[] {
  return turns.flatMap((t) =>
    t.toolCalls.filter((c) => c.parseError === undefined).map((c) => `${c.name} ${JSON.stringify(c.arguments)}`),
  );
}
