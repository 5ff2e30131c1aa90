import { HotmessError } from '../errors.ts';

/** A run directory that cannot be created, read or written (missing, not a run, disk error). */
export class RunStoreError extends HotmessError {
  constructor(
    message: string,
    readonly file?: string,
    cause?: unknown,
  ) {
    super('run_store', message, { cause, exitCode: 1 });
  }
}
