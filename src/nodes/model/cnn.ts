import { implement } from '../../engine/node';
import { cnnSpec } from '../../catalog/model/cnn';

export const cnn = implement(cnnSpec, {
  run: async ({ params, nodeId }) => ({
    spec: {
      family: 'cnn',
      hyper: {
        filters: [...params.filters],
        kernel: params.kernel,
        pool: params.pool,
        dense: params.dense,
        activation: params.activation,
        dropout: params.dropout,
        l2: params.l2,
      },
      nodeId,
    },
  }),
  summarize: (_out, params) => ({ text: `conv ${params.filters.join('→')} k${params.kernel}, dense ${params.dense}` }),
});
