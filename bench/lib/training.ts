/**
 * Training overhead, shared by the Node run and the browser bench worker: the pipeline's
 * Train node (through the Executor, as the app and the CLI run it) against a hand-written
 * tfjs loop on the same rows, model, batch size, epochs and backend.
 *
 * The caller has already activated the backend on `tf` and handed it to the node catalogue.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Dataset, ModelSpec } from '../../src/data/types';
import type { RunEvent } from '../../src/engine/events';
import { Executor } from '../../src/engine/executor';
import type { Graph } from '../../src/engine/graph';
import type { NodeServices } from '../../src/engine/services';
import { createRegistry } from '../../src/nodes';
import { epochOrder } from '../../src/ml/batches';
import { buildNetwork } from '../../src/ml/build';
import { TrainingSession, prepareTrainingData } from '../../src/ml/train';

export interface TrainingSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  hiddenLayers: number[];
}

export const DIGITS_MLP: TrainingSettings = { epochs: 50, batchSize: 32, learningRate: 0.005, hiddenLayers: [64, 32] };

const TARGET = 'target';

/**
 * digits → roles → split (80/0/20) → MLP → train. No validation and no early stopping, so
 * the node does exactly the work the hand loop does: `epochs` epochs over the train rows.
 */
export function digitsTrainingGraph(settings: TrainingSettings, seed = 7): Graph {
  const at = (x: number) => ({ x, y: 0 });
  return {
    id: 'bench-digits-mlp',
    name: `Bench: digits MLP(${settings.hiddenLayers.join(',')})`,
    seed,
    nodes: [
      { id: 'digits', type: 'data.sample', version: 1, params: { name: 'digits' }, position: at(0) },
      { id: 'roles', type: 'prep.roles', version: 1, params: { target: TARGET }, position: at(220) },
      { id: 'split', type: 'prep.split', version: 1, params: { train: 0.8, validation: 0, test: 0.2, stratify: true }, position: at(440) },
      { id: 'mlp', type: 'model.mlp', version: 1, params: { layers: settings.hiddenLayers, activation: 'relu', dropout: 0, l2: 0 }, position: { x: 440, y: 160 } },
      {
        id: 'train',
        type: 'train.fit',
        version: 1,
        params: {
          task: 'classification',
          optimizer: 'adam',
          learningRate: settings.learningRate,
          epochs: settings.epochs,
          batchSize: settings.batchSize,
          validationFraction: 0,
          earlyStopping: false,
          restoreBest: false,
        },
        position: at(660),
      },
    ],
    edges: [
      { id: 'e1', from: { node: 'digits', port: 'table' }, to: { node: 'roles', port: 'table' } },
      { id: 'e2', from: { node: 'roles', port: 'data' }, to: { node: 'split', port: 'data' } },
      { id: 'e3', from: { node: 'split', port: 'data' }, to: { node: 'train', port: 'data' } },
      { id: 'e4', from: { node: 'mlp', port: 'spec' }, to: { node: 'train', port: 'spec' } },
    ],
  };
}

export interface PipelineTiming {
  /** The Train node alone (node-done ms): data to tensors, build, fit, artifact. */
  trainNodeMs: number;
  /** The whole run: sample parse, roles, split, spec, train. */
  runMs: number;
  trainRows: number;
  /** Training accuracy at the last epoch (sanity: both sides learn the same task). */
  finalAccuracy: number;
  /** The split's dataset, so the baseline trains on exactly the same rows. */
  dataset: Dataset;
}

export async function runPipelineTraining(settings: TrainingSettings, services: NodeServices): Promise<PipelineTiming> {
  const executor = new Executor(createRegistry());
  let trainNodeMs = Number.NaN;
  let failure: string | null = null;
  const onEvent = (event: RunEvent) => {
    if (event.type === 'node-done' && event.nodeId === 'train') trainNodeMs = event.ms;
    if (event.type === 'node-error') failure = `${event.nodeId}: ${event.message}`;
  };
  const result = await executor.run(digitsTrainingGraph(settings), { services, onEvent });
  if (!result.ok) throw new Error(`the pipeline run failed (${failure ?? JSON.stringify(result.errors)})`);
  const trained = executor.outputsOf('train');
  const split = executor.outputsOf('split');
  if (!trained || !split) throw new Error('the run finished without train/split outputs');
  const model = trained.outputs.model as { artifact: { history: Record<string, number>[]; trainParams: Record<string, unknown> } };
  const finalAccuracy = Number(model.artifact.history.at(-1)?.acc);
  const dataset = split.outputs.data as Dataset;
  const timing = { trainNodeMs, runMs: result.ms, trainRows: Number(model.artifact.trainParams.trainRows), finalAccuracy, dataset };
  // The baseline needs the split's rows; the model is disposed with the rest of the cache.
  executor.clear();
  return timing;
}

export interface BaselineTiming {
  ms: number;
  finalAccuracy: number;
}

interface HandWrittenSetup {
  xs: TF.Tensor2D;
  ys: TF.Tensor2D;
  model: TF.Sequential;
  dispose(): void;
}

/** Rows → tensors and the same layers (seeded) as the pipeline's MLP, as a person would write them. */
function handWrittenSetup(tf: typeof TF, settings: TrainingSettings, dataset: Dataset): HandWrittenSetup {
  const rows = dataset.partitions?.train;
  if (!rows || rows.length === 0) throw new Error('the dataset has no train partition');
  const columns = dataset.table.columns;
  const features = dataset.roles.features.map((name) => columns.find((c) => c.name === name)!);
  const target = columns.find((c) => c.name === dataset.roles.target);
  if (!target || target.dtype !== 'number') throw new Error('the baseline expects a numeric class target (digits)');
  const x = new Float32Array(rows.length * features.length);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    features.forEach((column, j) => {
      if (column.dtype === 'category' || column.dtype === 'text') throw new Error(`feature ${column.name} is not numeric`);
      x[i * features.length + j] = column.values[row];
    });
    labels[i] = target.values[row];
  });
  const classes = Math.max(...labels) + 1;
  const xs = tf.tensor2d(x, [rows.length, features.length]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes).toFloat() as TF.Tensor2D);
  const model = tf.sequential();
  settings.hiddenLayers.forEach((units, i) =>
    model.add(
      tf.layers.dense({ units, activation: 'relu', inputShape: i === 0 ? [features.length] : undefined, kernelInitializer: tf.initializers.glorotUniform({ seed: i + 1 }) }),
    ),
  );
  model.add(tf.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 99 }) }));
  return {
    xs,
    ys,
    model,
    dispose() {
      xs.dispose();
      ys.dispose();
      model.dispose();
    },
  };
}

function trainAccuracy(tf: typeof TF, setup: HandWrittenSetup): number {
  return tf.tidy(() => {
    const predicted = (setup.model.predict(setup.xs) as TF.Tensor).argMax(1);
    return predicted.equal(setup.ys.argMax(1)).mean().dataSync()[0];
  });
}

/**
 * What a person would write by hand with tfjs: rows → tensors, the same layers and
 * optimizer, one `model.fit` call with tfjs's own shuffling.
 */
export async function runHandWrittenTraining(tf: typeof TF, settings: TrainingSettings, dataset: Dataset): Promise<BaselineTiming> {
  const started = performance.now();
  const setup = handWrittenSetup(tf, settings, dataset);
  const optimizer = tf.train.adam(settings.learningRate);
  setup.model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  try {
    const history = await setup.model.fit(setup.xs, setup.ys, { epochs: settings.epochs, batchSize: settings.batchSize, shuffle: true, verbose: 0 });
    const ms = performance.now() - started;
    const acc = history.history.acc ?? history.history.accuracy;
    return { ms, finalAccuracy: Number(acc?.at(-1)) };
  } finally {
    optimizer.dispose();
    setup.dispose();
  }
}

/**
 * The least a person could write for the same training with tfjs: per batch, gather the
 * shuffled rows and `optimizer.minimize` the loss in one tidy; nothing read back while
 * training (no metrics, no progress, no cancel, no early stopping).
 */
export async function runMinimalLoop(tf: typeof TF, settings: TrainingSettings, dataset: Dataset): Promise<BaselineTiming> {
  const started = performance.now();
  const setup = handWrittenSetup(tf, settings, dataset);
  const optimizer = tf.train.adam(settings.learningRate);
  const variables = setup.model.trainableWeights.map((w) => w.read() as TF.Variable);
  const n = setup.xs.shape[0];
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = tf.util.createShuffledIndices(n);
      for (let start = 0; start < n; start += settings.batchSize) {
        const indices = Int32Array.from(order.subarray(start, Math.min(n, start + settings.batchSize)));
        tf.tidy(() => {
          const index = tf.tensor1d(indices, 'int32');
          const xb = tf.gather(setup.xs, index);
          const yb = tf.gather(setup.ys, index);
          optimizer.minimize(() => tf.metrics.categoricalCrossentropy(yb, setup.model.apply(xb, { training: true }) as TF.Tensor).mean() as TF.Scalar, false, variables);
        });
      }
    }
    const ms = performance.now() - started;
    return { ms, finalAccuracy: trainAccuracy(tf, setup) };
  } finally {
    optimizer.dispose();
    setup.dispose();
  }
}

/**
 * The Train node's previous loop, kept here as the baseline of the new one: per epoch, gather
 * the whole table in the seeded order, then one `model.fit` epoch over it (shuffle off), with
 * a batch callback that yields every 50 ms and watches for a cancel.
 */
export async function runFitPerEpochLoop(tf: typeof TF, settings: TrainingSettings, dataset: Dataset, seed = 7): Promise<BaselineTiming> {
  const started = performance.now();
  const data = prepareTrainingData(dataset, { task: 'classification', validationFraction: 0, classWeights: 'none', seed });
  const network = buildNetwork({ spec: mlpSpec(settings), nFeatures: data.nFeatures, nOutputs: data.nOutputs, task: data.task, seed });
  const optimizer = tf.train.adam(settings.learningRate);
  network.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const { xs: xTrain, ys: yTrain } = data.train.range(0, data.train.rows);
  const signal = new AbortController().signal;
  let accuracy = Number.NaN;
  try {
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const indices = tf.tensor1d(epochOrder(data.train.rows, seed, epoch), 'int32');
      const xs = tf.gather(xTrain, indices);
      const ys = tf.gather(yTrain, indices);
      indices.dispose();
      let lastYield = Date.now();
      try {
        const history = await network.fit(xs, ys, {
          batchSize: settings.batchSize,
          epochs: 1,
          shuffle: false,
          verbose: 0,
          yieldEvery: 'never',
          callbacks: {
            onBatchBegin: async () => {
              if (Date.now() - lastYield > 50) {
                await new Promise<void>((resolve) => setTimeout(resolve, 0));
                lastYield = Date.now();
              }
              if (signal.aborted) network.stopTraining = true;
            },
          },
        });
        accuracy = Number(history.history.acc.at(-1));
      } finally {
        xs.dispose();
        ys.dispose();
      }
    }
    return { ms: performance.now() - started, finalAccuracy: accuracy };
  } finally {
    optimizer.dispose();
    network.dispose();
    data.dispose();
  }
}

/** The new loop alone (TrainingSession on prepared data), timed like runFitPerEpochLoop. */
export async function runTrainingSession(settings: TrainingSettings, dataset: Dataset, seed = 7): Promise<BaselineTiming> {
  const started = performance.now();
  const data = prepareTrainingData(dataset, { task: 'classification', validationFraction: 0, classWeights: 'none', seed });
  const session = new TrainingSession(data, {
    spec: mlpSpec(settings),
    optimizer: 'adam',
    learningRate: settings.learningRate,
    batchSize: settings.batchSize,
    patience: 0,
    monitor: 'loss',
    restoreBest: false,
    seed,
  });
  try {
    await session.run(settings.epochs);
    return { ms: performance.now() - started, finalAccuracy: Number(session.history.at(-1)?.acc) };
  } finally {
    session.dispose();
    data.dispose();
  }
}

function mlpSpec(settings: TrainingSettings): ModelSpec {
  return { family: 'mlp', hyper: { layers: settings.hiddenLayers, activation: 'relu', dropout: 0, l2: 0 } };
}

export interface TrainingComparison {
  backend: string;
  epochs: number;
  batchSize: number;
  trainRows: number;
  pipelineTrainNodeMs: number;
  pipelineRunMs: number;
  handWrittenMs: number;
  /** pipeline Train node ÷ hand-written loop, best of `repeats` each. */
  ratio: number;
  pipelineAccuracy: number;
  handWrittenAccuracy: number;
  repeats: number;
}

/**
 * Alternates hand loop and pipeline `repeats` times after a one-epoch warm-up (kernel
 * compilation, wasm instantiation) and keeps the best of each: both sides get the same chances.
 */
export async function compareTraining(tf: typeof TF, settings: TrainingSettings, services: NodeServices, repeats = 2): Promise<TrainingComparison> {
  const warm = await runPipelineTraining({ ...settings, epochs: 1 }, services);
  await runHandWrittenTraining(tf, { ...settings, epochs: 1 }, warm.dataset);
  let best: PipelineTiming | null = null;
  let bestBaseline: BaselineTiming | null = null;
  for (let i = 0; i < repeats; i++) {
    const baseline = await runHandWrittenTraining(tf, settings, warm.dataset);
    if (!bestBaseline || baseline.ms < bestBaseline.ms) bestBaseline = baseline;
    const pipeline = await runPipelineTraining(settings, services);
    if (!best || pipeline.trainNodeMs < best.trainNodeMs) best = pipeline;
  }
  return {
    backend: tf.getBackend(),
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    trainRows: best!.trainRows,
    pipelineTrainNodeMs: Math.round(best!.trainNodeMs),
    pipelineRunMs: Math.round(best!.runMs),
    handWrittenMs: Math.round(bestBaseline!.ms),
    ratio: best!.trainNodeMs / bestBaseline!.ms,
    pipelineAccuracy: best!.finalAccuracy,
    handWrittenAccuracy: bestBaseline!.finalAccuracy,
    repeats,
  };
}
