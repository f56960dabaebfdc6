import { DataError } from '../../data/table';
import { fitPca, type PcaState } from '../../data/transforms';
import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { chooseColumns, fitAndAppend, fittedOnText, recalled, remember } from '../prep/common';

export const featuresPca = defineNode({
  type: 'features.pca',
  version: 1,
  title: 'PCA',
  stage: 'features',
  description: 'Projects numeric features onto their principal components, learned on the train rows. Scale first when units differ.',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    components: p.int(0, { min: 0, max: 400, label: 'Components', help: '0: as many as needed for the variance below' }),
    varianceKept: p.number(0.95, { min: 0.01, max: 1, step: 0.01, label: 'Variance kept' }),
    columns: p.columns({ columnKind: 'numeric', label: 'Columns', help: 'empty: every numeric feature' }),
  },
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    const columns = chooseColumns(dataset, params.columns, 'numeric');
    if (columns.length < 2) throw new DataError('PCA needs at least 2 numeric features.');
    progress({ message: `PCA over ${columns.length} columns` });
    const { dataset: out, fittedOn, state } = fitAndAppend(dataset, nodeId, 'pca', (rows) => fitPca(dataset.table, rows, columns, params.components, params.varianceKept), progress);
    const pca = state as unknown as PcaState;
    const kept = pca.explained.reduce((a, b) => a + b, 0);
    return { data: remember(out, `PCA ${columns.length} → ${pca.components.length} components, ${(kept * 100).toFixed(1)}% of variance (${fittedOnText(fittedOn)})`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${data.roles.features.length} features`) }),
});
