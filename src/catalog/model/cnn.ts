import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { ACTIVATIONS } from './vocabulary';

/** A small convolutional network for image-shaped features (uses the dataset's feature shape). */
export const cnnSpec = defineSpec({
  type: 'model.cnn',
  version: 1,
  title: 'Convolutional network (CNN)',
  stage: 'model',
  description: 'Conv → max-pool blocks, then a dense layer. Needs image-shaped features (a reshape node, or a square pixel count).',
  inputs: {},
  outputs: { spec: port('model-spec') },
  params: {
    filters: p.list([16, 32], { itemKind: 'int', minItems: 1, maxItems: 4, itemMin: 1, itemMax: 256, label: 'Filters per conv block' }),
    kernel: p.int(3, { min: 1, max: 7, label: 'Kernel size' }),
    pool: p.int(2, { min: 1, max: 4, label: 'Pool size' }),
    dense: p.int(64, { min: 1, max: 1024, label: 'Dense units' }),
    activation: p.select(ACTIVATIONS, 'relu'),
    dropout: p.number(0, { min: 0, max: 0.9, step: 0.05 }),
    l2: p.number(0.0001, { min: 0, max: 1, step: 0.0001, label: 'L2 penalty' }),
  },
});
