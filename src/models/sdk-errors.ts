import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { errorMessage } from '../errors.ts';
import { ContextOverflowError, ModelError } from './errors.ts';
import { redact } from './keys.ts';

const overflowPattern =
  /prompt is too long|context[ _-]?length|maximum context|context window|too many tokens|reduce the length|exceed context limit|exceeds the available context size/i;
/** llama.cpp's server: sent with 400, or 500 by older builds. */
const llamaOverflowType = 'exceed_context_size_error';
const llamaOverflowText = /exceeds the available context size/i;

/** Answers that no retry and no other conversation can change. */
const fatalStatuses = new Map([
  [401, 'the API key was rejected'],
  [403, 'the key has no access to this model'],
  [404, 'no such model or endpoint'],
]);

/**
 * Turns an error of an SDK (its own error classes, after its own retries) into a ModelError with a one-sentence
 * message. Context overflow becomes ContextOverflowError. Messages pass through `redact` so that no key can
 * leak. Anything else is returned as it is: an error in hotmess's own code is a bug, not a model failure.
 */
type SdkError = InstanceType<typeof Anthropic.AnthropicError> | InstanceType<typeof OpenAI.OpenAIError>;
type ErrorContext = { name: string; attempts: number; secrets: readonly string[] };

export function toModelError(err: ModelError | SdkError, context: ErrorContext): ModelError;
export function toModelError(err: unknown, context: ErrorContext): unknown;
export function toModelError(err: unknown, context: ErrorContext): unknown {
  if (err instanceof ModelError) return err;
  if (!(err instanceof Anthropic.AnthropicError || err instanceof OpenAI.OpenAIError)) return err;
  const clean = (text: string): string => redact(text, context.secrets).replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  if (err instanceof Anthropic.APIConnectionTimeoutError || err instanceof OpenAI.APIConnectionTimeoutError) {
    return new ModelError(`${context.name} did not answer in time (${context.attempts} attempts).`, {
      retryable: true,
      cause: err,
    });
  }
  if (err instanceof Anthropic.APIConnectionError || err instanceof OpenAI.APIConnectionError) {
    const cause = err.cause === undefined ? '' : `: ${clean(errorMessage(err.cause))}`;
    return new ModelError(
      `${context.name} could not be reached or cut the connection (${context.attempts} attempts)${cause}.`,
      { retryable: true, cause: err },
    );
  }
  if (err instanceof Anthropic.APIError || err instanceof OpenAI.APIError) {
    const status = typeof err.status === 'number' ? err.status : undefined;
    const detail = clean(apiMessage(err));
    if (isOverflow(err, status, detail)) {
      return new ContextOverflowError(
        `${context.name} rejected the conversation as too long for its context window: ${detail}.`,
        { status, cause: err },
      );
    }
    const retryable = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
    const tries = retryable ? ` after ${context.attempts} attempts` : '';
    const fatal = status !== undefined && fatalStatuses.has(status);
    const what = fatal ? ` (${fatalStatuses.get(status as number)})` : '';
    return new ModelError(`${context.name} failed with HTTP ${status ?? '?'}${what}${tries}: ${detail}.`, {
      retryable,
      fatal,
      ...(status === undefined ? {} : { status }),
      cause: err,
    });
  }
  return new ModelError(`${context.name} failed: ${clean(errorMessage(err))}.`, { retryable: false, cause: err });
}

function isOverflow(
  err: InstanceType<typeof Anthropic.APIError> | InstanceType<typeof OpenAI.APIError>,
  status: number | undefined,
  detail: string,
): boolean {
  const code = err instanceof OpenAI.APIError ? err.code : undefined;
  if (status === 400 || status === 413)
    return code === 'context_length_exceeded' || err.type === llamaOverflowType || overflowPattern.test(detail);
  // A 500 is taken for overflow only with llama.cpp's own signature: other server errors mention tokens too.
  return status === 500 && (err.type === llamaOverflowType || llamaOverflowText.test(detail));
}

/** The provider's own error text when the body has one, else the SDK's summary. */
function apiMessage(err: InstanceType<typeof Anthropic.APIError> | InstanceType<typeof OpenAI.APIError>): string {
  const body = err.error as { error?: { message?: unknown }; message?: unknown } | undefined;
  const inner = body?.error?.message ?? body?.message;
  return typeof inner === 'string' && inner ? inner : err.message;
}
