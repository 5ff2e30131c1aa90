import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ContextOverflowError, ModelError } from './errors.ts';
import { redact } from './keys.ts';
import { toModelError } from './sdk-errors.ts';

const key = 'sk-proj-abcdefSECRET123';
const context = { name: 'openai:o4-mini', attempts: 5, secrets: [key] };

describe('toModelError', () => {
  it('redacts a key that a server echoed into its error', () => {
    const err = OpenAI.APIError.generate(
      401,
      { error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error' } },
      undefined,
      new Headers(),
    );
    const mapped = toModelError(err, context);
    expect(mapped.message).toBe(
      'openai:o4-mini failed with HTTP 401 (the API key was rejected): Incorrect API key provided: [redacted].',
    );
    expect(mapped.retryable).toBe(false);
    expect(mapped.status).toBe(401);
    expect(mapped.fatal).toBe(true);
    expect(redact(`a ${key} b ${key}`, [key])).toBe('a [redacted] b [redacted]');
  });

  it('stops the run only on answers no retry or other conversation can change', () => {
    const fatal = (status: number) =>
      toModelError(OpenAI.APIError.generate(status, { error: { message: 'no' } }, undefined, new Headers()), context)
        .fatal;
    expect([401, 403, 404].map(fatal)).toEqual([true, true, true]);
    expect([400, 408, 429, 500, 503].map(fatal)).toEqual([false, false, false, false, false]);
  });

  it('recognises context overflow from either provider', () => {
    const anthropic = Anthropic.APIError.generate(
      400,
      {
        type: 'error',
        error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' },
      },
      undefined,
      new Headers(),
    );
    const openai = OpenAI.APIError.generate(
      400,
      { error: { message: "This model's maximum context length is 128000 tokens.", code: 'context_length_exceeded' } },
      undefined,
      new Headers(),
    );
    for (const err of [anthropic, openai]) {
      const mapped = toModelError(err, context);
      expect(mapped).toBeInstanceOf(ContextOverflowError);
      expect(mapped.code).toBe('context_overflow');
      expect(mapped.retryable).toBe(false);
    }
  });

  it('recognises llama.cpp, Anthropic max_tokens and context_length_exceeded overflows, and no other 500', () => {
    const llama = (status: number, type: string) =>
      OpenAI.APIError.generate(
        status,
        {
          error: {
            code: status,
            message: 'the request exceeds the available context size, try increasing it',
            type,
            n_prompt_tokens: 9000,
            n_ctx: 8192,
          },
        },
        undefined,
        new Headers(),
      );
    const overflows = [
      llama(400, 'exceed_context_size_error'),
      llama(500, 'exceed_context_size_error'),
      llama(500, 'server_error'),
      OpenAI.APIError.generate(
        400,
        { error: { code: 400, message: 'Request rejected.', type: 'exceed_context_size_error' } },
        undefined,
        new Headers(),
      ),
      OpenAI.APIError.generate(
        400,
        { error: { message: 'Request rejected.', type: 'invalid_request_error', code: 'context_length_exceeded' } },
        undefined,
        new Headers(),
      ),
      Anthropic.APIError.generate(
        400,
        {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message:
              'input length and `max_tokens` exceed context limit: 188240 + 21333 > 200000, decrease input length or `max_tokens` and try again',
          },
        },
        undefined,
        new Headers(),
      ),
    ];
    for (const err of overflows) {
      const mapped = toModelError(err, context);
      expect(mapped, String(err)).toBeInstanceOf(ContextOverflowError);
      expect(mapped.code).toBe('context_overflow');
      expect(mapped.message).toMatch(/^openai:o4-mini rejected the conversation as too long for its context window: /);
    }
    const busy = OpenAI.APIError.generate(
      500,
      { error: { message: 'too many tokens in the batch queue', type: 'server_error' } },
      undefined,
      new Headers(),
    );
    expect(toModelError(busy, context)).not.toBeInstanceOf(ContextOverflowError);
    expect(toModelError(busy, context).retryable).toBe(true);
  });

  it('marks rate limits, overload and server errors retryable', () => {
    for (const status of [408, 429, 500, 529]) {
      const mapped = toModelError(
        Anthropic.APIError.generate(
          status,
          { type: 'error', error: { type: 'x', message: 'busy' } },
          undefined,
          new Headers(),
        ),
        context,
      );
      expect(mapped.retryable).toBe(true);
      expect(mapped.message).toBe(`openai:o4-mini failed with HTTP ${status} after 5 attempts: busy.`);
    }
    expect(toModelError(new OpenAI.OpenAIError('Unexpected end of JSON input'), context)).toMatchObject({
      retryable: false,
      message: 'openai:o4-mini failed: Unexpected end of JSON input.',
    });
    // An error that is not the SDK's is hotmess's own: a bug, passed on as it is rather than made a model failure.
    const bug = new TypeError("Cannot read properties of undefined (reading 'content')");
    expect(toModelError(bug, context)).toBe(bug);
    const own = new ModelError('x', { retryable: true });
    expect(toModelError(own, context)).toBe(own);
  });
});
