import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { ACTIVATIONS } from './vocabulary';

/** A multilayer perceptron: dense hidden layers, then softmax (classes) or linear (number) output. */
export const mlpSpec = defineSpec({
  type: 'model.mlp',
  version: 1,
  title: 'Neural network (MLP)',
  stage: 'model',
  description: 'Dense hidden layers with an activation, optional dropout and L2 weight penalty.',
  inputs: {},
  outputs: { spec: port('model-spec') },
  params: {
    layers: p.list([64, 32], { itemKind: 'int', minItems: 0, maxItems: 8, itemMin: 1, itemMax: 4096, label: 'Hidden layer units' }),
    activation: p.select(ACTIVATIONS, 'relu'),
    dropout: p.number(0, { min: 0, max: 0.9, step: 0.05, help: 'Fraction of units dropped while training (makes runs not bit-reproducible).' }),
    l2: p.number(0.0001, { min: 0, max: 1, step: 0.0001, label: 'L2 penalty' }),
  },
});
