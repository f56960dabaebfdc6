import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const featuresBinSpec = defineSpec({
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
});
