import type { AgentObserver } from '../agent/agent.ts';
import { HotmessError } from '../errors.ts';

/** `--max-run-cost` was spent: the run stopped, its finished unrolls kept for `--resume` (exit code 7). */
export class RunCostLimitError extends HotmessError {
  constructor(message: string) {
    super('run_cost_limit', message, { exitCode: 7 });
  }
}

/**
 * The money a whole run may spend (`--max-run-cost`), counted turn by turn as the model is paid, on top of what
 * the run's finished unrolls (of earlier sessions too) already cost. It is crossed once; the caller then starts no
 * more unrolls, and those running finish and are kept.
 */
export class RunBudget {
  private spentUsd: number;
  private crossed = false;

  constructor(
    readonly maxUsd: number,
    spentBeforeUsd: number,
  ) {
    this.spentUsd = spentBeforeUsd;
    this.crossed = spentBeforeUsd >= maxUsd;
  }

  get spent(): number {
    return this.spentUsd;
  }

  get exceeded(): boolean {
    return this.crossed;
  }

  /** Counts one turn's cost; true only for the turn that reaches the limit. */
  add(usd: number): boolean {
    this.spentUsd += usd;
    if (this.crossed || this.spentUsd < this.maxUsd) return false;
    this.crossed = true;
    return true;
  }

  /** Calls `onCrossed` once, when a turn of any unroll reaches the limit. */
  observer(onCrossed: () => void): AgentObserver {
    return {
      onTurn: (step) => {
        if (this.add(step.costUsd)) onCrossed();
      },
    };
  }

  /** The stop, in one sentence: what was spent, what is kept, and how to go on (`resumeFlags`: e.g. the queue). */
  stop(done: number, runDir: string, resumeFlags = ''): RunCostLimitError {
    return new RunCostLimitError(
      `The run's cost limit of $${this.maxUsd} was reached ($${this.spentUsd.toFixed(2)} spent); the ${done} finished unrolls are kept in ${runDir}: to go on, resume with hotmess run --resume ${runDir}${resumeFlags} --max-run-cost <a higher limit>.`,
    );
  }
}

/** One observer that tells each of the given ones. */
export function bothObservers(a: AgentObserver | undefined, b: AgentObserver | undefined): AgentObserver | undefined {
  if (!a || !b) return a ?? b;
  return {
    onTurn: (step, message) => {
      a.onTurn?.(step, message);
      b.onTurn?.(step, message);
    },
    onAction: (call, observation, record) => {
      a.onAction?.(call, observation, record);
      b.onAction?.(call, observation, record);
    },
  };
}
