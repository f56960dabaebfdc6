import { fitEncode } from '../../data/transforms';
import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { chooseColumns, fitAndAppend, fittedOnText, plural, recalled, remember } from './common';

export const prepEncode = defineNode({
  type: 'prep.encode',
  version: 1,
  title: 'Encode categories',
  stage: 'prep',
  description:
    'One-hot or ordinal codes learned on the train rows. At serving time an unseen category becomes all zeros (one-hot) or the code -1 (ordinal), with a warning.',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    method: p.select(['onehot', 'ordinal'], 'onehot', { label: 'Method' }),
    columns: p.columns({ columnKind: 'category', label: 'Columns', help: 'empty: every category/text feature' }),
  },
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    const columns = chooseColumns(dataset, params.columns, 'category');
    if (columns.length === 0) return { data: remember(dataset, 'no category columns to encode') };
    const before = dataset.roles.features.length;
    const method = params.method as 'onehot' | 'ordinal';
    const { dataset: out, fittedOn } = fitAndAppend(dataset, nodeId, method, (rows) => fitEncode(dataset.table, rows, columns, method), progress);
    return {
      data: remember(out, `${method === 'onehot' ? 'one-hot' : 'ordinal'} encoded ${plural(columns.length, 'column')}: ${before} → ${out.roles.features.length} features (${fittedOnText(fittedOn)})`),
    };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${plural(data.roles.features.length, 'feature')}`) }),
});
