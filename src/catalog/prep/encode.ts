import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const prepEncodeSpec = defineSpec({
  type: 'prep.encode',
  version: 1,
  title: 'Encode categories',
  stage: 'prep',
  description:
    'One-hot or ordinal codes learned on the train rows. At serving time an unseen category becomes all zeros (one-hot) or the code -1 (ordinal), with a warning.',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    method: p.select(['onehot', 'ordinal'], 'onehot', { label: 'Method' }),
    columns: p.columns({ columnKind: 'category', label: 'Columns', help: 'empty: every category/text feature' }),
  },
});
