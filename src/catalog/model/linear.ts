import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

/** Ordinary least squares as a single dense unit, trained by gradient descent (L2 = ridge). */
export const linearRegressionSpec = defineSpec({
  type: 'model.linear',
  version: 1,
  title: 'Linear regression',
  stage: 'model',
  description: 'One dense layer with no activation: predicts a number. L2 > 0 gives ridge regression.',
  inputs: {},
  outputs: { spec: port('model-spec') },
  params: { l2: p.number(0, { min: 0, max: 1, step: 0.0001, label: 'L2 penalty' }) },
});
