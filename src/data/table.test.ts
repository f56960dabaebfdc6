import { describe, expect, it } from 'vitest';
import { cellValue, columnNames, getColumn, replaceColumns, selectColumns, selectRows, tableFromRows, uniqueNames } from './table';
import type { CategoryColumn } from './types';

describe('table helpers', () => {
  it('tableFromRows infers types from records and row arrays', () => {
    const { table, warnings } = tableFromRows([
      { x: 1, c: 'a', ok: true, when: '2020-01-01' },
      { x: '2.5', c: 'b', ok: false, when: null },
      { x: null, c: 'a', ok: null, when: '2021-06-30' },
    ]);
    expect(warnings).toEqual([]);
    expect(table.columns.map((c) => [c.name, c.dtype])).toEqual([
      ['x', 'number'],
      ['c', 'category'],
      ['ok', 'boolean'],
      ['when', 'datetime'],
    ]);
    expect(cellValue(getColumn(table, 'x'), 1)).toBe(2.5);
    expect(cellValue(getColumn(table, 'x'), 2)).toBeNull();
    const arrays = tableFromRows([
      [1, 'p'],
      [2, 'q'],
    ]).table;
    expect(columnNames(arrays)).toEqual(['column_1', 'column_2']);
  });

  it('sorts categories so codes do not depend on row order (numerically when numeric)', () => {
    const { table } = tableFromRows([{ v: '10' }, { v: '9' }, { v: '10' }], { typeOverrides: { v: 'category' } });
    expect((getColumn(table, 'v') as CategoryColumn).categories).toEqual(['9', '10']);
    expect(Array.from((getColumn(table, 'v') as CategoryColumn).codes)).toEqual([1, 0, 1]);
  });

  it('selects rows and columns, and refuses out-of-range rows and unknown columns', () => {
    const { table } = tableFromRows([{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { a: 3, b: 'z' }]);
    const picked = selectRows(table, [2, 0]);
    expect([cellValue(picked.columns[0], 0), cellValue(picked.columns[1], 1)]).toEqual([3, 'x']);
    expect(() => selectRows(table, [3])).toThrow(/Row index 3 is outside 0..2/);
    expect(columnNames(selectColumns(table, ['b']))).toEqual(['b']);
    expect(() => getColumn(table, 'nope')).toThrow(/No column "nope" \(columns: "a", "b"\)/);
  });

  it('replaceColumns keeps position and refuses name clashes', () => {
    const { table } = tableFromRows([{ a: 1, b: 2, c: 3 }]);
    const out = replaceColumns(table, ['b'], [{ name: 'b1', dtype: 'number', values: Float64Array.of(0) }, { name: 'b2', dtype: 'number', values: Float64Array.of(0) }]);
    expect(columnNames(out)).toEqual(['a', 'b1', 'b2', 'c']);
    expect(() => replaceColumns(table, ['b'], [{ name: 'a', dtype: 'number', values: Float64Array.of(0) }])).toThrow(/"a" already exists/);
  });

  it('uniqueNames renames repeats and blanks', () => {
    const { names, warnings } = uniqueNames(['id', '', 'id', 'id_2']);
    expect(names).toEqual(['id', 'column_2', 'id_2', 'id_2_2']);
    expect(warnings).toHaveLength(3);
  });
});
