/** Missing values: fill with a value learned on the training rows (mean, median, most frequent) or a constant. */
import { DataError, getColumn, isNumeric, replaceColumns } from '../table';
import type { Column, Table } from '../types';
import { presentValues, quantile, round, sortedCopy } from './common';
import { registerApplier } from './registry';

export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';
export interface ImputeState {
  columns: string[];
  strategy: ImputeStrategy;
  /** Per column: a number for numeric columns, a label for category/text columns. */
  fills: (number | string)[];
}

function mostFrequent(column: Column, rows: ArrayLike<number>): number | string | undefined {
  const counts = new Map<number | string, number>();
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const value = column.dtype === 'category' ? (column.codes[r] < 0 ? null : column.categories[column.codes[r]]) : column.dtype === 'text' ? column.values[r] : Number.isNaN(column.values[r]) ? null : column.values[r];
    if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  let best: number | string | undefined;
  let bestCount = 0;
  // Ties go to the smallest value so the result does not depend on row order.
  for (const [value, count] of counts) if (count > bestCount || (count === bestCount && best !== undefined && value < best)) [best, bestCount] = [value, count];
  return best;
}

export function fitImpute(table: Table, rows: ArrayLike<number>, columns: string[], strategy: ImputeStrategy, constant: string): ImputeState {
  const fills = columns.map((name) => {
    const column = getColumn(table, name);
    if (strategy === 'constant') {
      if (isNumeric(column)) {
        const n = Number(constant);
        if (constant.trim() === '' || Number.isNaN(n)) throw new DataError(`Column "${name}" is numeric: the constant must be a number (got "${constant}")`);
        return n;
      }
      if (constant === '') throw new DataError(`Give a constant to fill the missing values of "${name}"`);
      return constant;
    }
    if (strategy === 'most_frequent') {
      const value = mostFrequent(column, rows);
      if (value === undefined) throw new DataError(`Column "${name}" has no values on the training rows: nothing to impute from. Drop the column.`);
      return value;
    }
    if (!isNumeric(column)) throw new DataError(`Column "${name}" is ${column.dtype}: ${strategy} needs numbers; use most frequent or constant.`);
    const present = presentValues(column, rows);
    if (present.length === 0) throw new DataError(`Column "${name}" has no values on the training rows: nothing to impute from. Drop the column.`);
    if (strategy === 'mean') return present.reduce((a, b) => a + b, 0) / present.length;
    return quantile(sortedCopy(present), 0.5);
  });
  return { columns, strategy, fills };
}

function fillColumn(column: Column, fill: number | string): Column {
  if (column.dtype === 'category') {
    const label = String(fill);
    let categories = column.categories;
    let code = categories.indexOf(label);
    if (code < 0) {
      categories = [...categories, label];
      code = categories.length - 1;
    }
    return { ...column, categories, codes: column.codes.map((c) => (c < 0 ? code : c)) };
  }
  if (column.dtype === 'text') return { ...column, values: column.values.map((v) => v ?? String(fill)) };
  const value = Number(fill);
  return { ...column, values: column.values.map((v) => (Number.isNaN(v) ? value : v)) };
}

registerApplier<ImputeState>('impute', {
  apply(state, table) {
    let out = table;
    state.columns.forEach((name, i) => (out = replaceColumns(out, [name], [fillColumn(getColumn(out, name), state.fills[i])])));
    return out;
  },
  describe: (s) => `impute ${s.strategy}: ${s.columns.map((c, i) => `${c}=${typeof s.fills[i] === 'number' ? round(s.fills[i] as number) : s.fills[i]}`).join(', ')}`,
  inputs: (s) => s.columns,
  fills: (s) => s.columns,
  // A constant fill learns nothing: its fills are the constant.
  refit: (s, table, rows) => (s.strategy === 'constant' ? s : fitImpute(table, rows, s.columns, s.strategy, '')),
});
