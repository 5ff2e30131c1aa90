import type { StopReason } from '../store/unroll-record.ts';

/**
 * How an unroll ends, thrown from wherever it is detected and caught in one place (Agent.run): the
 * reason goes into the record, the detail into the trajectory.
 */
export class AgentStop extends Error {
  constructor(
    readonly reason: StopReason,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'AgentStop';
  }
}

export class Submitted extends AgentStop {
  constructor() {
    super('submitted', 'the agent called submit');
  }
}

export class LimitReached extends AgentStop {
  constructor(
    reason: 'action_limit' | 'message_limit' | 'cost_limit' | 'time_limit' | 'context_overflow' | 'disk_limit',
    detail: string,
  ) {
    super(reason, detail);
  }
}

export class FormatErrorStop extends AgentStop {
  constructor(detail: string) {
    super('format_error', detail);
  }
}

/** The model or the sandbox failed: not the agent's doing, so the unroll is retried or set aside. */
export class InfraStop extends AgentStop {
  constructor(
    reason: 'model_error' | 'sandbox_error',
    detail: string,
    readonly failure: unknown,
  ) {
    super(reason, detail);
  }
}

/** A person stopped the unroll under `run-one --step`: to grade it now, or to quit keeping it ungraded. */
export class UserStop extends AgentStop {
  constructor(readonly quit: boolean) {
    super('user_stop', quit ? 'the person stepping through quit' : 'the person stepping through chose to grade now');
  }
}
