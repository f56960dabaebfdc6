import { implement } from '../../engine/node';
import { createDataset, keepRows } from '../../data/dataset';
import { DataError, getColumn, isMissing, missingCount, rowCountOf } from '../../data/table';
import type { Column, Dataset } from '../../data/types';
import { plural, recalled, remember } from './common';
import { prepRolesSpec } from '../../catalog/prep/roles';

function distinctValues(column: Column, limit: number): Set<string | number> {
  const seen = new Set<string | number>();
  const n = rowCountOf(column);
  for (let r = 0; r < n && seen.size < limit; r++) {
    if (isMissing(column, r)) continue;
    seen.add(column.dtype === 'category' ? column.codes[r] : column.dtype === 'text' ? column.values[r]! : column.values[r]);
  }
  return seen;
}

export const prepRoles = implement(prepRolesSpec, {
  run: async ({ inputs, params }) => {
    const table = inputs.table;
    if (params.target === '') throw new DataError('Choose the target column.');
    const target = getColumn(table, params.target);
    if (target.dtype === 'text') {
      throw new DataError(`Target "${target.name}" is free text (too many distinct values for classes): set its type to category when importing, or choose another target.`);
    }
    const features = params.features.length > 0 ? params.features : table.columns.map((c) => c.name).filter((n) => n !== params.target);
    if (features.includes(params.target)) throw new DataError(`"${params.target}" is the target: it cannot also be a feature.`);
    if (features.length === 0) throw new DataError('No feature columns: the table has only the target.');
    for (const name of features) {
      const column = getColumn(table, name);
      if (missingCount(column) === table.rowCount) {
        throw new DataError(`Feature "${name}" has no values at all (every row is missing): leave it out of the features.`);
      }
    }
    let dataset: Dataset = createDataset(table, params.target, features);
    let dropped = 0;
    const missing = missingCount(target);
    if (missing > 0) {
      if (params.missingTarget !== 'drop rows') {
        throw new DataError(`Target "${target.name}" is missing in ${plural(missing, 'row')}: set "Rows without a target" to drop rows, or fill them in the file.`);
      }
      if (missing === table.rowCount) throw new DataError(`Target "${target.name}" has no values at all.`);
      const keep = Uint32Array.from({ length: table.rowCount }, (_, i) => i).filter((r) => !isMissing(target, r));
      dataset = keepRows(dataset, keep);
      dropped = missing;
    }
    const distinct = distinctValues(getColumn(dataset.table, params.target), 2);
    if (distinct.size < 2) {
      const only = [...distinct][0];
      const label = target.dtype === 'category' ? target.categories[only as number] : only;
      throw new DataError(`Target "${target.name}" has a single value (${JSON.stringify(label)}) in every row: there is nothing to predict.`);
    }
    const kind = target.dtype === 'category' ? `${target.categories.length} classes` : target.dtype === 'boolean' ? '2 classes' : 'numeric';
    const text = `target ${target.name} (${kind}), ${plural(dataset.roles.features.length, 'feature')}, ${dataset.table.rowCount} rows${dropped ? ` (dropped ${plural(dropped, 'row')} without a target)` : ''}`;
    return { data: remember(dataset, text) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `target ${data.roles.target}, ${plural(data.roles.features.length, 'feature')}, ${data.table.rowCount} rows`) }),
});
