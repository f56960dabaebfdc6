import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const featuresPolynomialSpec = defineSpec({
  type: 'features.polynomial',
  version: 1,
  title: 'Polynomial / interaction terms',
  stage: 'features',
  description: 'Adds products of numeric features (a*b, a^2, …) up to a degree; interaction only skips powers.',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    degree: p.int(2, { min: 2, max: 3, label: 'Degree' }),
    interactionOnly: p.boolean(false, { label: 'Interactions only' }),
    columns: p.columns({ columnKind: 'numeric', label: 'Columns', help: 'empty: every numeric feature' }),
  },
});
