import { HotmessError, errorMessage } from '../errors.ts';

/**
 * Grading could not finish for a reason that is not the patch's: the engine, the sandbox or an image build
 * failed. Callers retry it or record an infrastructure failure; it never counts as failed tests.
 */
export class GradingInfraError extends HotmessError {
  constructor(
    readonly instanceId: string,
    cause: unknown,
  ) {
    super('grading_infra', `Grading ${instanceId} failed for a reason outside the patch: ${errorMessage(cause)}`, {
      cause,
      exitCode: 5,
      infrastructure: true,
    });
  }
}
