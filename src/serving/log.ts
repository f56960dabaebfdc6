/**
 * Prediction log: the last N answered records, in memory, for monitoring (drift windows,
 * recent traffic). Only records that passed validation and got a prediction go in.
 * The CLI also appends each entry as a JSON line to a size-bounded, rotated file.
 */

export interface PredictionOutput {
  prediction: string | number;
  /** Class probabilities (classification), label → p. */
  probabilities?: Record<string, number>;
}

export interface PredictionLogEntry {
  /** Epoch ms when the prediction was answered. */
  time: number;
  modelVersion: string;
  /** The validated raw record (schema fields only). */
  inputs: Record<string, unknown>;
  output: PredictionOutput;
  /** Wall time of the whole request's prediction, in ms (shared by the records of one batch). */
  latencyMs: number;
  /** Records in the request this one came with. */
  batchSize: number;
}

export const DEFAULT_LOG_CAPACITY = 10_000;

/** Fixed-capacity ring: pushing past capacity overwrites the oldest entry. */
export class PredictionLog {
  readonly capacity: number;
  private readonly slots: (PredictionLogEntry | undefined)[];
  private next = 0;
  private stored = 0;
  /** Entries ever pushed, including overwritten ones. */
  total = 0;

  constructor(capacity = DEFAULT_LOG_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`prediction log capacity must be a positive integer (got ${capacity})`);
    this.capacity = capacity;
    this.slots = new Array(capacity);
  }

  get size(): number {
    return this.stored;
  }

  push(entry: PredictionLogEntry): void {
    this.slots[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    this.stored = Math.min(this.stored + 1, this.capacity);
    this.total++;
  }

  /** The newest `count` entries (all by default), oldest first. */
  entries(count = this.stored): PredictionLogEntry[] {
    const n = Math.max(0, Math.min(count, this.stored));
    const out: PredictionLogEntry[] = [];
    for (let k = n; k > 0; k--) out.push(this.slots[(this.next - k + this.capacity) % this.capacity]!);
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.next = 0;
    this.stored = 0;
  }
}

/** One entry as a single JSON line (no trailing newline); keys in a fixed order. */
export function toJsonLine(entry: PredictionLogEntry): string {
  return JSON.stringify({
    time: new Date(entry.time).toISOString(),
    modelVersion: entry.modelVersion,
    latencyMs: Number(entry.latencyMs.toFixed(3)),
    batchSize: entry.batchSize,
    inputs: entry.inputs,
    output: entry.output,
  });
}

/** Reads a line written by `toJsonLine` back; throws on anything else. */
export function fromJsonLine(line: string): PredictionLogEntry {
  const value = JSON.parse(line) as Record<string, unknown>;
  const time = Date.parse(String(value.time));
  if (Number.isNaN(time) || typeof value.modelVersion !== 'string' || typeof value.inputs !== 'object' || typeof value.output !== 'object') {
    throw new Error('not a prediction log line');
  }
  return {
    time,
    modelVersion: value.modelVersion,
    inputs: value.inputs as Record<string, unknown>,
    output: value.output as PredictionOutput,
    latencyMs: Number(value.latencyMs),
    batchSize: Number(value.batchSize ?? 1),
  };
}
