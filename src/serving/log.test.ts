import { describe, expect, it } from 'vitest';
import { fromJsonLine, PredictionLog, type PredictionLogEntry, toJsonLine } from './log';

const entry = (i: number): PredictionLogEntry => ({
  time: Date.UTC(2025, 0, 1) + i * 1000,
  modelVersion: 'v1',
  inputs: { x: i },
  output: { prediction: i % 2 ? 'a' : 'b', probabilities: { a: 0.25, b: 0.75 } },
  latencyMs: 1.23456,
  batchSize: 1,
});

describe('PredictionLog', () => {
  it('keeps entries oldest first until full', () => {
    const log = new PredictionLog(3);
    expect(log.entries()).toEqual([]);
    log.push(entry(0));
    log.push(entry(1));
    expect(log.size).toBe(2);
    expect(log.entries().map((e) => e.inputs.x)).toEqual([0, 1]);
  });

  it('overwrites the oldest entries when full', () => {
    const log = new PredictionLog(3);
    for (let i = 0; i < 8; i++) log.push(entry(i));
    expect(log.size).toBe(3);
    expect(log.total).toBe(8);
    expect(log.entries().map((e) => e.inputs.x)).toEqual([5, 6, 7]);
    expect(log.entries(2).map((e) => e.inputs.x)).toEqual([6, 7]);
    expect(log.entries(99).map((e) => e.inputs.x)).toEqual([5, 6, 7]);
    expect(log.entries(0)).toEqual([]);
    log.clear();
    expect(log.entries()).toEqual([]);
    log.push(entry(9));
    expect(log.entries().map((e) => e.inputs.x)).toEqual([9]);
  });

  it('defaults to 10,000 entries and refuses a bad capacity', () => {
    expect(new PredictionLog().capacity).toBe(10_000);
    expect(() => new PredictionLog(0)).toThrow(/positive integer/);
    expect(() => new PredictionLog(2.5)).toThrow(/positive integer/);
  });
});

describe('JSON lines', () => {
  it('round-trips an entry through one line', () => {
    const line = toJsonLine(entry(3));
    expect(line).not.toContain('\n');
    expect(line.startsWith('{"time":"2025-01-01T00:00:03.000Z","modelVersion":"v1","latencyMs":1.235')).toBe(true);
    expect(fromJsonLine(line)).toEqual({ ...entry(3), latencyMs: 1.235 });
  });

  it('refuses lines that are not log entries', () => {
    expect(() => fromJsonLine('{"time":"yesterday"}')).toThrow(/not a prediction log line/);
    expect(() => fromJsonLine('not json')).toThrow();
  });
});
