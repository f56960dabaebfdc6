import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const featuresPcaSpec = defineSpec({
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
});
