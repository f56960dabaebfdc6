/** Scaling learned on the training rows: standard (mean/std), min-max, robust (median/IQR). */
import { DataError, replaceColumns } from '../table';
import type { Table } from '../types';
import { numericColumn, presentValues, quantile, round, sortedCopy } from './common';
import { registerApplier } from './registry';

export type ScaleMethod = 'standard' | 'minmax' | 'robust';
export interface ScaleState {
  columns: string[];
  method: ScaleMethod;
  /** (value - center) / scale */
  centers: number[];
  scales: number[];
}

export function fitScale(table: Table, rows: ArrayLike<number>, columns: string[], method: ScaleMethod): ScaleState {
  const centers: number[] = [];
  const scales: number[] = [];
  for (const name of columns) {
    const present = presentValues(numericColumn(table, name, 'scaling'), rows);
    if (present.length === 0) throw new DataError(`Column "${name}" has no values on the training rows: nothing to scale by.`);
    let center: number;
    let scale: number;
    if (method === 'standard') {
      center = present.reduce((a, b) => a + b, 0) / present.length;
      scale = Math.sqrt(present.reduce((a, v) => a + (v - center) ** 2, 0) / present.length);
    } else if (method === 'minmax') {
      center = present.reduce((a, b) => Math.min(a, b), Infinity);
      scale = present.reduce((a, b) => Math.max(a, b), -Infinity) - center;
    } else {
      const sorted = sortedCopy(present);
      center = quantile(sorted, 0.5);
      scale = quantile(sorted, 0.75) - quantile(sorted, 0.25);
    }
    // A constant column would divide by zero: leave its spread alone (values become 0).
    centers.push(center);
    scales.push(scale > 0 && Number.isFinite(scale) ? scale : 1);
  }
  return { columns, method, centers, scales };
}

registerApplier<ScaleState>('scale', {
  apply(state, table) {
    let out = table;
    state.columns.forEach((name, j) => {
      const column = numericColumn(out, name, 'scaling');
      const c = state.centers[j];
      const s = state.scales[j];
      out = replaceColumns(out, [name], [{ name, dtype: 'number', values: column.values.map((v) => (v - c) / s) }]);
    });
    return out;
  },
  describe: (s) => `${s.method} scale ${s.columns.map((c, i) => `${c} (${round(s.centers[i])}, ${round(s.scales[i])})`).join(', ')}`,
  inputs: (s) => s.columns,
  refit: (s, table, rows) => fitScale(table, rows, s.columns, s.method),
});
