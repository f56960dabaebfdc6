/**
 * A column profile: what the automatic pipeline decides from (type, gaps, distinct values),
 * computed once over the whole table in the worker or the CLI, small enough to cross to the UI.
 */
import { isMissing, missingCount } from '../data/table';
import type { Column, DType, Table } from '../data/types';

/** Distinct values are counted up to this many (enough to choose an encoding). */
export const DISTINCT_CAP = 1000;

export interface ColumnProfile {
  name: string;
  dtype: DType;
  /** Rows with no value. */
  missing: number;
  /** Distinct present values, counted up to DISTINCT_CAP. */
  distinct: number;
  /** Numbers only: every present value is a whole number. */
  whole?: boolean;
}

export interface DataProfile {
  /** File or sample name. */
  name: string;
  rows: number;
  columns: ColumnProfile[];
}

function profileColumn(column: Column, rows: number): ColumnProfile {
  const seen = new Set<string | number>();
  let whole = true;
  for (let r = 0; r < rows && seen.size < DISTINCT_CAP; r++) {
    if (isMissing(column, r)) continue;
    if (column.dtype === 'category') seen.add(column.codes[r]);
    else if (column.dtype === 'text') seen.add(column.values[r]!);
    else {
      const v = column.values[r];
      if (!Number.isInteger(v)) whole = false;
      seen.add(v);
    }
  }
  const numeric = column.dtype === 'number';
  return { name: column.name, dtype: column.dtype, missing: missingCount(column), distinct: seen.size, ...(numeric ? { whole } : {}) };
}

export function profileTable(table: Table, name: string): DataProfile {
  return { name, rows: table.rowCount, columns: table.columns.map((c) => profileColumn(c, table.rowCount)) };
}
