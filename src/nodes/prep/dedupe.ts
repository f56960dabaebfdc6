import { implement } from '../../engine/node';
import { keepRows } from '../../data/dataset';
import { cellValue, getColumn } from '../../data/table';
import { plural, recalled, remember } from './common';
import { prepDedupeSpec } from '../../catalog/prep/dedupe';

export const prepDedupe = implement(prepDedupeSpec, {
  run: async ({ inputs, params }) => {
    const dataset = inputs.data;
    const columns = (params.columns.length > 0 ? params.columns : dataset.table.columns.map((c) => c.name)).map((n) => getColumn(dataset.table, n));
    const seen = new Set<string>();
    const keep: number[] = [];
    for (let r = 0; r < dataset.table.rowCount; r++) {
      const key = JSON.stringify(columns.map((c) => cellValue(c, r)));
      if (seen.has(key)) continue;
      seen.add(key);
      keep.push(r);
    }
    const removed = dataset.table.rowCount - keep.length;
    const out = removed === 0 ? dataset : keepRows(dataset, Uint32Array.from(keep));
    return { data: remember(out, `removed ${plural(removed, 'duplicate row')}; ${keep.length} rows left`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${data.table.rowCount} rows`) }),
});
