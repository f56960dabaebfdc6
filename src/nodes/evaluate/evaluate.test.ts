import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import type { Metrics, TrainedModel } from '../../data/types';
import { blobsDataset, makeDataset, numberColumn, runNode, setupCpuTf, simplePartitions } from '../../ml/test-helpers';
import { train } from '../train/train';
import { evaluate } from './evaluate';

let tf: typeof TF;
let model: TrainedModel;
const data = blobsDataset(40);

beforeAll(async () => {
  tf = await setupCpuTf();
  const out = await runNode(train, { data, spec: { family: 'mlp', hyper: { layers: [8] } } }, { params: { epochs: 60, learningRate: 0.05 } });
  model = out.model as TrainedModel;
});
afterAll(() => model.dispose());

async function metricsOf(params: Record<string, unknown> = {}, dataset = data, m = model): Promise<Metrics> {
  return (await runNode(evaluate, { model: m, data: dataset }, { params })).metrics as Metrics;
}

describe('evaluate.metrics', () => {
  it('scores the test partition of a classification model without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const m = await metricsOf();
    expect(tf.memory().numTensors).toBe(before);
    expect(m.task).toBe('classification');
    expect(m.partition).toBe('test');
    expect(m.scalars.rows).toBe(data.partitions!.test.length);
    expect(m.scalars.accuracy).toBe(1);
    expect(m.scalars.auc).toBe(1);
    expect(m.confusion!.labels).toEqual(['a', 'b', 'c']);
    expect(m.confusion!.matrix.flat().reduce((a, b) => a + b, 0)).toBe(m.scalars.rows);
    expect(m.perClass!.map((c) => c.support).reduce((a, b) => a + b, 0)).toBe(m.scalars.rows);
    expect(m.roc).toHaveLength(3);
    expect(m.calibration!.bins.reduce((sum, b) => sum + b.count, 0)).toBe(m.scalars.rows);
    expect(m.predictions![0].row).toBe(data.partitions!.test[0]);
    expect(evaluate.summarize!({ metrics: m } as never, {} as never).text).toBe(`accuracy 1.000 on test (${m.scalars.rows} rows)`);
  });

  it('scores other partitions and caps the predictions table', async () => {
    const m = await metricsOf({ partition: 'train', maxRows: 10 });
    expect(m.partition).toBe('train');
    expect(m.scalars.rows).toBe(data.partitions!.train.length);
    expect(m.predictions).toHaveLength(10);
  });

  it('reports R², MAE, RMSE and residuals for a regression model in the target units', async () => {
    const x = Array.from({ length: 100 }, (_, i) => i / 10);
    const regData = makeDataset([numberColumn('x', x), numberColumn('y', x.map((v) => 2 * v - 50))], 'y');
    const reg = (await runNode(train, { data: regData, spec: { family: 'linear', hyper: {} } }, { params: { epochs: 200, learningRate: 0.05 } })).model as TrainedModel;
    const m = await metricsOf({}, regData, reg);
    reg.dispose();
    expect(m.task).toBe('regression');
    expect(m.scalars.r2).toBeGreaterThan(0.99);
    expect(m.scalars.mae).toBeLessThan(0.5);
    expect(m.residuals!.length).toBe(m.scalars.rows);
    expect(evaluate.summarize!({ metrics: m } as never, {} as never).text).toMatch(/^R² (0\.99\d|1\.000), RMSE [\d.]+ on test \(20 rows\)$/);
  });

  describe('bad input', () => {
    it('rejects an empty partition', async () => {
      const noValidation = { ...data, partitions: simplePartitions(data.table.rowCount, false) };
      await expect(metricsOf({ partition: 'validation' }, noValidation)).rejects.toThrow(/validation partition is empty/);
      await expect(metricsOf({}, { ...data, partitions: null })).rejects.toThrow(/test partition is empty \(no split node upstream\)/);
    });

    it('rejects a dataset with another target or other features', async () => {
      await expect(metricsOf({}, { ...data, roles: { features: ['x', 'y'], target: null } })).rejects.toThrow(/predicts "label" but the dataset's target is not set/);
      const extra = makeDataset([...data.table.columns, numberColumn('z', new Array(data.table.rowCount).fill(1))], 'label', data.partitions);
      await expect(metricsOf({}, extra)).rejects.toThrow(/features \(x, y, z\) differ from the model's \(x, y\)/);
    });
  });
});
