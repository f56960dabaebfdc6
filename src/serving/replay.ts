/**
 * Traffic replay: turn a table's rows into request records, optionally shift them
 * (k standard deviations on a numeric field, a category swapped for another), and send
 * them to an endpoint at a steady rate. Shared by the endpoints panel (fetch to the
 * service worker) and `pipeline-studio replay` (fetch to a server).
 */
import { cellValue } from '../data/table';
import type { Table } from '../data/types';
import { errorMessage } from '../engine/errors';

export type Shift =
  | { column: string; kind: 'std'; k: number }
  | { column: string; kind: 'add'; amount: number }
  | { column: string; kind: 'swap'; from: string; to: string }
  | { column: string; kind: 'set'; value: string };

/**
 * Parses one shift: "col=+2std", "col=-0.5std", "col=+3" (add), "col=Adelie>Gentoo" (swap a
 * category), "col=Gentoo" (every value becomes this category). Throws with a readable message.
 */
export function parseShift(text: string): Shift {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`shift "${text}" should look like column=+2std, column=+3, column=a>b or column=value`);
  const column = text.slice(0, at).trim();
  const spec = text.slice(at + 1).trim();
  if (spec === '') throw new Error(`shift "${text}" says nothing after "="`);
  const std = /^([+-]?\d+(?:\.\d+)?)\s*(?:std|sd|σ)$/i.exec(spec);
  if (std) return { column, kind: 'std', k: Number(std[1]) };
  if (/^[+-]\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(spec)) return { column, kind: 'add', amount: Number(spec) };
  const swap = spec.split('>');
  if (swap.length === 2 && swap[0].trim() && swap[1].trim()) return { column, kind: 'swap', from: swap[0].trim(), to: swap[1].trim() };
  return { column, kind: 'set', value: spec };
}

export function describeShift(shift: Shift): string {
  switch (shift.kind) {
    case 'std':
      return `${shift.column} ${shift.k >= 0 ? '+' : ''}${shift.k}·std`;
    case 'add':
      return `${shift.column} ${shift.amount >= 0 ? '+' : ''}${shift.amount}`;
    case 'swap':
      return `${shift.column}: ${shift.from} → ${shift.to}`;
    case 'set':
      return `${shift.column} = ${shift.value}`;
  }
}

/** Request records from table rows: missing cells are left out, booleans as true/false, datetimes as ISO text. */
export function tableRecords(table: Table, rows?: ArrayLike<number>, exclude: string[] = []): Record<string, unknown>[] {
  const columns = table.columns.filter((c) => !exclude.includes(c.name));
  const indices = rows ?? Array.from({ length: table.rowCount }, (_, i) => i);
  const records: Record<string, unknown>[] = [];
  for (let i = 0; i < indices.length; i++) {
    const record: Record<string, unknown> = {};
    for (const column of columns) {
      const value = cellValue(column, indices[i]);
      if (value === null) continue;
      record[column.name] = column.dtype === 'boolean' ? value === 1 : column.dtype === 'datetime' ? new Date(value as number).toISOString() : value;
    }
    records.push(record);
  }
  return records;
}

function standardDeviation(values: number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
}

/** Applies the shifts to copies of the records. The std of a column is that of the records given. */
export function applyShifts(records: Record<string, unknown>[], shifts: Shift[]): Record<string, unknown>[] {
  const deltas = new Map<string, number>();
  for (const shift of shifts) {
    const present = records.map((r) => r[shift.column]).filter((v) => v !== undefined && v !== null);
    if (present.length === 0) throw new Error(`shift: no record has a field "${shift.column}"`);
    if (shift.kind === 'std' || shift.kind === 'add') {
      const numbers = present.filter((v): v is number => typeof v === 'number');
      if (numbers.length !== present.length) throw new Error(`shift: "${shift.column}" is not numeric, so it cannot move by ${shift.kind === 'std' ? 'standard deviations' : 'an amount'}`);
      deltas.set(shift.column, shift.kind === 'std' ? shift.k * standardDeviation(numbers) : shift.amount);
    }
  }
  return records.map((record) => {
    const out = { ...record };
    for (const shift of shifts) {
      const value = out[shift.column];
      if (value === undefined || value === null) continue;
      if (shift.kind === 'std' || shift.kind === 'add') out[shift.column] = (value as number) + deltas.get(shift.column)!;
      else if (shift.kind === 'swap') {
        if (String(value) === shift.from) out[shift.column] = shift.to;
      } else out[shift.column] = shift.value;
    }
    return out;
  });
}

export type Partition = 'all' | 'train' | 'validation' | 'test';

/** Row indices of a seeded 70/15/15 shuffle-split (the replay's own, for picking held-out-like rows). */
export function partitionRows(rowCount: number, partition: Partition, seed = 1): Uint32Array {
  const order = Array.from({ length: rowCount }, (_, i) => i);
  if (partition === 'all') return Uint32Array.from(order);
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: small, seeded, the same everywhere.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const trainEnd = Math.round(rowCount * 0.7);
  const validationEnd = Math.round(rowCount * 0.85);
  const slice = partition === 'train' ? order.slice(0, trainEnd) : partition === 'validation' ? order.slice(trainEnd, validationEnd) : order.slice(validationEnd);
  return Uint32Array.from(slice.sort((a, b) => a - b));
}

export interface ReplayProgress {
  sent: number;
  total: number;
  ok: number;
  failed: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  /** The first few error messages from the endpoint. */
  errors: string[];
}

export interface ReplayOptions {
  /** Records per second (≥ 0.1). */
  rate: number;
  /** Sends one record; resolves with the HTTP status and, for failures, the body text. */
  send(record: Record<string, unknown>): Promise<{ status: number; body?: string }>;
  signal?: AbortSignal;
  onProgress?(progress: ReplayProgress): void;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Clock and sleep (tests pass instant ones). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends every record, one request each, starting request i at i/rate seconds. Stops early when aborted. */
export async function replay(records: Record<string, unknown>[], options: ReplayOptions): Promise<ReplayProgress> {
  if (!(options.rate >= 0.1)) throw new Error('rate must be at least 0.1 records per second');
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? realSleep;
  const progress: ReplayProgress = { sent: 0, total: records.length, ok: 0, failed: 0, statuses: {}, errors: [] };
  const started = now();
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < records.length && !options.signal?.aborted) {
      const index = nextIndex++;
      const due = started + (index * 1000) / options.rate;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      if (options.signal?.aborted) return;
      let status = 0;
      let body: string | undefined;
      try {
        ({ status, body } = await options.send(records[index]));
      } catch (error) {
        body = errorMessage(error);
      }
      progress.sent++;
      progress.statuses[String(status)] = (progress.statuses[String(status)] ?? 0) + 1;
      if (status >= 200 && status < 300) progress.ok++;
      else {
        progress.failed++;
        if (progress.errors.length < 5 && body) progress.errors.push(`${status || 'network'}: ${body.trim().slice(0, 300)}`);
      }
      options.onProgress?.({ ...progress, statuses: { ...progress.statuses }, errors: [...progress.errors] });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return progress;
}
