import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const prepScaleSpec = defineSpec({
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
});
