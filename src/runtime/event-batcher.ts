/**
 * Batches RunEvents on their way from the worker to the UI: at most one message every
 * `intervalMs`. Plain progress (fraction/message) is coalesced per node, only the latest
 * is kept; progress carrying live metrics is never dropped, so training charts stay complete.
 * The end of a run flushes at once.
 */
import type { RunEvent } from '../engine/events';

export interface BatcherTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: BatcherTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function isPlainProgress(event: RunEvent): boolean {
  return event.type === 'node-progress' && event.metrics === undefined;
}

export class EventBatcher {
  private pending: RunEvent[] = [];
  private timer: unknown = null;
  private lastFlush = -Infinity;

  constructor(
    private readonly send: (events: RunEvent[]) => void,
    private readonly intervalMs = 100,
    private readonly timers: BatcherTimers = realTimers,
  ) {}

  push(event: RunEvent): void {
    if (isPlainProgress(event)) {
      // Replace this node's older plain progress: only the latest position matters.
      const nodeId = (event as { nodeId: string }).nodeId;
      this.pending = this.pending.filter((e) => !(isPlainProgress(e) && (e as { nodeId: string }).nodeId === nodeId));
    }
    this.pending.push(event);
    if (event.type === 'run-done') {
      this.flush();
      return;
    }
    this.schedule();
  }

  /** Sends everything pending now. */
  flush(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.lastFlush = this.timers.now();
    this.send(batch);
  }

  /** Drops pending events and the timer (the run's receiver is gone). */
  dispose(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }
}
