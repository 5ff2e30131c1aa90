import type { Logger } from 'pino';

export type Fetch = typeof globalThis.fetch;

export interface RetryLogContext {
  readonly provider: string;
}

/**
 * The fetch handed to an SDK. The SDK keeps doing the retrying (backoff with jitter, `retry-after`); this
 * wrapper makes every failed attempt visible in the log, and reads each successful body in full before the SDK
 * sees it, so that a body cut off mid-way (or a 200 whose JSON is incomplete) fails inside fetch, where the SDK
 * treats it as a connection error and retries, instead of surfacing later as a parse exception.
 */
export function loggingFetch(log: Logger, context: RetryLogContext, base: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    const where = {
      ...context,
      endpoint: endpointOf(input),
      attempt: Number(headers.get('x-stainless-retry-count') ?? 0) + 1,
    };
    let res: Response;
    try {
      res = await base(input, init);
    } catch (err) {
      if (!init?.signal?.aborted)
        log.warn({ ...where, error: describe(err) }, 'model request failed without a response');
      throw err;
    }
    const requestId = res.headers.get('request-id') ?? res.headers.get('x-request-id') ?? undefined;
    if (!res.ok) {
      log.warn(
        { ...where, status: res.status, retryAfter: res.headers.get('retry-after') ?? undefined, requestId },
        'model request failed',
      );
      return res;
    }
    if (res.status === 204 || res.status === 304) return res;
    let body: ArrayBuffer;
    try {
      body = await res.arrayBuffer();
    } catch (err) {
      if (init?.signal?.aborted) throw err;
      log.warn({ ...where, status: res.status, requestId, error: describe(err) }, 'model response body was cut off');
      throw new TypeError(`the response body was cut off (${describe(err)})`, { cause: err });
    }
    if (body.byteLength > 0 && isJson(res.headers.get('content-type')) && !parsesAsJson(body)) {
      log.warn(
        { ...where, status: res.status, requestId, bytes: body.byteLength },
        'model response body is not complete JSON',
      );
      throw new TypeError(`the response body is not complete JSON (${body.byteLength} bytes)`);
    }
    const out = new Headers(res.headers);
    // The body is already decoded; these would describe the bytes on the wire, not the ones passed on.
    out.delete('content-encoding');
    out.delete('content-length');
    return new Response(body, { status: res.status, statusText: res.statusText, headers: out });
  };
}

function endpointOf(input: Parameters<Fetch>[0]): string {
  const text = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(text).pathname;
  } catch {
    return '';
  }
}

function isJson(contentType: string | null): boolean {
  const media = contentType?.split(';')[0]?.trim() ?? '';
  return media.includes('application/json') || media.endsWith('+json');
}

function parsesAsJson(body: ArrayBuffer): boolean {
  try {
    JSON.parse(new TextDecoder().decode(body));
    return true;
  } catch {
    return false;
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause =
    err.cause instanceof Error ? `: ${(err.cause as Error & { code?: string }).code ?? err.cause.message}` : '';
  return `${err.message}${cause}`;
}
