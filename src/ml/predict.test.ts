import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { appendTransform, fitRows } from '../data/dataset';
import { fitEncode, fitImpute, fitScale, RecordError } from '../data/transforms';
import type { Dataset, ModelArtifact, TrainedModel } from '../data/types';
import { train } from '../nodes/train/train';
import { featureMatrix } from './data';
import { networkOutputs } from './infer';
import { createPredictor } from './predict';
import { blobsDataset, categoryColumn, makeDataset, numberColumn, runNode, setupCpuTf } from './test-helpers';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

/** A penguin-like dataset: a categorical feature, a numeric one with gaps, through impute → one-hot → scale. */
function preparedDataset(): Dataset {
  const n = 60;
  const island = Array.from({ length: n }, (_, i) => ['Biscoe', 'Dream', 'Torgersen'][i % 3]);
  const mass = Array.from({ length: n }, (_, i) => (i % 7 === 3 ? NaN : 3000 + (i % 3) * 1000 + (i % 5) * 10));
  const species = island.map((isl) => (isl === 'Biscoe' ? 'Gentoo' : 'Adelie'));
  let data = makeDataset([categoryColumn('island', island), numberColumn('mass', mass), categoryColumn('species', species)], 'species');
  const step = (kind: string, state: Record<string, unknown>) => {
    data = appendTransform(data, { kind, fittedOn: fitRows(data).fittedOn, state });
  };
  step('impute', { ...fitImpute(data.table, fitRows(data).rows, ['mass'], 'median', '') });
  step('onehot', { ...fitEncode(data.table, fitRows(data).rows, ['island'], 'onehot') });
  step('scale', { ...fitScale(data.table, fitRows(data).rows, data.roles.features, 'standard') });
  return data;
}

async function trained(data: Dataset, spec = { family: 'mlp' as const, hyper: { layers: [8] } }): Promise<TrainedModel> {
  return (await runNode(train, { data, spec }, { params: { epochs: 30, learningRate: 0.05 } })).model as TrainedModel;
}

describe('createPredictor', () => {
  it('applies the fitted chain to raw records and matches the network on the transformed rows', async () => {
    const data = preparedDataset();
    const model = await trained(data);
    const before = tf.memory().numTensors;
    const predictor = await createPredictor(model.artifact);
    const weights = (model.network as TF.LayersModel).getWeights().length;
    expect(tf.memory().numTensors).toBe(before + weights);

    const rows = [0, 1, 2, 3];
    const matrix = featureMatrix(data, rows);
    const expected = networkOutputs(model.network as TF.LayersModel, matrix.values, matrix.rows, matrix.cols);
    const island = data.rawSchema.find((s) => s.name === 'island');
    expect(island?.dtype).toBe('category');
    const raw = [
      { island: 'Biscoe', mass: 3000 },
      { island: 'Dream', mass: '4010' },
      { island: 'Torgersen', mass: 5020 },
      { island: 'Biscoe', mass: null }, // row 3 had a gap: the imputer fills it
    ];
    const predicting = performance.now();
    const results = predictor.predict(raw);
    const wall = performance.now() - predicting;
    results.forEach((r, i) => {
      const classes = model.artifact.target.classes!;
      classes.forEach((label, c) => expect(r.probabilities![label]).toBeCloseTo(expected[i * classes.length + c], 5));
      expect(r.prediction).toBe(i % 3 === 0 ? 'Gentoo' : 'Adelie');
      // This call's duration, not a timestamp: between 0 and its wall time.
      expect(r.latencyMs).toBeGreaterThanOrEqual(0);
      expect(r.latencyMs).toBeLessThanOrEqual(Math.ceil(wall) + 1);
    });
    expect(tf.memory().numTensors).toBe(before + weights);

    predictor.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => predictor.predict(raw)).toThrow(/disposed/);
    model.dispose();
  });

  it('warns about an unseen category and rejects records that do not fit the schema', async () => {
    const model = await trained(preparedDataset());
    const predictor = await createPredictor(model.artifact, model.network as TF.LayersModel);
    const [unseen] = predictor.predict([{ island: 'Atlantis', mass: 4000 }]);
    expect(unseen.warnings?.join(' ')).toMatch(/Atlantis/);
    expect(() => predictor.predict([{ island: 'Dream', mass: 'heavy' }])).toThrow(RecordError);
    expect(() => predictor.predict([{ mass: 4000 }])).toThrow(/island: is required/);
    expect(predictor.predict([])).toEqual([]);
    // A predictor built on a live network does not own it.
    predictor.dispose();
    expect(() => (model.network as TF.LayersModel).predict(tf.zeros([1, model.artifact.featureNames.length]))).not.toThrow();
    model.dispose();
  });

  it('says which feature is missing when the chain has no imputer for it', async () => {
    const model = await trained(blobsDataset());
    const predictor = await createPredictor(model.artifact);
    expect(() => predictor.predict([{ x: 1, y: null }])).toThrow(/y: is required/);
    predictor.dispose();
    model.dispose();
  });

  it('returns regression predictions in the target units', async () => {
    const x = Array.from({ length: 80 }, (_, i) => i / 8);
    const data = makeDataset([numberColumn('x', x), numberColumn('y', x.map((v) => 10 * v + 500))], 'y');
    const model = await trained(data, { family: 'linear', hyper: {} } as never);
    const predictor = await createPredictor(model.artifact);
    const [r] = predictor.predict([{ x: 5 }]);
    expect(r.probabilities).toBeUndefined();
    expect(r.prediction as number).toBeGreaterThan(530);
    expect(r.prediction as number).toBeLessThan(570);
    predictor.dispose();
    model.dispose();
  });

  it('rejects an artifact whose network does not match its feature list', async () => {
    const model = await trained(blobsDataset());
    const broken: ModelArtifact = { ...model.artifact, featureNames: ['x'] };
    const before = tf.memory().numTensors;
    await expect(createPredictor(broken)).rejects.toThrow(/takes 2 inputs but the pipeline produces 1/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
