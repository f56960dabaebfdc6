import type { NumericColumn } from '../../data/types';

export function presentMin(column: NumericColumn): number {
  let min = Infinity;
  for (const v of column.values) if (v < min) min = v;
  return min;
}
