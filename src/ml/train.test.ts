/**
 * The training loop itself (the Train node's tests cover its params and messages): it must
 * compute what tfjs's model.fit computed for the same batches, stop within one batch when
 * cancelled, and leave no tensor behind whichever way it ends.
 */
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryPoint, ModelSpec } from '../data/types';
import { TensorBatchSource, epochOrder } from './batches';
import { buildNetwork } from './build';
import { createUpdater, type OptimizerName } from './optimizers';
import { mixSeed, seededRandom, shuffled } from '../data/random';
import { blobsDataset, makeDataset, numberColumn, setupCpuTf } from './test-helpers';
import { CancelledError, DivergedError, TrainingSession, prepareTrainingData, type PreparedData, type SessionOptions } from './train';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

const mlp: ModelSpec = { family: 'mlp', hyper: { layers: [8, 6], activation: 'relu', dropout: 0, l2: 0 } };

function options(overrides: Partial<SessionOptions> = {}): SessionOptions {
  return { spec: mlp, optimizer: 'adam', learningRate: 0.01, batchSize: 16, patience: 0, monitor: 'val_loss', restoreBest: false, seed: 5, ...overrides };
}

function prepare(classWeights: 'none' | 'balanced' = 'none'): PreparedData {
  return prepareTrainingData(blobsDataset(30), { task: 'auto', validationFraction: 0, classWeights, seed: 5 });
}

/** What the loop replaced: model.fit, one epoch per call, on the rows in the same seeded order. */
async function fitReference(data: PreparedData, opts: SessionOptions, epochs: number): Promise<{ history: HistoryPoint[]; weights: number[][] }> {
  const network = buildNetwork({ spec: opts.spec, nFeatures: data.nFeatures, nOutputs: data.nOutputs, task: data.task, seed: opts.seed });
  const optimizer = opts.optimizer === 'sgd' ? tf.train.sgd(opts.learningRate) : opts.optimizer === 'rmsprop' ? tf.train.rmsprop(opts.learningRate) : tf.train.adam(opts.learningRate);
  network.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const train = data.train.range(0, data.train.rows);
  const validation = data.validation!.range(0, data.validation!.rows);
  const classWeight = data.classWeight ? Object.fromEntries(data.classWeight.map((w, c) => [c, w])) : undefined;
  const history: HistoryPoint[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const indices = tf.tensor1d(epochOrder(data.train.rows, opts.seed, epoch), 'int32');
    const xs = tf.gather(train.xs, indices);
    const ys = tf.gather(train.ys, indices);
    const h = await network.fit(xs, ys, { batchSize: opts.batchSize, epochs: 1, shuffle: false, verbose: 0, classWeight, validationData: [validation.xs, validation.ys] });
    tf.dispose([indices, xs, ys]);
    history.push({ epoch, loss: Number(h.history.loss[0]), acc: Number(h.history.acc[0]), val_loss: Number(h.history.val_loss[0]), val_acc: Number(h.history.val_acc[0]) });
  }
  const weights = network.getWeights().map((w) => Array.from(w.dataSync()));
  optimizer.dispose();
  network.dispose();
  return { history, weights };
}

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]) / Math.max(1, Math.abs(expected[i]))));
  expect(worst).toBeLessThan(tolerance);
}

describe('TrainingSession', () => {
  const cases: { optimizer: OptimizerName; classWeights: 'none' | 'balanced'; l2: number }[] = [
    { optimizer: 'adam', classWeights: 'none', l2: 0 },
    { optimizer: 'adam', classWeights: 'balanced', l2: 0.01 },
    { optimizer: 'sgd', classWeights: 'none', l2: 0.01 },
    { optimizer: 'rmsprop', classWeights: 'none', l2: 0 },
  ];
  for (const c of cases) {
    it(`computes what model.fit computed for the same batches (${c.optimizer}, class weights ${c.classWeights}, l2 ${c.l2})`, async () => {
      const before = tf.memory().numTensors;
      const data = prepare(c.classWeights);
      const opts = options({ optimizer: c.optimizer, spec: { ...mlp, hyper: { ...mlp.hyper, l2: c.l2 } } });
      const reference = await fitReference(data, opts, 4);
      const session = new TrainingSession(data, opts);
      await session.run(4);
      for (const key of ['loss', 'acc', 'val_loss', 'val_acc'] as const) {
        expectClose(
          session.history.map((h) => h[key]),
          reference.history.map((h) => h[key]),
          1e-5,
        );
      }
      expectClose(session.network.getWeights().flatMap((w) => Array.from(w.dataSync())), reference.weights.flat(), 1e-5);
      session.dispose();
      data.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('restores the best weights, stops early, and leaves only the network allocated', async () => {
    const before = tf.memory().numTensors;
    const data = prepare();
    const session = new TrainingSession(data, options({ learningRate: 0.05, patience: 3, restoreBest: true, monitor: 'val_loss' }));
    await session.run(300);
    expect(session.stoppedEarly).toBe(true);
    expect(session.epoch).toBe(session.bestEpoch + 3);
    session.finish();
    const best = session.history.find((h) => h.epoch === session.bestEpoch)!;
    // The restored network scores the best epoch's validation loss again.
    const validation = data.validation!;
    const loss = tf.tidy(() => {
      const { xs, ys } = validation.range(0, validation.rows);
      return tf.metrics.categoricalCrossentropy(ys, session.network.predict(xs) as TF.Tensor).mean().dataSync()[0];
    });
    expect(loss).toBeCloseTo(best.val_loss, 5);
    data.dispose();
    expect(tf.memory().numTensors).toBe(before + session.network.getWeights().length);
    session.network.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops within one batch when cancelled, leaving no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const data = prepare();
    const controller = new AbortController();
    const batches: string[] = [];
    const session = new TrainingSession(
      data,
      options({
        batchSize: 2,
        signal: controller.signal,
        batchProgressEvery: 1,
        onBatch: (epoch, batch) => {
          batches.push(`${epoch}:${batch}`);
          if (epoch === 2 && batch === 5) controller.abort();
        },
      }),
    );
    const weightsAt = () => session.network.getWeights().flatMap((w) => Array.from(w.dataSync()));
    let weightsWhenCancelled: number[] = [];
    controller.signal.addEventListener('abort', () => (weightsWhenCancelled = weightsAt()));
    await expect(session.run(10)).rejects.toBeInstanceOf(CancelledError);
    expect(batches.at(-1)).toBe('2:5');
    expect(session.epoch).toBe(2);
    // Not one more update after the cancel.
    expect(weightsAt()).toEqual(weightsWhenCancelled);
    session.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says the training diverged and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const x = Array.from({ length: 50 }, (_, i) => i);
    const dataset = makeDataset([numberColumn('x', x.map((v) => v * 1e3)), numberColumn('y', x)], 'y');
    const data = prepareTrainingData(dataset, { task: 'regression', validationFraction: 0, classWeights: 'none', seed: 1 });
    const session = new TrainingSession(data, options({ spec: { family: 'linear', hyper: {} }, optimizer: 'sgd', learningRate: 1 }));
    await expect(session.run(50)).rejects.toBeInstanceOf(DivergedError);
    session.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('visits rows in the seeded order of the previous loop, a fresh permutation each epoch', () => {
    const old = (n: number, seed: number, epoch: number) => shuffled(Uint32Array.from({ length: n }, (_, i) => i), seededRandom(mixSeed(seed, epoch)));
    expect(Array.from(epochOrder(50, 42, 3))).toEqual(old(50, 42, 3));
    expect(Array.from(epochOrder(50, 42, 3)).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(epochOrder(50, 42, 4))).not.toEqual(Array.from(epochOrder(50, 42, 3)));
  });
});

describe('TensorBatchSource', () => {
  it('gathers shuffled rows, slices ranges, and hands out its own tensors for the whole table', () => {
    const x = tf.tensor2d([[0], [1], [2], [3]]);
    const y = tf.tensor2d([[10], [11], [12], [13]]);
    const weights = tf.tensor1d([0.5, 1, 1.5, 2]);
    const source = new TensorBatchSource(x, y, weights);
    tf.tidy(() => {
      const batch = source.take(Int32Array.from([3, 0]));
      expect(Array.from(batch.xs.dataSync())).toEqual([3, 0]);
      expect(Array.from(batch.ys.dataSync())).toEqual([13, 10]);
      expect(Array.from(batch.weights!.dataSync())).toEqual([2, 0.5]);
      expect(Array.from(source.range(1, 3).ys.dataSync())).toEqual([11, 12]);
      expect(source.range(0, 4).xs).toBe(x);
    });
    expect(x.isDisposed).toBe(false);
    source.dispose();
    expect([x.isDisposed, y.isDisposed, weights.isDisposed]).toEqual([true, true, true]);
  });
});

describe('flat optimizers', () => {
  for (const name of ['adam', 'rmsprop', 'sgd'] as const) {
    it(`${name} updates every weight exactly as tf.train.${name} does`, () => {
      const before = tf.memory().numTensors;
      const shapes = [[3, 4], [4], [2, 2, 2]];
      const start = shapes.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', i + 1));
      const ours = start.map((t) => t.variable());
      const theirs = start.map((t) => t.variable());
      const updater = createUpdater(name, 0.01, ours);
      const reference = name === 'sgd' ? tf.train.sgd(0.01) : name === 'rmsprop' ? tf.train.rmsprop(0.01) : tf.train.adam(0.01);
      for (let step = 0; step < 5; step++) {
        tf.tidy(() => {
          const grads = shapes.map((shape, i) => tf.randomNormal(shape, 0, 1, 'float32', 100 * step + i));
          updater.apply(grads);
          reference.applyGradients(theirs.map((v, i) => ({ name: v.name, tensor: grads[i] })));
        });
      }
      ours.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(theirs[i].dataSync())));
      updater.dispose();
      reference.dispose();
      tf.dispose([...start, ...ours, ...theirs]);
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
