import { implement } from '../../engine/node';
import { mlpSpec } from '../../catalog/model/mlp';

export const mlp = implement(mlpSpec, {
  run: async ({ params, nodeId }) => ({
    spec: {
      family: 'mlp',
      hyper: { layers: [...params.layers], activation: params.activation, dropout: params.dropout, l2: params.l2 },
      nodeId,
    },
  }),
  summarize: (_out, params) => ({
    text: `${params.layers.length ? params.layers.join('→') : 'no hidden layers'} ${params.activation}${params.dropout > 0 ? `, dropout ${params.dropout}` : ''}`,
  }),
});
