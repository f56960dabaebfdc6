import { implement } from '../../engine/node';
import { fitEncode } from '../../data/transforms';
import { chooseColumns, fitAndAppend, fittedOnText, plural, recalled, remember } from './common';
import { prepEncodeSpec } from '../../catalog/prep/encode';

export const prepEncode = implement(prepEncodeSpec, {
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    const columns = chooseColumns(dataset, params.columns, 'category');
    if (columns.length === 0) return { data: remember(dataset, 'no category columns to encode') };
    const before = dataset.roles.features.length;
    const method = params.method;
    const { dataset: out, fittedOn } = fitAndAppend(dataset, nodeId, method, (rows) => fitEncode(dataset.table, rows, columns, method), progress);
    return {
      data: remember(out, `${method === 'onehot' ? 'one-hot' : 'ordinal'} encoded ${plural(columns.length, 'column')}: ${before} → ${out.roles.features.length} features (${fittedOnText(fittedOn)})`),
    };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${plural(data.roles.features.length, 'feature')}`) }),
});
