import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

/** Multinomial logistic regression: one dense layer with softmax over the classes. */
export const logisticRegressionSpec = defineSpec({
  type: 'model.logistic',
  version: 1,
  title: 'Logistic regression',
  stage: 'model',
  description: 'One dense layer with softmax: predicts a class (binary or multiclass).',
  inputs: {},
  outputs: { spec: port('model-spec') },
  params: { l2: p.number(0.0001, { min: 0, max: 1, step: 0.0001, label: 'L2 penalty' }) },
});
