import type { ChatMessage, Usage } from '../models/types.ts';
import type { StopReason } from '../store/unroll-record.ts';

/** What happened to one tool call. */
export interface ToolCallRecord {
  id: string;
  name: string;
  arguments: Record<string, unknown> | string;
  /** Set for calls answered with an error instead of being executed (bad arguments, unknown tool). */
  rejected?: string;
  exitCode?: number | null;
  durationMs?: number;
  timedOut?: boolean;
  /** The sandbox dropped output past its cap. */
  truncated?: boolean;
  /** Characters the observation's middle cut removed (maxObservationChars); 0 when it fitted. */
  observationCutChars?: number;
  /** A person replaced the proposed command under `run-one --step`; `arguments` hold what ran. */
  edited?: { original: string };
}

/** One assistant turn and what followed it. */
export interface TrajectoryStep {
  turn: number;
  startedAt: string;
  modelMs: number;
  usage: Usage;
  costUsd: number;
  stopReason: string;
  toolCalls: ToolCallRecord[];
}

export interface UnrollStats {
  actions: number;
  turns: number;
  messages: number;
  formatErrors: number;
  /** Prompt tokens of all turns, cached or not. */
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  wallMs: number;
}

/** The whole unroll as written to trajectories/<instance>/<unroll>.json: the message list is the trajectory. */
export interface Trajectory {
  instanceId: string;
  unroll: number;
  seed: number;
  model: string;
  simulated: boolean;
  startedAt: string;
  finishedAt: string;
  stopReason: StopReason;
  stopDetail: string;
  /** A person quit under `run-one --step`: the trajectory is kept, and not graded. */
  quit?: true;
  stats: UnrollStats;
  limits: Record<string, number>;
  messages: (ChatMessage & { at?: string })[];
  steps: TrajectoryStep[];
  patch: string;
}
