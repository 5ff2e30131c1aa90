import type Docker from 'dockerode';
import type { PulledImages, PulledRecord } from './pulled-state.ts';

/** What the budget did with one image: the run records each event (images.jsonl). */
export interface BudgetEvent {
  event: 'removed' | 'kept';
  image: string;
  id: string;
  bytes: number;
  instance_ids: string[];
  reason?: string;
}

interface Tracked {
  record: PulledRecord;
  /** Tasks of this run using the image that still have unrolls to finish. */
  busy: Set<string>;
  tasks: Set<string>;
  lastUsed: number;
}

/**
 * `--max-image-disk`: the images hotmess itself pulled that this run uses, with their sizes. An image whose
 * tasks have all finished (every unroll graded and recorded) may be removed, least recently used first, when
 * the total is over the budget or room is needed for the next pull. Images hotmess did not pull are never
 * counted or touched. Without a budget (undefined) nothing is removed.
 */
export class ImageDiskBudget {
  private readonly tracked = new Map<string, Tracked>();
  private waiters: (() => void)[] = [];
  private inFlight = 0;

  constructor(
    private readonly docker: Docker,
    private readonly pulled: PulledImages,
    readonly budgetBytes: number | undefined,
    private readonly onEvent: (event: BudgetEvent) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** An owned image this run uses for `tasks` (each with unrolls left). */
  track(record: PulledRecord, tasks: readonly string[]): void {
    const existing = this.tracked.get(record.id);
    const entry = existing ?? { record, busy: new Set<string>(), tasks: new Set<string>(), lastUsed: this.now() };
    entry.record = record;
    for (const t of tasks) {
      entry.busy.add(t);
      entry.tasks.add(t);
    }
    this.tracked.set(record.id, entry);
  }

  /** Bytes of the tracked images now on the engine. */
  usage(): number {
    let sum = 0;
    for (const t of this.tracked.values()) sum += t.record.sizeBytes;
    return sum;
  }

  /** A task's last unroll is recorded: its image may go once no other task of the run needs it. */
  async taskFinished(task: string): Promise<void> {
    for (const entry of this.tracked.values()) {
      if (!entry.busy.delete(task)) continue;
      entry.lastUsed = this.now();
      await this.pulled.touch(entry.record, new Date(entry.lastUsed));
    }
    await this.shrinkTo(this.budgetBytes);
    this.wake();
  }

  /**
   * Waits until a pull fits: the tracked images plus the pulls in flight (each guessed at the mean size seen
   * so far) under the budget, removing finished images to make room. With nothing tracked and nothing in
   * flight it always goes, so one image larger than the whole budget still runs. Call pullDone() after.
   */
  async roomForPull(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (this.budgetBytes === undefined || (this.tracked.size === 0 && this.inFlight === 0)) break;
      // Until one image has come, the size of those in flight is unknown: wait for the first.
      if (this.tracked.size > 0) {
        const mean = this.meanSize();
        await this.shrinkTo(this.budgetBytes - mean * (this.inFlight + 1));
        if (this.tracked.size === 0 && this.inFlight === 0) break;
        if (this.usage() + mean * this.inFlight < this.budgetBytes) break;
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    this.inFlight += 1;
  }

  pullDone(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.wake();
  }

  /** At the end of a run: what is over the budget goes, what fits stays for the next run. */
  async settle(): Promise<void> {
    await this.shrinkTo(this.budgetBytes);
  }

  private meanSize(): number {
    if (this.tracked.size === 0) return 0;
    return this.usage() / this.tracked.size;
  }

  private async shrinkTo(limit: number | undefined): Promise<void> {
    if (limit === undefined) return;
    const idle = [...this.tracked.values()].filter((t) => t.busy.size === 0).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of idle) {
      if (this.usage() <= limit) return;
      const event = {
        image: entry.record.tags[0] ?? entry.record.id,
        id: entry.record.id,
        bytes: entry.record.sizeBytes,
        instance_ids: [...entry.tasks],
      };
      try {
        await this.pulled.remove(this.docker, entry.record);
        this.tracked.delete(entry.record.id);
        this.onEvent({ event: 'removed', ...event });
      } catch (err) {
        // In use by a container (another run's, or one kept with --keep): left, and no longer counted.
        if ((err as { statusCode?: number }).statusCode !== 409) throw err;
        this.tracked.delete(entry.record.id);
        this.onEvent({ event: 'kept', ...event, reason: (err as Error).message });
      }
    }
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
