import { implement } from '../../engine/node';
import { keepRows } from '../../data/dataset';
import { getColumn, isMissing, missingCount } from '../../data/table';
import { fitImpute, type ImputeStrategy } from '../../data/transforms';
import { chooseColumns, fitAndAppend, fittedOnText, plural, recalled, remember } from './common';
import { prepMissingSpec } from '../../catalog/prep/missing';

export const prepMissing = implement(prepMissingSpec, {
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    if (params.strategy === 'drop rows') {
      const names = params.columns.length > 0 ? params.columns : dataset.roles.features;
      const columns = names.map((n) => getColumn(dataset.table, n));
      const keep = Uint32Array.from({ length: dataset.table.rowCount }, (_, i) => i).filter((r) => columns.every((c) => !isMissing(c, r)));
      if (keep.length === 0) throw new Error('Every row has a missing value in these columns: nothing would be left. Impute instead, or drop the emptiest column.');
      const dropped = dataset.table.rowCount - keep.length;
      return { data: remember(dropped === 0 ? dataset : keepRows(dataset, keep), `dropped ${plural(dropped, 'row')} with missing values; ${keep.length} left`) };
    }
    const candidates = chooseColumns(dataset, params.columns, 'any');
    // By default only columns that have gaps (anywhere: structure, not values, so no leak).
    const columns = params.columns.length > 0 ? candidates : candidates.filter((n) => missingCount(getColumn(dataset.table, n)) > 0);
    if (columns.length === 0) return { data: remember(dataset, 'no missing values in the features') };
    const strategy = params.strategy.replace(' ', '_') as ImputeStrategy;
    const { dataset: out, fittedOn } = fitAndAppend(dataset, nodeId, 'impute', (rows) => fitImpute(dataset.table, rows, columns, strategy, params.constant), progress);
    return { data: remember(out, `imputed ${plural(columns.length, 'column')} (${params.strategy}, ${fittedOnText(fittedOn)})`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${data.table.rowCount} rows`) }),
});
