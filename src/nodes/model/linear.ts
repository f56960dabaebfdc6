import { implement } from '../../engine/node';
import { linearRegressionSpec } from '../../catalog/model/linear';

export const linearRegression = implement(linearRegressionSpec, {
  run: async ({ params, nodeId }) => ({ spec: { family: 'linear', hyper: { l2: params.l2 }, nodeId } }),
  summarize: (_out, params) => ({ text: params.l2 > 0 ? `ridge, L2 ${params.l2}` : 'least squares' }),
});
