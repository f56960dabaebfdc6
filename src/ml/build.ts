/**
 * Builds a tfjs network from a model spec. Networks always take flat feature vectors
 * ([rows, nFeatures]); the CNN reshapes to its image shape inside, so train, evaluate and
 * the predictor share one matrix layout. Initialisers are seeded so runs reproduce.
 */
import type * as TF from '@tensorflow/tfjs';
import type { ModelSpec, TaskKind } from '../data/types';
import { tf } from './tf';
import { mixSeed } from '../data/random';

import { ACTIVATIONS, type Activation } from '../catalog/model/vocabulary';

export { ACTIVATIONS, type Activation };

export interface MlpHyper {
  layers: number[];
  activation: Activation;
  dropout: number;
  l2: number;
}
export interface CnnHyper {
  /** Filters per conv block (each block: conv → max-pool). */
  filters: number[];
  kernel: number;
  pool: number;
  dense: number;
  activation: Activation;
  dropout: number;
  l2: number;
}

function num(hyper: Record<string, unknown>, key: string, fallback: number): number {
  const v = hyper[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}
function intList(hyper: Record<string, unknown>, key: string, fallback: number[]): number[] {
  const v = hyper[key];
  if (!Array.isArray(v)) return fallback;
  if (!v.every((x) => typeof x === 'number' && Number.isInteger(x) && x > 0)) {
    throw new Error(`"${key}" must be a list of positive whole numbers, got ${JSON.stringify(v)}`);
  }
  return v as number[];
}
function activation(hyper: Record<string, unknown>): Activation {
  const v = hyper.activation ?? 'relu';
  if (!ACTIVATIONS.includes(v as Activation)) throw new Error(`unknown activation "${String(v)}"`);
  return v as Activation;
}

export function mlpHyper(spec: ModelSpec): MlpHyper {
  return {
    layers: intList(spec.hyper, 'layers', [64, 32]),
    activation: activation(spec.hyper),
    dropout: num(spec.hyper, 'dropout', 0),
    l2: num(spec.hyper, 'l2', 0),
  };
}

export function cnnHyper(spec: ModelSpec): CnnHyper {
  return {
    filters: intList(spec.hyper, 'filters', [16, 32]),
    kernel: num(spec.hyper, 'kernel', 3),
    pool: num(spec.hyper, 'pool', 2),
    dense: num(spec.hyper, 'dense', 64),
    activation: activation(spec.hyper),
    dropout: num(spec.hyper, 'dropout', 0),
    l2: num(spec.hyper, 'l2', 0),
  };
}

/** The image shape a CNN uses: the dataset's featureShape, or a square single-channel guess. */
export function imageShape(nFeatures: number, featureShape?: number[]): [number, number, number] {
  if (featureShape && featureShape.length >= 2) {
    const [h, w, c = 1] = featureShape;
    if (h * w * c !== nFeatures) {
      throw new Error(`feature shape [${featureShape.join(', ')}] holds ${h * w * c} values but the dataset has ${nFeatures} features`);
    }
    return [h, w, c];
  }
  const side = Math.round(Math.sqrt(nFeatures));
  if (side * side !== nFeatures) {
    throw new Error(`a CNN needs image-shaped features: ${nFeatures} features is not a square; add a reshape node to set the feature shape`);
  }
  return [side, side, 1];
}

/** Checks the spec suits the task before anything is built. */
export function checkSpecForTask(spec: ModelSpec, task: TaskKind): void {
  if (spec.family === 'linear' && task === 'classification') {
    throw new Error('Linear regression predicts a number but the target is a class: use logistic regression or an MLP');
  }
  if (spec.family === 'logistic' && task === 'regression') {
    throw new Error('Logistic regression predicts a class but the target is numeric (regression): use linear regression or an MLP');
  }
}

/** Gradient kernels that training a layer needs, by tfjs layer class (dense layers need only what every backend has). */
export const GRADIENT_KERNELS_BY_LAYER: Readonly<Record<string, readonly string[]>> = {
  Conv2D: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  MaxPooling2D: ['MaxPoolGrad'],
  AveragePooling2D: ['AvgPoolGrad'],
};

/** The gradient kernels training this spec's network needs (mirrors buildNetwork's layers; a test checks they agree). */
export function trainingGradientKernels(spec: ModelSpec): string[] {
  if (spec.family !== 'cnn') return [];
  const h = cnnHyper(spec);
  return [...GRADIENT_KERNELS_BY_LAYER.Conv2D, ...(h.pool > 1 ? GRADIENT_KERNELS_BY_LAYER.MaxPooling2D : [])];
}

/** Number of trainable parameters the spec will have, computed without allocating anything. */
export function estimateParamCount(spec: ModelSpec, nFeatures: number, nOutputs: number, featureShape?: number[]): number {
  const dense = (inputs: number, units: number) => inputs * units + units;
  switch (spec.family) {
    case 'linear':
    case 'logistic':
      return dense(nFeatures, nOutputs);
    case 'mlp': {
      const { layers } = mlpHyper(spec);
      let total = 0;
      let width = nFeatures;
      for (const units of layers) {
        total += dense(width, units);
        width = units;
      }
      return total + dense(width, nOutputs);
    }
    case 'cnn': {
      const h = cnnHyper(spec);
      let [rows, cols, channels] = imageShape(nFeatures, featureShape);
      let total = 0;
      for (const filters of h.filters) {
        total += h.kernel * h.kernel * channels * filters + filters;
        channels = filters;
        if (rows >= h.pool && cols >= h.pool && h.pool > 1) {
          rows = Math.floor(rows / h.pool);
          cols = Math.floor(cols / h.pool);
        }
      }
      const flat = rows * cols * channels;
      return total + dense(flat, h.dense) + dense(h.dense, nOutputs);
    }
  }
}

export interface BuildOptions {
  spec: ModelSpec;
  nFeatures: number;
  featureShape?: number[];
  /** Classes (classification) or 1 (regression). */
  nOutputs: number;
  task: TaskKind;
  seed: number;
}

export function buildNetwork(options: BuildOptions): TF.Sequential {
  const { spec, nFeatures, nOutputs, task, seed } = options;
  if (!Number.isInteger(nFeatures) || nFeatures < 1) throw new Error(`the dataset has no features (got ${nFeatures})`);
  checkSpecForTask(spec, task);
  const t = tf();
  let layerIndex = 0;
  const kernel = () => t.initializers.glorotUniform({ seed: mixSeed(seed, ++layerIndex) });
  const regularizer = (l2: number) => (l2 > 0 ? t.regularizers.l2({ l2 }) : undefined);
  const outputActivation = task === 'classification' ? 'softmax' : 'linear';
  const model = t.sequential();
  const output = (l2: number, inputShape?: number[]) =>
    t.layers.dense({
      units: nOutputs,
      activation: outputActivation,
      kernelInitializer: kernel(),
      kernelRegularizer: regularizer(l2),
      inputShape,
      name: 'output',
    });

  switch (spec.family) {
    case 'linear':
    case 'logistic':
      model.add(output(num(spec.hyper, 'l2', 0), [nFeatures]));
      break;
    case 'mlp': {
      const h = mlpHyper(spec);
      h.layers.forEach((units, i) => {
        model.add(
          t.layers.dense({
            units,
            activation: h.activation,
            kernelInitializer: kernel(),
            kernelRegularizer: regularizer(h.l2),
            inputShape: i === 0 ? [nFeatures] : undefined,
          }),
        );
        if (h.dropout > 0) model.add(t.layers.dropout({ rate: h.dropout }));
      });
      model.add(output(h.l2, h.layers.length === 0 ? [nFeatures] : undefined));
      break;
    }
    case 'cnn': {
      const h = cnnHyper(spec);
      const shape = imageShape(nFeatures, options.featureShape);
      model.add(t.layers.reshape({ targetShape: shape, inputShape: [nFeatures] }));
      let [rows, cols] = shape;
      for (const filters of h.filters) {
        model.add(
          t.layers.conv2d({
            filters,
            kernelSize: h.kernel,
            padding: 'same',
            activation: h.activation,
            kernelInitializer: kernel(),
            kernelRegularizer: regularizer(h.l2),
          }),
        );
        // Pool only while the image is still big enough to halve.
        if (rows >= h.pool && cols >= h.pool && h.pool > 1) {
          model.add(t.layers.maxPooling2d({ poolSize: h.pool }));
          rows = Math.floor(rows / h.pool);
          cols = Math.floor(cols / h.pool);
        }
      }
      model.add(t.layers.flatten());
      model.add(t.layers.dense({ units: h.dense, activation: h.activation, kernelInitializer: kernel(), kernelRegularizer: regularizer(h.l2) }));
      if (h.dropout > 0) model.add(t.layers.dropout({ rate: h.dropout }));
      model.add(output(h.l2));
      break;
    }
    default:
      throw new Error(`unknown model family "${String((spec as ModelSpec).family)}"`);
  }
  return model;
}
