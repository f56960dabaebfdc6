import { implement } from '../../engine/node';
import { DataError } from '../../data/table';
import { fitBins } from '../../data/transforms';
import { chooseColumns, fitAndAppend, fittedOnText, plural, recalled, remember } from '../prep/common';
import { featuresBinSpec } from '../../catalog/features/bin';

export const featuresBin = implement(featuresBinSpec, {
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    if (params.columns.length === 0) throw new DataError('Choose the columns to bin.');
    const columns = chooseColumns(dataset, params.columns, 'numeric');
    const strategy = params.strategy;
    const { dataset: out, fittedOn } = fitAndAppend(dataset, nodeId, 'bin', (rows) => fitBins(dataset.table, rows, columns, params.bins, strategy), progress);
    return { data: remember(out, `binned ${plural(columns.length, 'column')} into ≤ ${params.bins} ${strategy} bins (${fittedOnText(fittedOn)})`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${plural(data.roles.features.length, 'feature')}`) }),
});
