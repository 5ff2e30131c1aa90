import { HotmessError } from '../errors.ts';

/**
 * A model call that failed after the SDK's own retries. `retryable` says whether trying the whole turn again
 * later might succeed (rate limits, server errors, cut connections); `status` is the HTTP status if one came back.
 */
export class ModelError extends HotmessError {
  readonly retryable: boolean;
  readonly status: number | undefined;
  /**
   * Every further call would fail the same way (a rejected key, no access, an unknown model or endpoint): the
   * run stops at once rather than failing each of its unrolls.
   */
  readonly fatal: boolean;

  constructor(
    message: string,
    options: { retryable: boolean; status?: number; cause?: unknown; code?: string; fatal?: boolean },
  ) {
    super(options.code ?? 'model_error', message, { cause: options.cause, exitCode: 6, infrastructure: true });
    this.retryable = options.retryable;
    this.status = options.status;
    this.fatal = options.fatal ?? false;
  }
}

/** A model failure that dooms the whole run, not only the unroll that met it. */
export function isRunFatal(err: unknown): err is ModelError {
  return err instanceof ModelError && err.fatal;
}

/** The conversation no longer fits the model's context window: the unroll stops with `context_overflow`. */
export class ContextOverflowError extends ModelError {
  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { ...options, retryable: false, code: 'context_overflow' });
  }
}

/** The environment variable holding a provider's API key is not set. */
export class MissingApiKeyError extends HotmessError {
  constructor(
    readonly variable: string,
    modelName: string,
  ) {
    super('missing_api_key', `${variable} is not set: export it to use ${modelName}.`, { exitCode: 2 });
  }
}
