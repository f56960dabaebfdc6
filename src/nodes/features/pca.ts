import { implement } from '../../engine/node';
import { DataError } from '../../data/table';
import { fitPca, type PcaState } from '../../data/transforms';
import { chooseColumns, fitAndAppend, fittedOnText, recalled, remember } from '../prep/common';
import { featuresPcaSpec } from '../../catalog/features/pca';

export const featuresPca = implement(featuresPcaSpec, {
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
