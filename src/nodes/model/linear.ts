import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

/** Ordinary least squares as a single dense unit, trained by gradient descent (L2 = ridge). */
export const linearRegression = defineNode({
  type: 'model.linear',
  version: 1,
  title: 'Linear regression',
  stage: 'model',
  description: 'One dense layer with no activation: predicts a number. L2 > 0 gives ridge regression.',
  inputs: {},
  outputs: { spec: port('model-spec') },
  params: { l2: p.number(0, { min: 0, max: 1, step: 0.0001, label: 'L2 penalty' }) },
  run: async ({ params, nodeId }) => ({ spec: { family: 'linear', hyper: { l2: params.l2 }, nodeId } }),
  summarize: (_out, params) => ({ text: params.l2 > 0 ? `ridge, L2 ${params.l2}` : 'least squares' }),
});
