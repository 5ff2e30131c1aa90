/**
 * Every failure a user can cause or meet is a HotmessError: a stable `code` for scripts and tests,
 * a one-sentence message for humans, and the process exit code the CLI maps it to.
 */
export class HotmessError extends Error {
  readonly code: string;
  readonly exitCode: number;
  /**
   * The failure is the infrastructure's (the engine, a sandbox, a model API), not the agent's and not a bug:
   * an unroll that meets it is retried and, if it persists, recorded apart (see infra-failure.ts).
   */
  readonly infrastructure: boolean;

  constructor(
    code: string,
    message: string,
    options?: { cause?: unknown; exitCode?: number; infrastructure?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options?.exitCode ?? 1;
    this.infrastructure = options?.infrastructure ?? false;
  }
}

/** Bad flags or arguments: exit code 2, like most CLIs. */
export class UsageError extends HotmessError {
  constructor(message: string) {
    super('usage', message, { exitCode: 2 });
  }
}

/** No Docker engine reachable, or it refused what we asked. */
export class DockerUnavailableError extends HotmessError {
  constructor(message: string, cause?: unknown) {
    super('docker_unavailable', message, { cause, exitCode: 3, infrastructure: true });
  }
}

export class ImageBuildError extends HotmessError {
  constructor(
    message: string,
    readonly step: string | undefined,
    readonly logTail: string,
    cause?: unknown,
  ) {
    super('image_build_failed', message, { cause, exitCode: 4, infrastructure: true });
  }
}

/** The sandbox failed (its container or the engine); `bad_command` alone is the caller's mistake. */
export class SandboxError extends HotmessError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause, exitCode: 5, infrastructure: code !== 'bad_command' });
  }
}

/** Bad data in a file the user gave us; carries where it is so they can fix it. */
export class InputError extends HotmessError {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    cause?: unknown,
  ) {
    super('bad_input', message, { cause, exitCode: 2 });
  }
}

/**
 * An error hotmess did not expect: a bug, never data. It stops the run (exit 70, as sysexits' EX_SOFTWARE);
 * the message says where the log with the stack trace is.
 */
export class InternalError extends HotmessError {
  constructor(message: string, cause: unknown) {
    super('internal_error', message, { cause, exitCode: 70 });
    if (cause instanceof Error && cause.stack) this.stack = cause.stack;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
