import { ContextOverflowError, isRunFatal } from '../models/errors.ts';
import type { ChatMessage, Model, ModelTurn, ToolCall } from '../models/types.ts';
import { SandboxError, errorMessage } from '../errors.ts';
import { isInfrastructureFailure } from '../infra-failure.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { AgentLimits } from './limits.ts';
import { editedNote, formatObservation } from './observation.ts';
import { AgentStop, FormatErrorStop, InfraStop, LimitReached, Submitted, UserStop } from './stops.ts';
import { BASH_TOOL, SUBMIT_TOOL, agentTools } from './tools.ts';
import type { ToolCallRecord, Trajectory, TrajectoryStep, UnrollStats } from './trajectory.ts';

export interface AgentTask {
  instanceId: string;
  unroll: number;
  seed: number;
  /** Rendered prompts. */
  system: string;
  user: string;
  baseCommit: string;
  /** Paths left out of the final patch (the test files the grader will put in place). */
  excludeFromPatch: string[];
}

/** Live view of an unroll, for terminals and logs. Never needed for correctness. */
export interface AgentObserver {
  onTurn?(step: TrajectoryStep, message: ChatMessage): void;
  onAction?(call: ToolCall, observation: string, record: ToolCallRecord): void;
  /**
   * Asked before each bash command runs (`run-one --step`): the command to run (the proposed one, or a person's
   * edit of it, recorded as edited), or a stop. Left out, every command runs as proposed.
   */
  beforeAction?(command: string, sandbox: Sandbox): Promise<ActionChoice>;
}

/** What `beforeAction` decides: run this command, or stop the unroll (`grade`: graded as usual; `quit`: kept ungraded). */
export type ActionChoice = { run: string } | { stop: 'grade' | 'quit' };

const formatReminder =
  'Your last reply had no tool call. Reply with exactly one tool call: `bash` with a command to run, or `submit` when you are done.';

/**
 * A plain ReAct loop: ask the model, run its tool calls in the sandbox, append the observations, until it
 * submits or a limit stops it. Every way of stopping is an AgentStop thrown where it is detected and caught
 * here, in one place; a failure of the model or the sandbox becomes one only when it is recognised as the
 * infrastructure's (infra-failure.ts). The message list is the trajectory.
 */
export class Agent {
  private readonly messages: (ChatMessage & { at?: string })[] = [];
  private readonly steps: TrajectoryStep[] = [];
  private readonly stats: UnrollStats = {
    actions: 0,
    turns: 0,
    messages: 0,
    formatErrors: 0,
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    costUsd: 0,
    wallMs: 0,
  };
  private consecutiveFormatErrors = 0;
  private started = 0;

  constructor(
    private readonly model: Model,
    private readonly sandbox: Sandbox,
    private readonly limits: AgentLimits,
    private readonly observer: AgentObserver = {},
  ) {}

  async run(task: AgentTask): Promise<Trajectory> {
    this.started = performance.now();
    const startedAt = new Date().toISOString();
    this.push({ role: 'system', content: task.system });
    this.push({ role: 'user', content: task.user });
    let stop: AgentStop;
    try {
      for (;;) await this.step(task);
    } catch (err) {
      // Only the ways an unroll ends stop here. Anything else goes up: a model failure that dooms the run, or an
      // error nobody expected (a bug, never an infrastructure failure).
      if (!(err instanceof AgentStop)) throw err;
      stop = err;
    }
    let patch = '';
    if (stop.reason !== 'sandbox_error') {
      try {
        patch = await this.sandbox.diff(task.baseCommit, { excludePaths: task.excludeFromPatch });
      } catch (err) {
        if (!isInfrastructureFailure(err)) throw err;
        stop = new InfraStop('sandbox_error', `taking the final diff failed: ${errorMessage(err)}`, err);
      }
    }
    this.stats.wallMs = performance.now() - this.started;
    this.stats.messages = this.messages.length;
    return {
      instanceId: task.instanceId,
      unroll: task.unroll,
      seed: task.seed,
      model: this.model.name,
      simulated: this.model.simulated,
      startedAt,
      finishedAt: new Date().toISOString(),
      stopReason: stop.reason,
      stopDetail: stop.detail,
      ...(stop instanceof UserStop && stop.quit ? { quit: true } : {}),
      stats: { ...this.stats },
      limits: { ...this.limits },
      messages: this.messages,
      steps: this.steps,
      patch,
    };
  }

  private async step(task: AgentTask): Promise<void> {
    this.checkBudget();
    const turn = await this.ask(task);
    if (turn.toolCalls.length === 0) {
      this.consecutiveFormatErrors += 1;
      this.stats.formatErrors += 1;
      if (this.consecutiveFormatErrors >= this.limits.maxFormatErrors) {
        throw new FormatErrorStop(
          `${this.consecutiveFormatErrors} turns in a row without a tool call (last stop reason: ${turn.stopReason})`,
        );
      }
      this.push({ role: 'user', content: formatReminder });
      return;
    }
    let usable = false;
    for (const call of turn.toolCalls) usable = (await this.handle(call)) || usable;
    if (usable) this.consecutiveFormatErrors = 0;
    else {
      this.consecutiveFormatErrors += 1;
      if (this.consecutiveFormatErrors >= this.limits.maxFormatErrors) {
        throw new FormatErrorStop(`${this.consecutiveFormatErrors} turns in a row without a usable tool call`);
      }
    }
  }

  private async ask(task: AgentTask): Promise<ModelTurn> {
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    const signal = AbortSignal.timeout(Math.max(1, Math.floor(this.remainingMs())));
    let turn: ModelTurn;
    try {
      turn = await this.model.turn(this.messages, agentTools, { seed: task.seed, instanceId: task.instanceId, signal });
    } catch (err) {
      if (err instanceof ContextOverflowError) throw new LimitReached('context_overflow', err.message);
      if (signal.aborted)
        throw new LimitReached(
          'time_limit',
          `the wall-clock limit of ${this.limits.maxWallMs / 1000} s ran out during a model call`,
        );
      if (isRunFatal(err) || !isInfrastructureFailure(err)) throw err;
      throw new InfraStop('model_error', errorMessage(err), err);
    }
    if (turn.stopReason === 'context_overflow')
      throw new LimitReached('context_overflow', 'the model reported that its context window is full');
    this.stats.turns += 1;
    // Every prompt token the model read, from its cache or not (the split and its prices are in each turn's usage).
    this.stats.inputTokens += turn.usage.inputTokens + turn.usage.cacheReadTokens + turn.usage.cacheWriteTokens;
    this.stats.outputTokens += turn.usage.outputTokens;
    this.stats.reasoningTokens += turn.usage.reasoningTokens;
    this.stats.costUsd += turn.costUsd;
    this.push(turn.message);
    const step: TrajectoryStep = {
      turn: this.stats.turns,
      startedAt,
      modelMs: performance.now() - t0,
      usage: turn.usage,
      costUsd: turn.costUsd,
      stopReason: turn.stopReason,
      toolCalls: [],
    };
    this.steps.push(step);
    this.observer.onTurn?.(step, turn.message);
    return turn;
  }

  /** Runs or answers one tool call; true when it was a well-formed call of a known tool. */
  private async handle(call: ToolCall): Promise<boolean> {
    // Each call's answer is a message: a turn with several calls must not overshoot the limit.
    if (this.messages.length + 1 > this.limits.maxMessages) throw this.messageLimit();
    const step = this.steps[this.steps.length - 1] as TrajectoryStep;
    const record: ToolCallRecord = { id: call.id, name: call.name, arguments: call.arguments };
    step.toolCalls.push(record);
    const reject = (why: string) => {
      record.rejected = why;
      this.stats.formatErrors += 1;
      this.answer(call, `Error: ${why}`, true, record);
      return false;
    };
    if (call.name !== BASH_TOOL && call.name !== SUBMIT_TOOL)
      return reject(`there is no tool named "${call.name}"; use bash or submit`);
    if (call.parseError !== undefined)
      return reject(`the arguments of your ${call.name} call could not be used: ${call.parseError}`);
    if (this.limits.maxActions > 0 && this.stats.actions >= this.limits.maxActions) {
      throw new LimitReached('action_limit', `the limit of ${this.limits.maxActions} actions was reached`);
    }
    this.stats.actions += 1;
    if (call.name === SUBMIT_TOOL) {
      this.answer(call, 'Submitted.', false, record);
      throw new Submitted();
    }
    const command = typeof call.arguments === 'object' ? call.arguments.command : undefined;
    if (typeof command !== 'string' || command.trim() === '') {
      this.stats.actions -= 1;
      return reject('bash needs a non-empty "command" string');
    }
    const choice = await this.observer.beforeAction?.(command, this.sandbox);
    if (choice && 'stop' in choice) {
      this.stats.actions -= 1;
      step.toolCalls.pop();
      throw new UserStop(choice.stop === 'quit');
    }
    const run = choice?.run ?? command;
    if (run !== command) {
      record.arguments = { ...(call.arguments as Record<string, unknown>), command: run };
      record.edited = { original: command };
    }
    const timeoutMs = Math.max(1000, Math.floor(Math.min(this.limits.commandTimeoutMs, this.remainingMs())));
    let result;
    try {
      result = await this.sandbox.exec(run, { timeoutMs });
    } catch (err) {
      if (err instanceof SandboxError && err.code === 'bad_command') return reject(err.message);
      if (!isInfrastructureFailure(err)) throw err;
      throw new InfraStop('sandbox_error', `the sandbox failed: ${errorMessage(err)}`, err);
    }
    const observation = formatObservation(result, this.limits.maxObservationChars);
    Object.assign(record, {
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      timedOut: result.timedOut,
      truncated: result.truncated,
      observationCutChars: observation.cutChars,
    });
    // The model is told what ran in place of its command.
    const edited = record.edited ? editedNote(run) : '';
    this.answer(call, `${edited}${observation.text}`, false, record);
    let overDisk: string | null | undefined;
    try {
      overDisk = await this.sandbox.diskOverLimit?.();
    } catch (err) {
      throw new InfraStop('sandbox_error', errorMessage(err), err);
    }
    if (overDisk) throw new LimitReached('disk_limit', overDisk);
    return true;
  }

  private answer(call: ToolCall, content: string, isError: boolean, record: ToolCallRecord): void {
    this.push({ role: 'tool', toolCallId: call.id, name: call.name, content, isError });
    this.observer.onAction?.(call, content, record);
  }

  /** Checked before every model call: the next turn (its reply and an observation) must fit every budget. */
  private checkBudget(): void {
    if (this.messages.length + 2 > this.limits.maxMessages) throw this.messageLimit();
    if (this.limits.maxCostUsd > 0 && this.stats.costUsd >= this.limits.maxCostUsd) {
      throw new LimitReached(
        'cost_limit',
        `the cost limit of $${this.limits.maxCostUsd} was reached ($${this.stats.costUsd.toFixed(4)})`,
      );
    }
    if (this.remainingMs() <= 0)
      throw new LimitReached('time_limit', `the wall-clock limit of ${this.limits.maxWallMs / 1000} s was reached`);
  }

  private messageLimit(): LimitReached {
    return new LimitReached('message_limit', `the limit of ${this.limits.maxMessages} messages was reached`);
  }

  private remainingMs(): number {
    return this.limits.maxWallMs - (performance.now() - this.started);
  }

  private push(message: ChatMessage): void {
    this.messages.push({ ...message, at: new Date().toISOString() });
  }
}
