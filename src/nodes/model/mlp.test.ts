import { describe, expect, it } from 'vitest';
import { checkParam } from '../../engine/params';
import { runNode } from '../../ml/test-helpers';
import { mlp } from './mlp';

describe('model.mlp', () => {
  it('emits its hidden layers, activation, dropout and L2', async () => {
    const out = await runNode(mlp, {}, { params: { layers: [8, 4], dropout: 0.1 }, nodeId: 'm' });
    expect(out.spec).toEqual({ family: 'mlp', hyper: { layers: [8, 4], activation: 'relu', dropout: 0.1, l2: 0.0001 }, nodeId: 'm' });
    expect(mlp.summarize!(out as never, { layers: [64, 32], activation: 'relu', dropout: 0, l2: 0 } as never).text).toBe('64→32 relu');
  });
  it('rejects bad layer lists and activations through its param specs', () => {
    expect(checkParam(mlp.params.layers, [16, 0])).toMatch(/≥ 1/);
    expect(checkParam(mlp.params.layers, [1.5])).toMatch(/whole number/);
    expect(checkParam(mlp.params.activation, 'swish')).toMatch(/one of/);
  });
});
