import { DataError } from '../../data/table';
import { fitBins } from '../../data/transforms';
import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { chooseColumns, fitAndAppend, fittedOnText, plural, recalled, remember } from '../prep/common';

export const featuresBin = defineNode({
  type: 'features.bin',
  version: 1,
  title: 'Binning',
  stage: 'features',
  description: 'Replaces numeric features by their bin number (0…n−1); edges learned on the train rows (equal width or quantiles).',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    bins: p.int(5, { min: 2, max: 100, label: 'Bins' }),
    strategy: p.select(['quantile', 'uniform'], 'quantile', { label: 'Edges' }),
    columns: p.columns({ columnKind: 'numeric', label: 'Columns' }),
  },
  check: (params) => (params.columns.length === 0 ? { columns: 'choose the columns to bin' } : null),
  run: async ({ inputs, params, nodeId, progress }) => {
    const dataset = inputs.data;
    if (params.columns.length === 0) throw new DataError('Choose the columns to bin.');
    const columns = chooseColumns(dataset, params.columns, 'numeric');
    const strategy = params.strategy as 'quantile' | 'uniform';
    const { dataset: out, fittedOn } = fitAndAppend(dataset, nodeId, 'bin', (rows) => fitBins(dataset.table, rows, columns, params.bins, strategy), progress);
    return { data: remember(out, `binned ${plural(columns.length, 'column')} into ≤ ${params.bins} ${strategy} bins (${fittedOnText(fittedOn)})`) };
  },
  summarize: ({ data }) => ({ text: recalled(data, `${plural(data.roles.features.length, 'feature')}`) }),
});
