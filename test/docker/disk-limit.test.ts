import { describe, expect, inject, it } from 'vitest';
import { Agent } from '../../src/agent/agent.ts';
import { agentLimitsSchema } from '../../src/agent/limits.ts';
import { connectEngine } from '../../src/docker/engine.ts';
import type { Model, ModelTurn } from '../../src/models/types.ts';
import { DockerSandboxProvider } from '../../src/sandbox/docker-provider.ts';

const { docker } = await connectEngine();
const image = inject('baseImage');
const provider = new DockerSandboxProvider(docker);
const run = `test-disk-${process.pid}`;

/** A model that runs these commands one per turn, then submits: the agent loop driven from the test. */
function scripted(commands: string[]): Model {
  let turn = 0;
  return {
    name: 'test:scripted',
    simulated: false,
    turn(): Promise<ModelTurn> {
      const command = commands[turn];
      const call =
        command === undefined
          ? { id: `c${turn}`, name: 'submit', arguments: {} }
          : { id: `c${turn}`, name: 'bash', arguments: { command } };
      turn += 1;
      return Promise.resolve({
        message: { role: 'assistant', content: '', toolCalls: [call] },
        toolCalls: [call],
        usage: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
        stopReason: 'tool_use',
        costUsd: 0,
      });
    },
  };
}

async function unroll(commands: string[], diskBytes: number) {
  const sandbox = await provider.start(image, { execMode: 'persistent', diskBytes }, { run });
  try {
    const git = await sandbox.exec(
      'git init -q . && git -c user.email=t@t -c user.name=t commit -q --allow-empty -m base',
    );
    expect(git.exitCode).toBe(0);
    const limits = agentLimitsSchema.parse({ maxDiskBytes: diskBytes });
    return await new Agent(scripted(commands), sandbox, limits).run({
      instanceId: 'demo__disk-1',
      unroll: 0,
      seed: 0,
      system: 'system',
      user: 'task',
      baseCommit: 'HEAD',
      excludeFromPatch: [],
    });
  } finally {
    await sandbox.close();
  }
}

describe('the disk limit', () => {
  it('stops an agent that writes past it, with the named stop reason', async () => {
    const t = await unroll(['head -c 40000000 /dev/zero > /tmp/fill', 'echo should not run'], 20 * 1024 ** 2);
    expect(t.stopReason).toBe('disk_limit');
    expect(t.stopDetail).toMatch(
      /^the sandbox wrote 3\d\.\d MiB to its file system, over the disk limit of 20\.0 MiB$/,
    );
    expect(t.stats.actions).toBe(1);
  });

  it('lets an agent that stays under it finish', async () => {
    const t = await unroll(['head -c 1000000 /dev/zero > /tmp/small'], 20 * 1024 ** 2);
    expect(t.stopReason).toBe('submitted');
    expect(t.stats.actions).toBe(2);
  });
});
