import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const featuresPowerSpec = defineSpec({
  type: 'features.power',
  version: 1,
  title: 'Log / power transform',
  stage: 'features',
  description: 'log1p, log, sqrt, square or x^p of numeric features (skewed amounts, counts).',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    method: p.select(['log1p', 'log', 'sqrt', 'square', 'power'], 'log1p', { label: 'Function' }),
    exponent: p.number(0.5, { label: 'Exponent', help: 'for power' }),
    columns: p.columns({ columnKind: 'numeric', label: 'Columns', help: 'empty: every numeric feature' }),
  },
});
