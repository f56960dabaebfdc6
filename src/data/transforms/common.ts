/** Helpers shared by the fitters. */
import { notNumericReason } from '../infer';
import { DataError, getColumn, isNumeric } from '../table';
import type { NumericColumn, Table } from '../types';

export function numericColumn(table: Table, name: string, purpose: string): NumericColumn {
  const column = getColumn(table, name);
  if (!isNumeric(column)) {
    throw new DataError(`Column "${name}" ${notNumericReason(column, `is ${column.dtype}, but ${purpose} needs numbers: encode it first (Encode categories node) or leave it out.`)}`);
  }
  return column;
}

/** Values of `column` at `rows`, missing ones left out. */
export function presentValues(column: NumericColumn, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = column.values[rows[i]];
    if (!Number.isNaN(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

/** Linear-interpolated quantile (the common "type 7" definition, numpy's default) of ascending values; NaN when there are none. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}

export function round(x: number, digits = 4): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(digits);
}
