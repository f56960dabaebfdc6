import { describe, expect, it } from 'vitest';
import type { Table } from '../data/types';
import { applyShifts, describeShift, parseShift, partitionRows, replay, tableRecords } from './replay';

const table: Table = {
  rowCount: 4,
  columns: [
    { name: 'x', dtype: 'number', values: Float64Array.from([1, 2, NaN, 5]) },
    { name: 'kind', dtype: 'category', codes: Int32Array.from([0, 1, 0, -1]), categories: ['a', 'b'] },
    { name: 'flag', dtype: 'boolean', values: Float64Array.from([1, 0, 1, 0]) },
    { name: 'label', dtype: 'category', codes: Int32Array.from([0, 0, 1, 1]), categories: ['n', 'y'] },
  ],
};

describe('replay helpers', () => {
  it('parses shifts and refuses nonsense', () => {
    expect(parseShift('x=+2std')).toEqual({ column: 'x', kind: 'std', k: 2 });
    expect(parseShift('x=-0.5sd')).toEqual({ column: 'x', kind: 'std', k: -0.5 });
    expect(parseShift('x=+3')).toEqual({ column: 'x', kind: 'add', amount: 3 });
    expect(parseShift('kind=a>b')).toEqual({ column: 'kind', kind: 'swap', from: 'a', to: 'b' });
    expect(parseShift('kind=b')).toEqual({ column: 'kind', kind: 'set', value: 'b' });
    expect(() => parseShift('x')).toThrow(/should look like/);
    expect(() => parseShift('x=')).toThrow(/nothing after/);
    expect(describeShift(parseShift('x=+2std'))).toBe('x +2·std');
  });

  it('turns rows into records without missing cells or excluded columns', () => {
    expect(tableRecords(table, undefined, ['label'])).toEqual([
      { x: 1, kind: 'a', flag: true },
      { x: 2, kind: 'b', flag: false },
      { kind: 'a', flag: true },
      { x: 5, flag: false },
    ]);
    expect(tableRecords(table, [3])).toEqual([{ x: 5, flag: false, label: 'y' }]);
  });

  it('shifts numbers by k sample standard deviations and swaps categories on copies', () => {
    const records = [{ x: 1, kind: 'a' }, { x: 3, kind: 'b' }, { kind: 'a' }];
    const shifted = applyShifts(records, [parseShift('x=+2std'), parseShift('kind=a>c')]);
    // std of [1, 3] = √2
    expect(shifted[0].x).toBeCloseTo(1 + 2 * Math.SQRT2, 12);
    expect(shifted[1]).toEqual({ x: 3 + 2 * Math.SQRT2, kind: 'b' });
    expect(shifted[2]).toEqual({ kind: 'c' });
    expect(records[0]).toEqual({ x: 1, kind: 'a' });
    expect(() => applyShifts(records, [parseShift('kind=+1std')])).toThrow(/not numeric/);
    expect(() => applyShifts(records, [parseShift('nope=+1')])).toThrow(/no record has a field "nope"/);
  });

  it('splits rows 70/15/15 reproducibly and without overlap', () => {
    const parts = (['train', 'validation', 'test'] as const).map((p) => Array.from(partitionRows(100, p, 7)));
    expect(parts.map((p) => p.length)).toEqual([70, 15, 15]);
    expect(new Set(parts.flat()).size).toBe(100);
    expect(Array.from(partitionRows(100, 'test', 7))).toEqual(parts[2]);
    expect(Array.from(partitionRows(100, 'test', 8))).not.toEqual(parts[2]);
    expect(partitionRows(3, 'all', 1)).toEqual(Uint32Array.from([0, 1, 2]));
  });

  it('sends every record on schedule, counts statuses, keeps error bodies, and stops when aborted', async () => {
    let clock = 0;
    const waits: number[] = [];
    const sent: unknown[] = [];
    const result = await replay([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }], {
      rate: 2,
      concurrency: 1,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      send: async (record) => {
        sent.push(record);
        return record.i === 2 ? { status: 422, body: '{"error":"bad"}' } : { status: 200 };
      },
    });
    expect(waits).toEqual([500, 500, 500]);
    expect(sent.length).toBe(4);
    expect(result).toMatchObject({ sent: 4, ok: 3, failed: 1, statuses: { 200: 3, 422: 1 }, errors: ['422: {"error":"bad"}'] });

    const controller = new AbortController();
    const partial = await replay([{}, {}, {}], {
      rate: 1000,
      concurrency: 1,
      signal: controller.signal,
      send: async () => {
        controller.abort();
        return { status: 200 };
      },
    });
    expect(partial.sent).toBe(1);
    await expect(replay([{}], { rate: 0, send: async () => ({ status: 200 }) })).rejects.toThrow(/rate/);
  });
});
