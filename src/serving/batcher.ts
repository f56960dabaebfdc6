/**
 * Micro-batching for the prediction endpoint. A network call costs about the same for one
 * row as for dozens, so requests that arrive together (read in the same event-loop turn,
 * typically while the previous prediction was running) are predicted in one call.
 * A request never waits for a timer: the batch is flushed at the end of the current turn.
 */

type PredictFn<R> = (records: Record<string, unknown>[]) => Promise<R[]>;

interface Pending<R> {
  records: Record<string, unknown>[];
  resolve(results: R[]): void;
  reject(error: unknown): void;
}

export interface BatcherOptions {
  /** Most records predicted in one call; a larger request runs on its own. */
  maxRecords?: number;
  /** Schedules the flush after the I/O already queued (setImmediate in Node; a zero timeout elsewhere). */
  schedule?: (flush: () => void) => void;
}

const defaultSchedule = (flush: () => void): void => {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (immediate) immediate(flush);
  else setTimeout(flush, 0);
};

/**
 * Wraps `predict` so concurrent callers share calls. Results are split back per caller in
 * order. When a shared call throws (one caller's bad record), each caller is retried alone,
 * so one request's error never fails another's.
 */
export function batchPredictions<R>(predict: PredictFn<R>, options: BatcherOptions = {}): PredictFn<R> {
  const maxRecords = options.maxRecords ?? 512;
  const schedule = options.schedule ?? defaultSchedule;
  let queue: Pending<R>[] = [];
  let scheduled = false;

  async function runAlone(item: Pending<R>): Promise<void> {
    try {
      item.resolve(await predict(item.records));
    } catch (error) {
      item.reject(error);
    }
  }

  async function runTogether(group: Pending<R>[]): Promise<void> {
    if (group.length === 1) return runAlone(group[0]);
    let results: R[];
    try {
      results = await predict(group.flatMap((item) => item.records));
    } catch {
      for (const item of group) await runAlone(item);
      return;
    }
    let offset = 0;
    for (const item of group) {
      item.resolve(results.slice(offset, offset + item.records.length));
      offset += item.records.length;
    }
  }

  async function flush(): Promise<void> {
    scheduled = false;
    const taken = queue;
    queue = [];
    let group: Pending<R>[] = [];
    let size = 0;
    for (const item of taken) {
      if (size + item.records.length > maxRecords && group.length > 0) {
        await runTogether(group);
        group = [];
        size = 0;
      }
      group.push(item);
      size += item.records.length;
    }
    if (group.length > 0) await runTogether(group);
  }

  return (records) =>
    new Promise<R[]>((resolve, reject) => {
      queue.push({ records, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        schedule(() => void flush());
      }
    });
}
