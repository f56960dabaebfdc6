import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const evaluateImportanceSpec = defineSpec({
  type: 'evaluate.importance',
  version: 1,
  title: 'Feature importance',
  stage: 'evaluate',
  description:
    'Permutation importance: how much the score (accuracy, or R² for regression) drops when one feature’s values are shuffled across rows, mean ± sd over seeded repeats. One-hot columns of one raw column are shuffled together.',
  inputs: { model: port('model'), data: port('dataset') },
  outputs: { metrics: port('metrics') },
  params: {
    partition: p.select(['test', 'validation'], 'test', { help: 'Rows the model was not trained on.' }),
    repeats: p.int(5, { min: 1, max: 50, label: 'Repeats', help: 'Shuffles per feature; more gives a steadier mean and a real ± sd.' }),
    seed: p.int(0, { min: 0, max: 2 ** 31 - 1, help: '0 uses the graph seed.' }),
  },
});
