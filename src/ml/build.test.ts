import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import type { ModelSpec } from '../data/types';
import { GRADIENT_KERNELS_BY_LAYER, buildNetwork, estimateParamCount, imageShape, trainingGradientKernels } from './build';
import { setupCpuTf } from './test-helpers';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

describe('buildNetwork', () => {
  const cases: [string, ModelSpec, number, number, number[] | undefined][] = [
    ['linear', { family: 'linear', hyper: { l2: 0 } }, 5, 1, undefined],
    ['logistic', { family: 'logistic', hyper: {} }, 4, 3, undefined],
    ['mlp', { family: 'mlp', hyper: { layers: [16, 8], activation: 'tanh', dropout: 0.2, l2: 0.01 } }, 10, 3, undefined],
    ['cnn', { family: 'cnn', hyper: { filters: [4, 8], kernel: 3, pool: 2, dense: 16 } }, 64, 10, [8, 8, 1]],
  ];
  for (const [name, spec, nFeatures, nOutputs, featureShape] of cases) {
    it(`builds a ${name} whose parameter count matches the estimate, without leaking tensors`, () => {
      const before = tf.memory().numTensors;
      const task = spec.family === 'linear' ? 'regression' : 'classification';
      const net = buildNetwork({ spec, nFeatures, nOutputs, task, seed: 1, featureShape });
      expect(net.countParams()).toBe(estimateParamCount(spec, nFeatures, nOutputs, featureShape));
      const out = tf.tidy(() => net.predict(tf.zeros([2, nFeatures])) as TF.Tensor);
      expect(out.shape).toEqual([2, nOutputs]);
      out.dispose();
      net.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('initialises identically for the same seed and differently for another', () => {
    const spec: ModelSpec = { family: 'mlp', hyper: { layers: [6] } };
    const weights = (seed: number) => {
      const net = buildNetwork({ spec, nFeatures: 3, nOutputs: 2, task: 'classification', seed });
      const values = Array.from(net.getWeights()[0].dataSync());
      net.dispose();
      return values;
    };
    expect(weights(5)).toEqual(weights(5));
    expect(weights(5)).not.toEqual(weights(6));
  });

  it('rejects specs that do not fit the task or the data', () => {
    const base = { nFeatures: 4, nOutputs: 2, seed: 1 };
    expect(() => buildNetwork({ ...base, spec: { family: 'linear', hyper: {} }, task: 'classification' })).toThrow(/use logistic regression/);
    expect(() => buildNetwork({ ...base, spec: { family: 'logistic', hyper: {} }, task: 'regression' })).toThrow(/use linear regression/);
    expect(() => buildNetwork({ ...base, nFeatures: 0, spec: { family: 'mlp', hyper: {} }, task: 'regression' })).toThrow(/no features/);
    expect(() => buildNetwork({ ...base, nFeatures: 10, spec: { family: 'cnn', hyper: {} }, task: 'classification' })).toThrow(/not a square/);
    expect(() => buildNetwork({ ...base, spec: { family: 'mlp', hyper: { layers: [0] } }, task: 'regression' })).toThrow(/positive whole numbers/);
    expect(() => buildNetwork({ ...base, spec: { family: 'mlp', hyper: { activation: 'swish!' } }, task: 'regression' })).toThrow(/unknown activation/);
    expect(() => imageShape(64, [4, 4, 1])).toThrow(/holds 16 values but the dataset has 64/);
    expect(imageShape(16)).toEqual([4, 4, 1]);
  });
});

describe('trainingGradientKernels', () => {
  it('lists what the built layers need to train: nothing for dense networks, conv and pooling gradients for a CNN', () => {
    const needs = (spec: ModelSpec, nFeatures: number, featureShape?: number[]) => {
      const network = buildNetwork({ spec, nFeatures, featureShape, nOutputs: 3, task: 'classification', seed: 1 });
      const kernels = network.layers.flatMap((layer) => GRADIENT_KERNELS_BY_LAYER[layer.getClassName()] ?? []);
      network.dispose();
      return [...new Set(kernels)].sort();
    };
    const mlp: ModelSpec = { family: 'mlp', hyper: { layers: [8] } };
    expect(trainingGradientKernels(mlp)).toEqual([]);
    expect(needs(mlp, 4)).toEqual([]);
    const cnn: ModelSpec = { family: 'cnn', hyper: { filters: [4, 8], kernel: 3, pool: 2, dense: 8 } };
    expect([...trainingGradientKernels(cnn)].sort()).toEqual(needs(cnn, 64, [8, 8, 1]));
    expect(trainingGradientKernels(cnn)).toContain('Conv2DBackpropFilter');
    const unpooled: ModelSpec = { family: 'cnn', hyper: { filters: [4], kernel: 3, pool: 1, dense: 8 } };
    expect([...trainingGradientKernels(unpooled)].sort()).toEqual(needs(unpooled, 16, [4, 4, 1]));
  });
});
