/**
 * Batches built on demand from the columns (big tables) must be the batches the tensor path
 * gathers, value for value, so training gives the same numbers either way; and they must keep
 * tensor memory to about one batch, whatever the table's size.
 */
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Column, Dataset, ModelSpec } from '../data/types';
import { epochOrder, type Batch } from './batches';
import { blobsDataset, makeDataset, setupCpuTf, simplePartitions } from './test-helpers';
import { TrainingSession, estimateTrainingDataBytes, prepareTrainingData, type PreparedData, type PrepareOptions } from './train';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

/** `rows` rows × `features` seeded numeric features and a numeric target (y = a linear mix plus noise). */
function generated(rows: number, features: number, seed = 3): Dataset {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const columns: Column[] = [];
  const target = new Float64Array(rows);
  for (let j = 0; j < features; j++) {
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      values[i] = random() * 10 - 5 + j / 7;
      target[i] += values[i] * ((j % 3) - 1);
    }
    columns.push({ name: `f${j}`, dtype: 'number', values });
  }
  for (let i = 0; i < rows; i++) target[i] += random();
  columns.push({ name: 'y', dtype: 'number', values: target });
  return makeDataset(columns, 'y');
}

function arrays(batch: Batch): number[][] {
  return [batch.xs, batch.ys, ...(batch.weights ? [batch.weights] : [])].map((t) => Array.from(t.dataSync()));
}

function both(dataset: Dataset, options: Omit<PrepareOptions, 'storage'>): [PreparedData, PreparedData] {
  return [prepareTrainingData(dataset, { ...options, storage: 'tensors' }), prepareTrainingData(dataset, { ...options, storage: 'columns' })];
}

const mlp: ModelSpec = { family: 'mlp', hyper: { layers: [16, 8], activation: 'relu', dropout: 0, l2: 0 } };

describe('ColumnarBatchSource', () => {
  it('yields the same batches as the tensor source for the same seed (classification with class weights, regression, validation)', () => {
    const cases: [Dataset, Omit<PrepareOptions, 'storage'>][] = [
      [blobsDataset(60), { task: 'auto', validationFraction: 0, classWeights: 'balanced', seed: 9 }],
      [generated(700, 6), { task: 'regression', validationFraction: 0.2, classWeights: 'none', seed: 4 }],
    ];
    for (const [dataset, options] of cases) {
      const [tensors, columns] = both(dataset, options);
      try {
        expect([tensors.storage, columns.storage]).toEqual(['tensors', 'columns']);
        expect(columns.trainCount).toBe(tensors.trainCount);
        const order = epochOrder(tensors.train.rows, options.seed, 1);
        for (let start = 0; start < order.length; start += 64) {
          const positions = order.subarray(start, Math.min(order.length, start + 64));
          tf.tidy(() => {
            expect(arrays(columns.train.take(positions))).toEqual(arrays(tensors.train.take(positions)));
          });
        }
        tf.tidy(() => {
          expect(arrays(columns.train.range(3, 40))).toEqual(arrays(tensors.train.range(3, 40)));
        });
        if (tensors.validation) {
          const rows = tensors.validation.rows;
          tf.tidy(() => {
            expect(arrays(columns.validation!.range(0, rows))).toEqual(arrays(tensors.validation!.range(0, rows)));
          });
        }
      } finally {
        tensors.dispose();
        columns.dispose();
      }
    }
  });

  it('trains to the same history and weights as the tensor path', async () => {
    const [tensors, columns] = both(generated(400, 5), { task: 'regression', validationFraction: 0.25, classWeights: 'none', seed: 2 });
    const run = async (data: PreparedData) => {
      const session = new TrainingSession(data, { spec: mlp, optimizer: 'adam', learningRate: 0.01, batchSize: 32, patience: 0, monitor: 'val_loss', restoreBest: false, seed: 2 });
      await session.run(3);
      const weights = session.network.getWeights().map((w) => Array.from(w.dataSync()));
      const history = session.history;
      session.dispose();
      data.dispose();
      return { history, weights };
    };
    expect(await run(columns)).toEqual(await run(tensors));
  });

  it('keeps tensor memory to about one batch on a 200k-row table (the tensor path holds the whole partition)', async () => {
    const dataset = generated(200_000, 20);
    const options = { task: 'regression' as const, validationFraction: 0, classWeights: 'none' as const, seed: 1, batchSize: 1024 };
    const partitionBytes = 200_000 * 0.6 * (20 + 1) * 4;
    const before = tf.memory().numBytes;
    const peakOf = async (data: PreparedData) => {
      const session = new TrainingSession(data, { spec: mlp, optimizer: 'adam', learningRate: 0.01, batchSize: 1024, patience: 0, monitor: 'loss', restoreBest: false, seed: 1 });
      await session.run(1);
      const peak = session.peakTensorBytes;
      session.dispose();
      data.dispose();
      return peak;
    };
    const columns = prepareTrainingData(dataset, { ...options, storage: 'columns' });
    expect(columns.trainCount).toBe(120_000);
    const columnsPeak = (await peakOf(columns)) - before;
    const tensorsPeak = (await peakOf(prepareTrainingData(dataset, { ...options, storage: 'tensors' }))) - before;
    // One batch of 1024 × 21 float32 is 86 KB; weights, Adam moments and activations add a few hundred KB.
    expect(columnsPeak).toBeLessThan(2 * 2 ** 20);
    expect(tensorsPeak).toBeGreaterThan(partitionBytes);
    expect(tf.memory().numBytes).toBe(before);
  }, 120_000);

  it('a table above the tensor limit is read from its columns; one over the budget is refused, with the reason, before anything is built', () => {
    const dataset = generated(2000, 4);
    const tensorsBefore = tf.memory().numTensors;
    expect(() => prepareTrainingData(dataset, { task: 'regression', validationFraction: 0, classWeights: 'none', seed: 1, memoryBudgetBytes: 50_000 })).toThrow(
      /the training data does not fit: 1,600 rows × 4 features need about 1 MB \(as tensors\), more than the 1 MB budget\. Sample rows/,
    );
    expect(() =>
      prepareTrainingData(dataset, { task: 'regression', validationFraction: 0, classWeights: 'none', seed: 1, storage: 'columns', batchSize: 5000, memoryBudgetBytes: 50_000 }),
    ).toThrow(/batches of 1,200 rows built from the columns/);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // A classifier's targets count too (one output per class): the reason names them.
    const labels = Array.from({ length: 301 }, (_, i) => `c${i}`);
    const classes = makeDataset(
      [
        { name: 'x', dtype: 'number', values: Float64Array.from({ length: 3000 }, (_, i) => i) },
        { name: 'label', dtype: 'category', categories: labels, codes: Int32Array.from({ length: 3000 }, (_, i) => i % 301) },
      ],
      'label',
      simplePartitions(3000, false),
    );
    expect(() => prepareTrainingData(classes, { task: 'classification', validationFraction: 0, classWeights: 'none', seed: 1, batchSize: 3000, memoryBudgetBytes: 2 ** 20 })).toThrow(
      /the training data does not fit: 2,400 rows × 1 feature and 301 classes \(one output each\) need about 6 MB \(as tensors\), more than the 1 MB budget\./,
    );
    // The estimate the choice is made from: 1M rows × 20 features as tensors passes 64 MB, so those train from columns.
    expect(estimateTrainingDataBytes('tensors', 1_000_000, 20, 1, false, 1024) / 2).toBeGreaterThan(64 * 2 ** 20);
    expect(estimateTrainingDataBytes('columns', 1_000_000, 20, 1, false, 1024)).toBeLessThan(16 * 2 ** 20);
  });
});
