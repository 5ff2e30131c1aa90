import { coloursFor } from '../colour.ts';
import type { UnrollRecord } from '../store/unroll-record.ts';

export interface ProgressState {
  total: number;
  done: number;
  resolved: number;
  infraErrors: number;
  actions: number;
  costUsd: number;
  running: number;
  startedAt: number;
  /** Unrolls already done when this process started (a resumed run): not part of the rate. */
  doneAtStart: number;
  /** Their actions: not part of the actions per second. */
  actionsAtStart: number;
}

/** The progress of a whole run: the unrolls earlier sessions finished (a resumed run) count as done. */
export function newProgress(total: number, finished: readonly UnrollRecord[] = []): ProgressState {
  const state: ProgressState = {
    total,
    done: 0,
    resolved: 0,
    infraErrors: 0,
    actions: 0,
    costUsd: 0,
    running: 0,
    startedAt: Date.now(),
    doneAtStart: 0,
    actionsAtStart: 0,
  };
  for (const record of finished) recordDone(state, record);
  state.doneAtStart = state.done;
  state.actionsAtStart = state.actions;
  return state;
}

export function recordDone(state: ProgressState, record: UnrollRecord): void {
  state.done += 1;
  state.running = Math.max(0, state.running - 1);
  if (record.infra_error !== null) state.infraErrors += 1;
  else if (record.resolution === 'FULL') state.resolved += 1;
  state.actions += record.actions;
  state.costUsd += record.cost_usd;
}

/** One line: done/total and resolved so far (the whole run), ETA and actions per second (this session), cost. */
export function progressLine(state: ProgressState, now = Date.now()): string {
  const elapsed = Math.max(1, now - state.startedAt) / 1000;
  const finishedHere = state.done - state.doneAtStart;
  const rate = finishedHere / elapsed;
  const left = state.total - state.done;
  const eta = rate > 0 ? formatDuration(left / rate) : '…';
  const pct = state.total > 0 ? Math.floor((100 * state.done) / state.total) : 100;
  const graded = state.done - state.infraErrors;
  const resolved =
    graded > 0
      ? `${state.resolved}/${graded} resolved (${Math.round((100 * state.resolved) / graded)}%)`
      : '0 resolved';
  const parts = [
    `${state.done}/${state.total} unrolls (${pct}%)`,
    resolved,
    `${state.running} running`,
    `ETA ${left === 0 ? '0s' : eta}`,
    `${((state.actions - state.actionsAtStart) / elapsed).toFixed(1)} actions/s`,
    `$${state.costUsd.toFixed(2)}`,
  ];
  if (state.infraErrors > 0) parts.push(`${state.infraErrors} infra errors`);
  return parts.join(' · ');
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '…';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Live progress: on a TTY one line redrawn in place; elsewhere (CI, nohup, a file) a plain line at most
 * every `intervalMs`, so logs stay readable.
 */
export class ProgressReporter {
  private timer: NodeJS.Timeout | undefined;
  private lastPrinted = 0;

  constructor(
    private readonly state: ProgressState,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = 30_000,
  ) {}

  start(): void {
    if (this.out.isTTY) {
      this.timer = setInterval(() => this.draw(), 250);
      this.timer.unref();
    }
  }

  /** A line that must stay (an image built, a warning), above the live line. */
  note(text: string): void {
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${text}\n`);
    else this.out.write(`${text}\n`);
    this.draw();
  }

  update(): void {
    if (this.out.isTTY) return this.draw();
    const now = Date.now();
    if (now - this.lastPrinted >= this.intervalMs || this.state.done === this.state.total) {
      this.lastPrinted = now;
      this.out.write(`[${new Date(now).toISOString().slice(11, 19)}] ${progressLine(this.state, now)}\n`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${progressLine(this.state)}\n`);
  }

  private draw(): void {
    if (!this.out.isTTY) return;
    const line = progressLine(this.state);
    const width = this.out.columns || 120;
    this.out.write(`\r\x1b[2K${coloursFor(this.out).cyan(line.length > width - 1 ? line.slice(0, width - 1) : line)}`);
  }
}
