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
    const err = OpenAI.APIError.generate(401, { error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error' } }, undefined, new Headers());
    const mapped = toModelError(err, context);
    expect(mapped.message).toBe('openai:o4-mini failed with HTTP 401: Incorrect API key provided: [redacted].');
    expect(mapped.retryable).toBe(false);
    expect(mapped.status).toBe(401);
    expect(redact(`a ${key} b ${key}`, [key])).toBe('a [redacted] b [redacted]');
  });

  it('recognises context overflow from either provider', () => {
    const anthropic = Anthropic.APIError.generate(400, { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } }, undefined, new Headers());
    const openai = OpenAI.APIError.generate(400, { error: { message: "This model's maximum context length is 128000 tokens.", code: 'context_length_exceeded' } }, undefined, new Headers());
    for (const err of [anthropic, openai]) {
      const mapped = toModelError(err, context);
      expect(mapped).toBeInstanceOf(ContextOverflowError);
      expect(mapped.code).toBe('context_overflow');
      expect(mapped.retryable).toBe(false);
    }
  });

  it('marks rate limits, overload and server errors retryable', () => {
    for (const status of [408, 429, 500, 529]) {
      const mapped = toModelError(Anthropic.APIError.generate(status, { type: 'error', error: { type: 'x', message: 'busy' } }, undefined, new Headers()), context);
      expect(mapped.retryable).toBe(true);
      expect(mapped.message).toBe(`openai:o4-mini failed with HTTP ${status} after 5 attempts: busy.`);
    }
    expect(toModelError(new SyntaxError('Unexpected end of JSON input'), context)).toMatchObject({ retryable: false, message: 'openai:o4-mini failed: Unexpected end of JSON input.' });
    const own = new ModelError('x', { retryable: true });
    expect(toModelError(own, context)).toBe(own);
  });
});
