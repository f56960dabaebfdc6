import { implement } from '../../engine/node';
import { logisticRegressionSpec } from '../../catalog/model/logistic';

export const logisticRegression = implement(logisticRegressionSpec, {
  run: async ({ params, nodeId }) => ({ spec: { family: 'logistic', hyper: { l2: params.l2 }, nodeId } }),
  summarize: (_out, params) => ({ text: `softmax, L2 ${params.l2}` }),
});
