import { spawn } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { makeSimFixture } from '../../../test/helpers/sim-fixture.ts';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/hotmess.js');

function run(args: string[]): { child: ReturnType<typeof spawn>; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return { child, stdout: () => out, stderr: () => err };
}

describe('hotmess sim-server', () => {
  it('prints its URL, serves a generic OpenAI client, and stops cleanly on SIGTERM', async () => {
    const fixture = await makeSimFixture();
    const proc = run(['sim-server', '--instances', path.join(fixture.dir, 'instances.jsonl'), '--log-level', 'warn']);
    const deadline = Date.now() + 20_000;
    while (!proc.stdout().includes('\n') && Date.now() < deadline && proc.child.exitCode === null)
      await new Promise((r) => setTimeout(r, 50));
    const url = proc.stdout().trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${url}/v1`, maxRetries: 0 });
    const reply = await client.chat.completions.create({
      model: 'any',
      seed: 1,
      messages: [{ role: 'user', content: 'hello' }],
      tools: [
        {
          type: 'function',
          function: { name: 'bash', parameters: { type: 'object', properties: { command: { type: 'string' } } } },
        },
      ],
    });
    expect(reply.choices[0]?.finish_reason).toBe('tool_calls');
    proc.child.kill('SIGTERM');
    const [code] = (await once(proc.child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('rejects bad --faults with a one-line usage error', async () => {
    const fixture = await makeSimFixture();
    const proc = run(['sim-server', '--instances', path.join(fixture.dir, 'instances.jsonl'), '--faults', 'rate429=7']);
    const [code] = (await once(proc.child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(proc.stderr()).toMatch(/^hotmess: Bad --faults: rate429: .*\n/);
  });
});
