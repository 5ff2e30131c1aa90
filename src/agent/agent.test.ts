import { describe, expect, it } from 'vitest';
import { SandboxError } from '../errors.ts';
import { ContextOverflowError, ModelError } from '../models/errors.ts';
import type { ChatMessage } from '../models/types.ts';
import { bash, FakeModel, submit, type ScriptedReply } from '../../test/helpers/fake-model.ts';
import { execResult, FakeSandbox, type FakeSandboxOptions } from '../../test/helpers/fake-sandbox.ts';
import { Agent, type AgentObserver } from './agent.ts';
import { agentLimitsSchema, type AgentLimitsInput } from './limits.ts';

const task = {
  instanceId: 'demo__calc-1',
  unroll: 4,
  seed: 77,
  system: 'You fix bugs.',
  user: 'add() is wrong.',
  baseCommit: 'abc1234',
  excludeFromPatch: ['tests/test_ops.py'],
};

function setUp(
  script: ScriptedReply[],
  opts: {
    limits?: AgentLimitsInput;
    sandbox?: FakeSandboxOptions;
    then?: ScriptedReply;
    observer?: AgentObserver;
  } = {},
) {
  const model = new FakeModel(script, opts.then);
  const sandbox = new FakeSandbox({ diff: 'diff --git a/x b/x\n', ...opts.sandbox });
  const agent = new Agent(model, sandbox, agentLimitsSchema.parse(opts.limits ?? {}), opts.observer);
  return { model, sandbox, run: () => agent.run(task) };
}

const roles = (messages: readonly ChatMessage[]) => messages.map((m) => m.role);
const forever = (reply: ScriptedReply) => ({ then: reply });

describe('the agent loop, with a fake model and a fake sandbox', () => {
  it('runs tool calls until submit, and the trajectory holds every message, step, call and figure', async () => {
    const seen: string[] = [];
    const { model, sandbox, run } = setUp(
      [
        {
          text: 'Let me look.',
          calls: [bash('ls')],
          usage: { inputTokens: 100, outputTokens: 20, reasoningTokens: 5, cacheReadTokens: 50, cacheWriteTokens: 7 },
          costUsd: 0.01,
        },
        { calls: [bash('cat calc/ops.py')], usage: { inputTokens: 10, outputTokens: 30 }, costUsd: 0.02 },
        { calls: [submit()], costUsd: 0.005 },
      ],
      {
        sandbox: {
          run: (command) =>
            command === 'ls'
              ? execResult({ stdout: 'calc\nREADME.md\n', durationMs: 12 })
              : execResult({ exitCode: 1, stderr: 'no such file\n', durationMs: 3 }),
        },
        observer: {
          onTurn: (step) => seen.push(`turn ${step.turn}`),
          onAction: (call, _obs, record) => seen.push(`${call.name} ${record.exitCode ?? '-'}`),
        },
      },
    );
    const t = await run();
    expect(t.stopReason).toBe('submitted');
    expect(t.stopDetail).toBe('the agent called submit');
    expect(t).toMatchObject({ instanceId: 'demo__calc-1', unroll: 4, seed: 77, model: 'fake:scripted' });
    expect(t.simulated).toBe(false);
    expect(t.patch).toBe('diff --git a/x b/x\n');
    expect(sandbox.diffs).toEqual([{ baseCommit: 'abc1234', excludePaths: ['tests/test_ops.py'] }]);
    expect(sandbox.commands.map((c) => c.command)).toEqual(['ls', 'cat calc/ops.py']);
    expect(roles(t.messages)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
      'tool',
    ]);
    expect(t.messages[0]).toMatchObject({ role: 'system', content: 'You fix bugs.' });
    expect(t.messages[1]).toMatchObject({ role: 'user', content: 'add() is wrong.' });
    expect(t.messages[3]).toMatchObject({
      role: 'tool',
      toolCallId: 'call_1',
      name: 'bash',
      isError: false,
      content: 'exit code 0\n<stdout>\ncalc\nREADME.md\n</stdout>',
    });
    expect(t.messages[5]).toMatchObject({ content: 'exit code 1\n<stderr>\nno such file\n</stderr>' });
    expect(t.messages[7]).toMatchObject({ toolCallId: 'call_3', content: 'Submitted.' });
    expect(t.messages.every((m) => !Number.isNaN(Date.parse(m.at ?? '')))).toBe(true);
    expect(t.stats).toMatchObject({ actions: 3, turns: 3, messages: 8, formatErrors: 0 });
    // Prompt tokens count those read from and written to the cache.
    expect(t.stats.inputTokens).toBe(100 + 50 + 7 + 10 + 100);
    expect(t.stats.outputTokens).toBe(20 + 30 + 10);
    expect(t.stats.reasoningTokens).toBe(5);
    expect(t.stats.costUsd).toBeCloseTo(0.035, 10);
    expect(t.steps.map((s) => [s.turn, s.stopReason, s.costUsd])).toEqual([
      [1, 'tool_use', 0.01],
      [2, 'tool_use', 0.02],
      [3, 'tool_use', 0.005],
    ]);
    expect(t.steps[0]?.toolCalls).toEqual([
      {
        id: 'call_1',
        name: 'bash',
        arguments: { command: 'ls' },
        exitCode: 0,
        durationMs: 12,
        timedOut: false,
        truncated: false,
        observationCutChars: 0,
      },
    ]);
    expect(t.steps[2]?.toolCalls).toEqual([{ id: 'call_3', name: 'submit', arguments: {} }]);
    expect(t.limits).toEqual(agentLimitsSchema.parse({}));
    expect(Date.parse(t.finishedAt)).toBeGreaterThanOrEqual(Date.parse(t.startedAt));
    // The model saw the whole conversation each turn, and the two tools.
    expect(model.requests.map((r) => r.length)).toEqual([2, 4, 6]);
    expect(model.tools[0]?.map((tool) => tool.name)).toEqual(['bash', 'submit']);
    expect(seen).toEqual(['turn 1', 'bash 0', 'turn 2', 'bash 1', 'turn 3', 'submit -']);
  });

  it('gives each command the command timeout, or less when the wall clock is nearly out', async () => {
    const { sandbox, run } = setUp([{ calls: [bash('ls')] }, { calls: [submit()] }], {
      limits: { commandTimeoutMs: 5000 },
    });
    await run();
    expect(sandbox.commands[0]?.opts.timeoutMs).toBe(5000);
    const short = setUp([{ calls: [bash('ls')] }, { calls: [submit()] }], { limits: { maxWallMs: 3000 } });
    await short.run();
    expect(short.sandbox.commands[0]?.opts.timeoutMs).toBeLessThanOrEqual(3000);
    expect(short.sandbox.commands[0]?.opts.timeoutMs).toBeGreaterThan(2000);
  });

  it('cuts a long observation in the middle and records how much it cut', async () => {
    const { run } = setUp([{ calls: [bash('seq 1 5000')] }, { calls: [submit()] }], {
      limits: { maxObservationChars: 500 },
      sandbox: { run: () => execResult({ stdout: `${'x'.repeat(3000)}\n` }) },
    });
    const t = await run();
    const observation = t.messages[3]?.content ?? '';
    const cut = Number(/\[\.\.\. (\d+) characters cut/.exec(observation)?.[1]);
    expect(observation.length).toBeLessThanOrEqual(500);
    expect(t.steps[0]?.toolCalls[0]?.observationCutChars).toBe(cut);
    expect(cut).toBeGreaterThan(2500);
  });

  describe('limits', () => {
    it('stops at the action limit, running no command past it', async () => {
      const { sandbox, run } = setUp([], { limits: { maxActions: 2 }, ...forever({ calls: [bash('ls')] }) });
      const t = await run();
      expect(t.stopReason).toBe('action_limit');
      expect(t.stopDetail).toBe('the limit of 2 actions was reached');
      expect(t.stats.actions).toBe(2);
      expect(sandbox.commands).toHaveLength(2);
      // Stopped by a limit, the unroll still leaves its diff for the limit rule to grade.
      expect(t.patch).toBe('diff --git a/x b/x\n');
    });

    it('counts no action against the limit when it is 0', async () => {
      const script = Array.from({ length: 30 }, () => ({ calls: [bash('ls')] }));
      const { run } = setUp([...script, { calls: [submit()] }], { limits: { maxActions: 0 } });
      const t = await run();
      expect(t.stopReason).toBe('submitted');
      expect(t.stats.actions).toBe(31);
    });

    it('stops at the message limit before a turn that would not fit', async () => {
      const { model, run } = setUp([], { limits: { maxMessages: 7 }, ...forever({ calls: [bash('ls')] }) });
      const t = await run();
      expect(t.stopReason).toBe('message_limit');
      expect(t.stopDetail).toBe('the limit of 7 messages was reached');
      expect(t.stats).toMatchObject({ actions: 2, turns: 2, messages: 6 });
      expect(model.turns).toBe(2);
    });

    it.each([
      [4, 1, 4],
      [5, 2, 5],
      [8, 4, 8],
      [9, 4, 8],
    ])(
      'never overshoots a limit of %i messages with two calls in a turn (%i actions run)',
      async (maxMessages, actions, messages) => {
        const { sandbox, run } = setUp([], {
          limits: { maxMessages },
          ...forever({ calls: [bash('ls'), bash('pwd')] }),
        });
        const t = await run();
        expect(t.stopReason).toBe('message_limit');
        expect(t.stats.actions).toBe(actions);
        expect(t.stats.messages).toBe(messages);
        expect(sandbox.commands).toHaveLength(actions);
        expect(t.messages.filter((m) => m.role === 'tool')).toHaveLength(actions);
      },
    );

    it('stops at the cost limit once the spend reaches it', async () => {
      const { run } = setUp([], { limits: { maxCostUsd: 0.05 }, ...forever({ calls: [bash('ls')], costUsd: 0.02 }) });
      const t = await run();
      expect(t.stopReason).toBe('cost_limit');
      expect(t.stopDetail).toBe('the cost limit of $0.05 was reached ($0.0600)');
      expect(t.stats.turns).toBe(3);
      expect(t.stats.actions).toBe(3);
    });

    it('has no cost limit at 0', async () => {
      const script = Array.from({ length: 5 }, () => ({ calls: [bash('ls')], costUsd: 100 }));
      const { run } = setUp([...script, { calls: [submit()] }], { limits: { maxCostUsd: 0 } });
      expect((await run()).stopReason).toBe('submitted');
    });

    it('stops at the wall-clock limit between turns', async () => {
      const { model, run } = setUp([], {
        limits: { maxWallMs: 100 },
        sandbox: {
          run: async () => {
            await new Promise((r) => setTimeout(r, 150));
            return execResult();
          },
        },
        ...forever({ calls: [bash('sleep 1')] }),
      });
      const t = await run();
      expect(t.stopReason).toBe('time_limit');
      expect(t.stopDetail).toBe('the wall-clock limit of 0.1 s was reached');
      expect(model.turns).toBe(1);
    });

    it('stops at the wall-clock limit during a model call, which it aborts', async () => {
      let aborted = false;
      const hang: ScriptedReply = (_m, opts) =>
        new Promise((_resolve, reject) => {
          opts.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(opts.signal?.reason);
          });
        });
      const { run } = setUp([hang], { limits: { maxWallMs: 100 } });
      const t = await run();
      expect(aborted).toBe(true);
      expect(t.stopReason).toBe('time_limit');
      expect(t.stopDetail).toBe('the wall-clock limit of 0.1 s ran out during a model call');
      expect(t.stats.wallMs).toBeLessThan(5000);
    });

    it('stops with context_overflow when the model says the conversation no longer fits', async () => {
      const thrown = setUp([{ calls: [bash('ls')] }, { throws: new ContextOverflowError('too long: 9000 > 8000') }]);
      const t = await thrown.run();
      expect(t.stopReason).toBe('context_overflow');
      expect(t.stopDetail).toBe('too long: 9000 > 8000');
      expect(t.stats.actions).toBe(1);
      const reported = setUp([{ calls: [bash('ls')] }, { stopReason: 'context_overflow' }]);
      const r = await reported.run();
      expect(r.stopReason).toBe('context_overflow');
      expect(r.stopDetail).toBe('the model reported that its context window is full');
    });
  });

  describe('format errors', () => {
    it('reminds the model after a reply without a tool call, and stops after too many in a row', async () => {
      const { model, run } = setUp([], { limits: { maxFormatErrors: 3 }, ...forever({ text: 'I think…' }) });
      const t = await run();
      expect(t.stopReason).toBe('format_error');
      expect(t.stopDetail).toBe('3 turns in a row without a tool call (last stop reason: end_turn)');
      expect(t.stats).toMatchObject({ formatErrors: 3, actions: 0, turns: 3 });
      const reminders = t.messages.filter((m) => m.role === 'user').slice(1);
      expect(reminders).toHaveLength(2);
      expect(reminders[0]?.content).toMatch(/^Your last reply had no tool call\./);
      expect(model.turns).toBe(3);
    });

    it('answers unusable calls with an error, counts them, and stops after too many turns of them', async () => {
      const { sandbox, run } = setUp(
        [
          { calls: [{ name: 'str_replace_editor', arguments: { path: 'x' } }] },
          { calls: [{ name: 'bash', arguments: '{"command": "ls', parseError: 'not valid JSON' }] },
          { calls: [bash('  ')] },
        ],
        { limits: { maxFormatErrors: 3 } },
      );
      const t = await run();
      expect(t.stopReason).toBe('format_error');
      expect(t.stopDetail).toBe('3 turns in a row without a usable tool call');
      expect(sandbox.commands).toEqual([]);
      expect(t.stats).toMatchObject({ formatErrors: 3, actions: 0 });
      const errors = t.messages.filter((m) => m.role === 'tool' && m.isError).map((m) => m.content);
      expect(errors).toEqual([
        'Error: there is no tool named "str_replace_editor"; use bash or submit',
        'Error: the arguments of your bash call could not be used: not valid JSON',
        'Error: bash needs a non-empty "command" string',
      ]);
      expect(t.steps.flatMap((s) => s.toolCalls.map((c) => c.rejected))).toEqual(errors.map((e) => e.slice(7)));
    });

    it('starts counting again after a usable call', async () => {
      const { run } = setUp(
        [
          { text: 'hm' },
          { calls: [{ name: 'nope', arguments: {} }] },
          { calls: [bash('ls')] },
          { text: 'hm' },
          { text: 'hm' },
          { calls: [submit()] },
        ],
        { limits: { maxFormatErrors: 3 } },
      );
      const t = await run();
      expect(t.stopReason).toBe('submitted');
      expect(t.stats.formatErrors).toBe(4);
    });

    it('answers a command the sandbox refuses as malformed, and goes on', async () => {
      const { run } = setUp([{ calls: [bash('echo \0')] }, { calls: [submit()] }], {
        sandbox: {
          run: () => {
            throw new SandboxError('bad_command', 'A command cannot contain a NUL byte.');
          },
        },
      });
      const t = await run();
      expect(t.stopReason).toBe('submitted');
      expect(t.messages[3]).toMatchObject({ isError: true, content: 'Error: A command cannot contain a NUL byte.' });
      expect(t.stats.formatErrors).toBe(1);
    });
  });

  describe('infrastructure failures and bugs', () => {
    it('stops with model_error on a model failure, keeping the diff', async () => {
      const down = new ModelError('sim could not be reached (3 attempts).', { retryable: true });
      const { run } = setUp([{ calls: [bash('ls')] }, { throws: down }]);
      const t = await run();
      expect(t.stopReason).toBe('model_error');
      expect(t.stopDetail).toBe('sim could not be reached (3 attempts).');
      expect(t.patch).toBe('diff --git a/x b/x\n');
    });

    it('lets a model failure that dooms the run go up', async () => {
      const rejected = new ModelError('HTTP 401', { retryable: false, fatal: true, status: 401 });
      const { run } = setUp([{ throws: rejected }]);
      await expect(run()).rejects.toBe(rejected);
    });

    it('stops with sandbox_error when the sandbox or the engine fails, taking no diff', async () => {
      const dead = setUp([{ calls: [bash('ls')] }], {
        sandbox: {
          run: () => {
            throw new SandboxError('sandbox_dead', 'Could not run a command in the sandbox: container gone');
          },
        },
      });
      const t = await dead.run();
      expect(t.stopReason).toBe('sandbox_error');
      expect(t.stopDetail).toBe('the sandbox failed: Could not run a command in the sandbox: container gone');
      expect(dead.sandbox.diffs).toEqual([]);
      expect(t.patch).toBe('');
      // What dockerode raises for an engine answer: a status and the engine's body.
      const engine = Object.assign(new Error('(HTTP code 409) container is not running'), {
        statusCode: 409,
        json: { message: 'container is not running' },
      });
      const gone = setUp([{ calls: [bash('ls')] }], {
        sandbox: {
          run: () => {
            throw engine;
          },
        },
      });
      expect((await gone.run()).stopReason).toBe('sandbox_error');
    });

    it('stops with sandbox_error when the final diff fails', async () => {
      const { run } = setUp([{ calls: [submit()] }], {
        sandbox: {
          diff: () => {
            throw new SandboxError('diff_failed', 'Taking the diff against abc1234 failed: fatal');
          },
        },
      });
      const t = await run();
      expect(t.stopReason).toBe('sandbox_error');
      expect(t.stopDetail).toBe('taking the final diff failed: Taking the diff against abc1234 failed: fatal');
    });

    it.each([
      ['the model', { script: [{ throws: new TypeError("Cannot read properties of undefined (reading 'x')") }] }],
      [
        'the sandbox',
        {
          script: [{ calls: [bash('ls')] }],
          sandbox: {
            run: () => {
              throw new TypeError('sandbox bug');
            },
          },
        },
      ],
      [
        'the diff',
        {
          script: [{ calls: [submit()] }],
          sandbox: {
            diff: () => {
              throw new RangeError('diff bug');
            },
          },
        },
      ],
      [
        'an observer',
        {
          script: [{ calls: [bash('ls')] }],
          observer: {
            onAction: () => {
              throw new TypeError('observer bug');
            },
          },
        },
      ],
    ] as const)('throws an error nobody expected from %s: a bug, never a stop reason', async (_where, setup) => {
      const { run } = setUp([...setup.script], {
        ...('sandbox' in setup ? { sandbox: setup.sandbox } : {}),
        ...('observer' in setup ? { observer: setup.observer } : {}),
      });
      const err = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toMatch(/^(TypeError|RangeError)$/);
    });
  });
});

describe('the beforeAction hook (run-one --step)', () => {
  it('runs an edited command in place of the proposed one, marks it edited and tells the model', async () => {
    const asked: string[] = [];
    const { sandbox, run } = setUp([{ calls: [bash('ls')] }, { calls: [bash('cat a.py')] }, { calls: [submit()] }], {
      observer: {
        beforeAction: async (command) => {
          asked.push(command);
          return { run: command === 'ls' ? 'ls -la' : command };
        },
      },
    });
    const t = await run();
    expect(asked).toEqual(['ls', 'cat a.py']);
    expect(sandbox.commands.map((c) => c.command)).toEqual(['ls -la', 'cat a.py']);
    const [first, second] = t.steps.map((s) => s.toolCalls[0]);
    expect(first).toMatchObject({ arguments: { command: 'ls -la' }, edited: { original: 'ls' } });
    expect(second?.edited).toBeUndefined();
    const observations = t.messages.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(observations[0]).toBe(
      '[A person replaced your command with: ls -la]\nexit code 0\n<stdout>\nran ls -la\n</stdout>',
    );
    expect(observations[1]?.startsWith('exit code 0')).toBe(true);
    expect(t.stopReason).toBe('submitted');
  });

  it('stops the unroll when asked: grade now (user_stop), or quit (kept, marked quit); the unrun action is not counted', async () => {
    for (const stop of ['grade', 'quit'] as const) {
      let calls = 0;
      const { sandbox, run } = setUp([{ calls: [bash('ls')] }, { calls: [bash('rm -rf /')] }], {
        observer: { beforeAction: async (command) => (++calls === 2 ? { stop } : { run: command }) },
      });
      const t = await run();
      expect(sandbox.commands.map((c) => c.command)).toEqual(['ls']);
      expect(t.stopReason).toBe('user_stop');
      expect(t.quit).toBe(stop === 'quit' ? true : undefined);
      expect(t.stats.actions).toBe(1);
      expect(t.steps.map((s) => s.toolCalls.length)).toEqual([1, 0]);
      expect(t.patch).toBe('diff --git a/x b/x\n');
    }
  });
});
