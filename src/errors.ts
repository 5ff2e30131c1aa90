/**
 * Every failure a user can cause or meet is a HotmessError: a stable `code` for scripts and tests,
 * a one-sentence message for humans, and the process exit code the CLI maps it to.
 */
export class HotmessError extends Error {
  readonly code: string;
  readonly exitCode: number;

  constructor(code: string, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options?.exitCode ?? 1;
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
    super('docker_unavailable', message, { cause, exitCode: 3 });
  }
}

export class ImageBuildError extends HotmessError {
  constructor(
    message: string,
    readonly step: string | undefined,
    readonly logTail: string,
    cause?: unknown,
  ) {
    super('image_build_failed', message, { cause, exitCode: 4 });
  }
}

export class SandboxError extends HotmessError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause, exitCode: 5 });
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

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
