import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { createDataset, refitDataset } from '../../data/dataset';
import { getColumn } from '../../data/table';
import type { Dataset, Metrics, NumericColumn, TrainedModel } from '../../data/types';
import { kFolds } from '../../ml/folds';
import { blobsDataset, categoryColumn, numberColumn, runNode, setupCpuTf } from '../../ml/test-helpers';
import { prepEncode } from '../prep/encode';
import { prepScale } from '../prep/scale';
import { prepSplit } from '../prep/split';
import { train } from '../train/train';
import { evaluateCv } from './cv';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

const logistic = { family: 'logistic', hyper: {} };
const quick = { epochs: 80, learningRate: 0.05 };

/** Trains the recipe once, then cross-validates it on the same dataset. */
async function cv(data: Dataset, params: Record<string, unknown> = {}, seed = 42): Promise<Metrics> {
  const model = (await runNode(train, { data, spec: logistic }, { params: quick, seed })).model as TrainedModel;
  try {
    return (await runNode(evaluateCv, { model, data }, { params, seed })).metrics as Metrics;
  } finally {
    model.dispose();
  }
}

/**
 * 120 rows whose only feature is an id ("r000"…"r119", one per row) that says nothing about
 * an unseen row — except through a fitted statistic: an ordinal encoder fitted on ALL rows
 * (placed before the split) gives every row's id a code in sort order, and the class is
 * "is the id below r060". Learned on a fold's training rows only, a held-out id is unknown.
 */
async function idLeakDataset(): Promise<Dataset> {
  const n = 120;
  const ids = Array.from({ length: n }, (_, i) => `r${String(i).padStart(3, '0')}`);
  const table = { columns: [categoryColumn('id', ids), categoryColumn('y', ids.map((_, i) => (i < n / 2 ? 'low' : 'high')))], rowCount: n };
  let data = createDataset(table, 'y', ['id']);
  data = (await runNode(prepEncode, { data }, { params: { method: 'ordinal' } })).data as Dataset; // before the split: fitted on all rows
  data = (await runNode(prepSplit, { data }, { params: { train: 0.8, validation: 0, test: 0.2 } })).data as Dataset;
  return (await runNode(prepScale, { data })).data as Dataset;
}

describe('evaluate.cv', () => {
  it('a feature that leaks only through fitted statistics: the leaky estimate is high, the per-fold refit is not', async () => {
    const data = await idLeakDataset();
    expect(data.transforms.map((t) => [t.kind, t.fittedOn])).toEqual([
      ['ordinal', 'all'],
      ['scale', 'train'],
    ]);
    const leaky = await cv(data, { refit: false });
    const clean = await cv(data, { refit: true });
    expect(leaky.cv!.scalars.accuracy.mean).toBeGreaterThan(0.9);
    // Held-out ids are unknown to an encoder fitted on the fold's rows: no better than chance.
    expect(clean.cv!.scalars.accuracy.mean).toBeLessThan(0.65);
    expect(leaky.cv!.note).toMatch(/NOT refitted.*fitted on all rows.*optimistic/);
    expect(clean.cv!.note).toMatch(/learned again in each fold/);
    expect(evaluateCv.summarize!({ metrics: leaky } as never, { refit: false } as never).text).toMatch(/^5-fold CV accuracy 0\.9\d\d ± 0\.\d{3} · NOT refitted per fold \(leaky\)$/);
  });

  it('refits each fitted step on the fold\'s training rows only (a scale centre is the fold-train mean)', async () => {
    const x = Array.from({ length: 50 }, (_, i) => (i % 7) * 10 + i);
    const table = { columns: [numberColumn('x', x), categoryColumn('y', x.map((_, i) => (i % 2 ? 'a' : 'b')))], rowCount: 50 };
    // Scaled on all rows (before any split), as a leaky pipeline would.
    const data = (await runNode(prepScale, { data: createDataset(table, 'y', ['x']) })).data as Dataset;
    const [fold] = kFolds(Uint32Array.from({ length: 50 }, (_, i) => i), 5, 1);
    const refitted = refitDataset(data, fold.train, { train: fold.train, validation: new Uint32Array(0), test: fold.heldOut });
    const trainMean = Array.from(fold.train, (r) => x[r]).reduce((a, b) => a + b, 0) / fold.train.length;
    const allMean = x.reduce((a, b) => a + b, 0) / x.length;
    expect(refitted.transforms[0].state.centers).toEqual([trainMean]);
    expect(refitted.transforms[0].fittedOn).toBe('train');
    expect((data.transforms[0].state.centers as number[])[0]).toBeCloseTo(allMean, 10);
    expect(trainMean).not.toBeCloseTo(allMean, 3);
    // Applied to every row, from the raw values.
    const scaled = getColumn(refitted.table, 'x') as NumericColumn;
    const s = (refitted.transforms[0].state.scales as number[])[0];
    expect(scaled.values[fold.heldOut[0]]).toBeCloseTo((x[fold.heldOut[0]] - trainMean) / s, 10);
  });

  it('scores every non-test row once per repeat, never the test partition; identical for the same seed', async () => {
    const data = blobsDataset(20);
    const trainVal = data.partitions!.train.length + data.partitions!.validation.length;
    const before = tf.memory().numTensors;
    const a = await cv(data, { folds: 4, repeats: 2 }, 7);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.scalars.rows).toBe(trainVal);
    expect(a.cv!.perFold).toHaveLength(8);
    for (const repeat of [1, 2]) expect(a.cv!.perFold!.filter((f) => f.repeat === repeat).reduce((sum, f) => sum + f.scalars.rows, 0)).toBe(trainVal);
    expect(a.cv!.scalars.accuracy.mean).toBeGreaterThan(0.9);
    expect(a.cv!.scalars.accuracy.sd).toBeGreaterThanOrEqual(0);
    const b = await cv(data, { folds: 4, repeats: 2 }, 7);
    expect(b.cv!.perFold).toEqual(a.cv!.perFold);
    expect(b.cv!.scalars).toEqual(a.cv!.scalars);
  });

  it('reports R² mean ± sd for a regression model', async () => {
    const x = Array.from({ length: 60 }, (_, i) => i / 6);
    const table = { columns: [numberColumn('x', x), numberColumn('y', x.map((v) => 3 * v + 1))], rowCount: 60 };
    const data = (await runNode(prepSplit, { data: createDataset(table, 'y', ['x']) }, { params: { train: 0.8, validation: 0, test: 0.2 } })).data as Dataset;
    const model = (await runNode(train, { data, spec: { family: 'linear', hyper: {} } }, { params: { epochs: 150, learningRate: 0.05 } })).model as TrainedModel;
    const metrics = (await runNode(evaluateCv, { model, data }, { params: { folds: 3 } })).metrics as Metrics;
    model.dispose();
    expect(metrics.task).toBe('regression');
    expect(metrics.cv!.scalars.r2.mean).toBeGreaterThan(0.95);
    expect(evaluateCv.summarize!({ metrics } as never, { refit: true } as never).text).toMatch(/^3-fold CV R² 0\.9\d\d ± 0\.\d{3}$/);
  });
});
