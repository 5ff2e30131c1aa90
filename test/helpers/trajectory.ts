import type { Trajectory } from '../../src/agent/trajectory.ts';

/**
 * A trajectory as the agent writes it, with `actions` bash actions (every third one failing, every fifth one with a
 * long observation) and a submit: 2 prompts + 2 messages per action + the submit's 2.
 */
export function syntheticTrajectory(instanceId: string, unroll: number, actions: number, patch = ''): Trajectory {
  const messages: Trajectory['messages'] = [
    { role: 'system', content: 'You are a careful software engineer.\nUse the bash tool.' },
    { role: 'user', content: `Solve the issue of ${instanceId}.\n<issue>\nadd() is wrong\n</issue>` },
  ];
  const steps: Trajectory['steps'] = [];
  const usage = { inputTokens: 10, outputTokens: 5, reasoningTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  for (let i = 1; i <= actions + 1; i++) {
    const id = `call_${i}`;
    const submit = i === actions + 1;
    const command = `cat file_${i}.py`;
    const fails = i % 3 === 0;
    const long = i % 5 === 0;
    const output = long
      ? Array.from({ length: 120 }, (_, k) => `line ${k} of action ${i}`).join('\n')
      : `output of action ${i}`;
    messages.push({
      role: 'assistant',
      content: submit ? 'Submitting.' : `Thought ${i}: let me look at file_${i}.py.`,
      toolCalls: [{ id, name: submit ? 'submit' : 'bash', arguments: submit ? {} : { command } }],
    });
    messages.push({
      role: 'tool',
      toolCallId: id,
      name: submit ? 'submit' : 'bash',
      content: submit ? 'Submitted.' : `exit code ${fails ? 1 : 0}\n<stdout>\n${output}\n</stdout>`,
      isError: false,
    });
    steps.push({
      turn: i,
      startedAt: '2026-12-01T00:00:00.000Z',
      modelMs: 5,
      usage,
      costUsd: 0.001,
      stopReason: 'tool_use',
      toolCalls: [
        submit
          ? { id, name: 'submit', arguments: {} }
          : {
              id,
              name: 'bash',
              arguments: { command },
              exitCode: fails ? 1 : 0,
              durationMs: 12,
              timedOut: false,
              truncated: false,
            },
      ],
    });
  }
  return {
    instanceId,
    unroll,
    seed: unroll,
    model: 'sim',
    simulated: true,
    startedAt: '2026-12-01T00:00:00.000Z',
    finishedAt: '2026-12-01T00:01:00.000Z',
    stopReason: 'submitted',
    stopDetail: 'the agent called submit',
    stats: {
      actions: actions + 1,
      turns: actions + 1,
      messages: messages.length,
      formatErrors: 0,
      inputTokens: 100,
      outputTokens: 50,
      reasoningTokens: 0,
      costUsd: 0.01,
      wallMs: 60_000,
    },
    limits: { maxMessages: 250, commandTimeoutMs: 180_000, maxObservationChars: 10_000 },
    messages,
    steps,
    patch,
  };
}
