import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const prepColumnsSpec = defineSpec({
  type: 'prep.columns',
  version: 1,
  title: 'Select / drop columns',
  stage: 'prep',
  description: 'Keep only some features, or drop some columns. A deployed model then stops asking for dropped raw columns.',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    mode: p.select(['drop', 'keep'], 'drop', { label: 'Mode', help: 'keep: only these features stay' }),
    columns: p.columns({ columnKind: 'any', label: 'Columns' }),
  },
});
