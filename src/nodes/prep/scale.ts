import { fitScale, type ScaleMethod } from '../../data/transforms';
import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { chooseColumns, fitAndAppend, fittedOnText, plural, recalled, remember } from './common';

export const prepScale = defineNode({
  type: 'prep.scale',
  version: 1,
  title: 'Scale features',
  stage: 'prep',
  description: 'standard: (x − mean) / std; minmax: to 0..1; robust: (x − median) / IQR. Learned on the train rows.',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    method: p.select(['standard', 'minmax', 'robust'], 'standard', { label: 'Method' }),
    columns: p.columns({ columnKind: 'numeric', label: 'Columns', help: 'empty: every numeric feature' }),
  },
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    const columns = chooseColumns(dataset, params.columns, 'numeric');
    if (columns.length === 0) return { data: remember(dataset, 'no numeric columns to scale') };
    const method = params.method as ScaleMethod;
    const { dataset: out, fittedOn } = fitAndAppend(dataset, nodeId, 'scale', (rows) => fitScale(dataset.table, rows, columns, method), progress);
    return { data: remember(out, `scaled ${plural(columns.length, 'column')} (${method}, ${fittedOnText(fittedOn)})`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${plural(data.roles.features.length, 'feature')}`) }),
});
