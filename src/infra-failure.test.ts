import Anthropic from '@anthropic-ai/sdk';
import Docker from 'dockerode';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DockerUnavailableError,
  ImageBuildError,
  InputError,
  InternalError,
  SandboxError,
  UsageError,
} from './errors.ts';
import { GradingInfraError } from './grading/grading-error.ts';
import { isEngineError, isInfrastructureFailure } from './infra-failure.ts';
import { ContextOverflowError, ModelError } from './models/errors.ts';
import { toModelError } from './models/sdk-errors.ts';

/** What dockerode raises, got from dockerode itself: an engine on a unix socket that answers as told. */
async function engineAnswering(
  handler: Parameters<typeof createServer>[1],
): Promise<{ docker: Docker; server: Server }> {
  const socketPath = path.join(await mkdtemp(path.join(tmpdir(), 'hotmess-engine-')), 'docker.sock');
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  servers.push(server);
  return { docker: new Docker({ socketPath }), server };
}
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );

describe('telling infrastructure failures from bugs', () => {
  it('takes the errors of the Docker engine API, as dockerode raises them, for infrastructure', async () => {
    const { docker } = await engineAnswering((_req, res) => {
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'container abc is not running' }));
    });
    const conflict = await failure(docker.getContainer('abc').exec({ Cmd: ['true'] }));
    expect((conflict as { statusCode: number }).statusCode).toBe(409);
    expect(isEngineError(conflict)).toBe(true);
    expect(isInfrastructureFailure(conflict)).toBe(true);

    const { docker: cut } = await engineAnswering((req) => req.socket.destroy());
    const hangUp = await failure(cut.ping());
    expect(isInfrastructureFailure(hangUp)).toBe(true);

    const nowhere = new Docker({ socketPath: path.join(tmpdir(), `no-engine-${process.pid}.sock`) });
    const missing = await failure(nowhere.ping());
    expect((missing as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(isInfrastructureFailure(missing)).toBe(true);

    const refused = await failure(new Docker({ host: '127.0.0.1', port: 9, protocol: 'http' }).ping());
    expect((refused as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(isInfrastructureFailure(refused)).toBe(true);
  });

  it('takes a model SDK error, once mapped, for infrastructure', async () => {
    const client = new Anthropic({ apiKey: 'x', baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
    const raw = await failure(
      client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(raw).toBeInstanceOf(Anthropic.APIConnectionError);
    const mapped = toModelError(raw, { name: 'anthropic:m', attempts: 1, secrets: [] });
    expect(mapped).toBeInstanceOf(ModelError);
    expect(isInfrastructureFailure(mapped)).toBe(true);
    expect(isInfrastructureFailure(new ContextOverflowError('too long'))).toBe(true);
  });

  it("takes hotmess's own infrastructure errors for what they say they are", () => {
    expect(isInfrastructureFailure(new SandboxError('sandbox_dead', 'gone'))).toBe(true);
    expect(isInfrastructureFailure(new DockerUnavailableError('down'))).toBe(true);
    expect(isInfrastructureFailure(new ImageBuildError('failed', 'RUN', ''))).toBe(true);
    expect(isInfrastructureFailure(new GradingInfraError('x', new SandboxError('sandbox_io', 'io')))).toBe(true);
    // A command the sandbox refuses is the caller's mistake, not the sandbox's failure.
    expect(isInfrastructureFailure(new SandboxError('bad_command', 'NUL byte'))).toBe(false);
  });

  it('takes everything else for a bug or a bad input, never infrastructure', () => {
    for (const err of [
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      new RangeError('Invalid array length'),
      new Error('something unexpected'),
      new SyntaxError('Unexpected token'),
      new InputError('bad record'),
      new UsageError('bad flag'),
      new InternalError('a bug', new Error('x')),
      Object.assign(new Error('no such file'), { code: 'ENOENT', syscall: 'open' }),
      Object.assign(new Error('a status alone'), { statusCode: 500 }),
      'a string',
      undefined,
    ])
      expect(isInfrastructureFailure(err), String(err)).toBe(false);
  });
});
