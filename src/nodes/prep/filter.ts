import { implement } from '../../engine/node';
import { keepRows } from '../../data/dataset';
import { parseDateMs, parseNumber } from '../../data/infer';
import { cellValue, DataError, getColumn, isMissing } from '../../data/table';
import type { Column } from '../../data/types';
import { recalled, remember } from './common';
import { prepFilterSpec, type FilterOp } from '../../catalog/prep/filter';

/** A row predicate for `column op value`; compares numbers for numeric columns, text otherwise. */
export function rowPredicate(column: Column, op: FilterOp, value: string): (row: number) => boolean {
  if (op === 'is missing') return (r) => isMissing(column, r);
  if (op === 'is not missing') return (r) => !isMissing(column, r);
  const numeric = column.dtype === 'number' || column.dtype === 'datetime' || column.dtype === 'boolean';
  if (numeric && op !== 'contains') {
    const target = column.dtype === 'datetime' ? parseDateMs(value.trim()) : column.dtype === 'boolean' ? (/^(true|1)$/i.test(value.trim()) ? 1 : /^(false|0)$/i.test(value.trim()) ? 0 : NaN) : parseNumber(value.trim());
    if (Number.isNaN(target)) throw new DataError(`Column "${column.name}" is ${column.dtype}: "${value}" is not a ${column.dtype === 'datetime' ? 'date' : column.dtype === 'boolean' ? 'true/false value' : 'number'}.`);
    const values = (column as { values: Float64Array }).values;
    const compare: Record<Exclude<FilterOp, 'contains' | 'is missing' | 'is not missing'>, (a: number) => boolean> = {
      '==': (a) => a === target,
      '!=': (a) => a !== target,
      '<': (a) => a < target,
      '<=': (a) => a <= target,
      '>': (a) => a > target,
      '>=': (a) => a >= target,
    };
    const test = compare[op as keyof typeof compare];
    return (r) => !Number.isNaN(values[r]) && test(values[r]);
  }
  return (r) => {
    const cell = cellValue(column, r);
    if (cell === null) return false;
    const text = String(cell);
    switch (op) {
      case 'contains':
        return text.includes(value);
      case '==':
        return text === value;
      case '!=':
        return text !== value;
      case '<':
        return text < value;
      case '<=':
        return text <= value;
      case '>':
        return text > value;
      case '>=':
        return text >= value;
    }
  };
}

export const prepFilter = implement(prepFilterSpec, {
  run: async ({ inputs, params }) => {
    const dataset = inputs.data;
    const column = getColumn(dataset.table, params.column);
    const keep = rowPredicate(column, params.op, params.value);
    const rows = Uint32Array.from({ length: dataset.table.rowCount }, (_, i) => i).filter((r) => keep(r));
    if (rows.length === 0) throw new DataError(`No row has ${params.column} ${params.op} ${params.value}: the result would be empty.`);
    const out = keepRows(dataset, rows);
    const condition = params.op.startsWith('is') ? `${params.column} ${params.op}` : `${params.column} ${params.op} ${params.value}`;
    return { data: remember(out, `kept ${rows.length} of ${dataset.table.rowCount} rows (${condition})`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${data.table.rowCount} rows`) }),
});
