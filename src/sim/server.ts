import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { InputError, errorMessage } from '../errors.ts';
import type { Instance } from '../instances/schema.ts';
import { estimateTokens } from '../util/estimate-tokens.ts';
import {
  anthropicError,
  anthropicRequestSchema,
  renderAnthropic,
  summarizeAnthropic,
  thinkingReplayError,
} from './anthropic-wire.ts';
import { drawFaults, faultsSchema, type Faults, type FaultsInput, type Flaw } from './faults.ts';
import {
  llamaCppOverflowError,
  openaiError,
  openaiRequestSchema,
  renderOpenAI,
  summarizeOpenAI,
} from './openai-wire.ts';
import { nextAction, planUnroll } from './policy.ts';
import { quirksSchema, type Quirks, type QuirksInput } from './quirks.ts';
import type { SimDefault } from './default-spec.ts';
import { SimRegistry } from './registry.ts';
import { shiftDrift, type SimShift } from './shift.ts';
import { stableId } from './stable-id.ts';
import { reasoningText, toSimTurn, type ConversationSummary } from './turn.ts';

export interface SimServerOptions {
  readonly instances: readonly Instance[];
  readonly faults?: FaultsInput | Faults;
  /** The default spec's mix for instances without a spec of their own (default-spec.ts). */
  readonly simDefault?: SimDefault;
  /** Reply shapes of other servers to imitate on every reply (quirks.ts). */
  readonly quirks?: QuirksInput | Quirks;
  /** Extra drift towards the wrong candidates on every task (shift.ts); none by default. */
  readonly shift?: SimShift | undefined;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /**
   * Logs at debug: each request's body (`sim request`, with `body`) and each turn's usage (`sim turn`), so that
   * what a client sent can be checked.
   */
  readonly log?: Logger;
  /** Prompts estimated above this many tokens get the provider's context-overflow error (default 200k). */
  readonly contextWindow?: number;
  /** Do not keep the process alive for this server (the in-process server of `--model sim`). */
  readonly unref?: boolean;
}

export interface SimServer {
  /** e.g. `http://127.0.0.1:40123`; the OpenAI base URL is this plus `/v1`. */
  readonly url: string;
  readonly port: number;
  /** Loads more instances' specs into the running server. */
  addInstances(instances: readonly Instance[]): Promise<{ loaded: string[]; skipped: string[] }>;
  hasInstance(instanceId: string): boolean;
  close(): Promise<void>;
}

export const instanceHeader = 'x-hotmess-instance';
export const seedHeader = 'x-hotmess-seed';
const maxBodyBytes = 64 * 1024 * 1024;

type Wire = 'anthropic' | 'openai';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    /** A whole error body, for servers whose errors are not shaped like the wire's own. */
    readonly body?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * The loopback model server (DESIGN.md §4): Anthropic Messages and OpenAI Chat Completions on 127.0.0.1,
 * answered by the seeded simulated agent. Stateless per request except for counting retried requests,
 * which only the fault stream reads.
 */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const faults = faultsSchema.parse(options.faults ?? {});
  const quirks = quirksSchema.parse(options.quirks ?? {});
  const registry = new SimRegistry(options.simDefault);
  const added = await registry.add(options.instances);
  if (registry.size === 0)
    throw new InputError(
      'None of the given instances has a `sim` spec or a gold patch, so the sim server has nothing to play.',
    );
  const log = options.log;
  if (added.skipped.length > 0)
    log?.warn({ skipped: added.skipped }, 'instances with neither a sim spec nor a gold patch are not served');
  const attempts = new Map<string, number>();
  const contextWindow = options.contextWindow ?? 200_000;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log?.error({ err: errorMessage(err) }, 'sim server failed a request');
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'internal error in the sim server' } }, {});
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  if (options.unref) server.on('connection', (socket) => socket.unref());

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = `req_sim_${randomUUID().replaceAll('-', '')}`;
    const path = (req.url ?? '/').split('?')[0];
    const wire: Wire = path === '/v1/messages' ? 'anthropic' : 'openai';
    const idHeaders: Record<string, string> =
      wire === 'anthropic' ? { 'request-id': requestId } : { 'x-request-id': requestId };
    const fail = (
      status: number,
      message: string,
      extra: Record<string, string> = {},
      code?: string,
      body?: Record<string, unknown>,
    ): void => {
      log?.debug({ requestId, status, path, message }, 'sim request refused');
      sendJson(
        res,
        status,
        body ??
          (wire === 'anthropic' ? anthropicError(status, message, requestId) : openaiError(status, message, code)),
        { ...idHeaders, ...extra },
      );
    };
    const retryAfter = { 'retry-after': String(faults.retryAfterSeconds) };
    try {
      if (req.method === 'GET' && path === '/v1/models') {
        sendJson(
          res,
          200,
          { object: 'list', data: [{ id: 'hotmess-sim', object: 'model', created: 0, owned_by: 'hotmess' }] },
          idHeaders,
        );
        return;
      }
      if (req.method !== 'POST' || (path !== '/v1/messages' && path !== '/v1/chat/completions')) {
        throw new HttpError(
          404,
          `No route for ${req.method} ${path}: the sim server serves POST /v1/messages and POST /v1/chat/completions.`,
        );
      }
      const body = parseJson(await readBody(req));
      log?.debug({ requestId, path, body }, 'sim request');
      const seed = seedFrom(req.headers[seedHeader]);
      const header = headerValue(req.headers[instanceHeader]);
      const turn = wire === 'anthropic' ? anthropicTurn(body, header, seed) : openaiTurn(body, header, seed);

      const key = [wire, turn.instanceId, turn.seed, turn.summary.step];
      const attemptKey = [...key, turn.summary.formatErrors].join('\u0000');
      const attempt = attempts.get(attemptKey) ?? 0;
      attempts.set(attemptKey, attempt + 1);
      const draw = drawFaults(faults, key, attempt, turn.summary.formatErrors);
      const where = { requestId, instance: turn.instanceId, seed: turn.seed, step: turn.summary.step, attempt };
      if (draw.slow && faults.slowMs > 0) await sleep(faults.slowMs);
      if (draw.http === 'rate_limit') {
        log?.info({ ...where, fault: '429' }, 'sim fault injected');
        fail(429, 'Simulated rate limit: retry after the given delay.', retryAfter);
        return;
      }
      if (draw.http === 'server_error') {
        log?.info({ ...where, fault: '500' }, 'sim fault injected');
        fail(500, 'Simulated internal server error.', retryAfter);
        return;
      }
      if (draw.http === 'overloaded') {
        // Anthropic's overloaded status is 529; OpenAI-style servers answer 503.
        const status = wire === 'anthropic' ? 529 : 503;
        log?.info({ ...where, fault: String(status) }, 'sim fault injected');
        fail(status, 'Simulated overload: the server is busy, retry after the given delay.', retryAfter);
        return;
      }
      if (draw.http === 'unauthorized') {
        log?.info({ ...where, fault: '401' }, 'sim fault injected');
        fail(401, 'Simulated rejection: invalid API key.');
        return;
      }
      const reply = turn.render(draw.flaw);
      const payload = JSON.stringify(reply);
      if (draw.http === 'truncated') {
        log?.info({ ...where, fault: 'truncated' }, 'sim fault injected');
        sendTruncated(res, payload, idHeaders);
        return;
      }
      attempts.delete(attemptKey);
      if (draw.flaw)
        log?.info(
          { ...where, fault: draw.flaw === 'malformed' ? 'malformed_tool_call' : 'unknown_tool' },
          'sim fault injected',
        );
      log?.debug({ ...where, usage: reply.usage ?? null }, 'sim turn');
      sendJson(res, 200, payload, idHeaders);
    } catch (err) {
      if (err instanceof HttpError) fail(err.status, err.message, {}, err.code, err.body);
      else throw err;
    }
  }

  interface PreparedTurn {
    instanceId: string;
    seed: number;
    summary: ConversationSummary;
    render(flaw: Flaw | undefined): Record<string, unknown>;
  }

  function prepare(
    summarized: ConversationSummary | string,
    header: string | undefined,
    seed: number,
    wire: Wire,
    model: string,
  ) {
    if (typeof summarized === 'string') throw new HttpError(400, summarized);
    const summary = summarized;
    const promptTokens = estimateTokens(summary.inputChars);
    if (promptTokens > contextWindow) {
      const llamaStatus = quirks.llamaCppOverflow ? 400 : quirks.llamaCppOverflow500 ? 500 : undefined;
      if (wire === 'openai' && llamaStatus !== undefined) {
        throw new HttpError(
          llamaStatus,
          'the request exceeds the available context size',
          undefined,
          llamaCppOverflowError(llamaStatus, promptTokens, contextWindow),
        );
      }
      throw wire === 'anthropic'
        ? new HttpError(400, `prompt is too long: ${promptTokens} tokens > ${contextWindow} maximum`)
        : new HttpError(
            400,
            `This model's maximum context length is ${contextWindow} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
            'context_length_exceeded',
          );
    }
    const resolved = registry.resolve(header, summary.firstUserText);
    if (!('spec' in resolved)) throw new HttpError(resolved.status, resolved.message);
    const { spec } = resolved;
    const plan = planUnroll(shiftDrift(spec, options.shift), seed);
    const action = nextAction(plan, summary.step);
    const next = quirks.parallelToolCalls ? nextAction(plan, summary.step + 1) : undefined;
    // Every id of a turn derives from where it stands in the conversation, so a later request can check them.
    const hashAt = (step: number, formatErrors: number): string =>
      stableId(wire, spec.instanceId, seed, step, formatErrors, model);
    return {
      spec,
      hash: hashAt(summary.step, summary.formatErrors),
      hashAt,
      summary,
      turn: (flaw: Flaw | undefined) =>
        toSimTurn(action, summary.toolNames, flaw, reasoningText(spec.instanceId, summary.step, action.thought), next),
    };
  }

  function anthropicTurn(body: unknown, header: string | undefined, headerSeed: number | undefined): PreparedTurn {
    const req = validate(anthropicRequestSchema, body);
    if (req.stream)
      throw new HttpError(400, 'Streaming is not supported by the hotmess sim server: send `stream: false`.');

    const seed = headerSeed ?? 0;
    const { spec, hash, hashAt, summary, turn } = prepare(
      summarizeAnthropic(req),
      header,
      seed,
      'anthropic',
      req.model,
    );
    const replayError = thinkingReplayError(req, (step, formatErrors) => `sig_sim_${hashAt(step, formatErrors)}`);
    if (replayError !== undefined) throw new HttpError(400, replayError);
    return {
      instanceId: spec.instanceId,
      seed,
      summary,
      render: (flaw) =>
        renderAnthropic(req, turn(flaw), {
          message: `msg_sim_${hash}`,
          toolCall: `toolu_sim_${hash}`,
          signature: `sig_sim_${hash}`,
        }),
    };
  }

  function openaiTurn(body: unknown, header: string | undefined, headerSeed: number | undefined): PreparedTurn {
    const req = validate(openaiRequestSchema, body);
    if (req.stream)
      throw new HttpError(400, 'Streaming is not supported by the hotmess sim server: send `stream: false`.');

    const seed = headerSeed ?? req.seed ?? 0;
    const { spec, hash, summary, turn } = prepare(summarizeOpenAI(req), header, seed, 'openai', req.model);
    return {
      instanceId: spec.instanceId,
      seed,
      summary,
      render: (flaw) =>
        renderOpenAI(
          req,
          turn(flaw),
          summary,
          { message: `chatcmpl-sim${hash}`, toolCall: `call_sim_${hash}` },
          Math.floor(Date.now() / 1000),
          quirks,
        ),
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (options.unref) server.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log?.info(
    { url, instances: registry.size, quirks: Object.keys(quirks).filter((q) => quirks[q as keyof Quirks]) },
    'sim server listening',
  );
  return {
    url,
    port: address.port,
    addInstances: (instances) => registry.add(instances),
    hasInstance: (id) => registry.get(id) !== undefined,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function validate<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  throw new HttpError(400, `${field}${issue?.message ?? 'invalid request body'}`);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function seedFrom(value: string | string[] | undefined): number | undefined {
  const text = headerValue(value);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new HttpError(400, `${seedHeader} must be an integer, got "${text}".`);
  return Number(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, `The request body is not valid JSON: ${errorMessage(err)}.`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new HttpError(413, `The request body is larger than ${maxBodyBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Announces the whole body, sends half of it and drops the connection, like a proxy dying mid-response. */
function sendTruncated(res: ServerResponse, text: string, headers: Record<string, string>): void {
  const bytes = Buffer.from(text);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes.length), ...headers });
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}
