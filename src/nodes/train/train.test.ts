import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import type { ModelArtifact, ModelSpec, TrainedModel } from '../../data/types';
import type { ModelStore, StoredModelMeta } from '../../engine/services';
import type { ProgressUpdate } from '../../engine/node';
import { blobsDataset, categoryColumn, makeDataset, numberColumn, runNode, setupCpuTf, simplePartitions } from '../../ml/test-helpers';
import { createPredictor } from '../../ml/predict';
import { train } from './train';
import { registerWasmTrainingKernels } from '../../ml/wasm-grads';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

const mlpSpec: ModelSpec = { family: 'mlp', hyper: { layers: [8], activation: 'relu', dropout: 0, l2: 0 } };

async function trainOn(data: unknown, spec: ModelSpec, params: Record<string, unknown> = {}, extra: Parameters<typeof runNode>[2] = {}) {
  const out = await runNode(train, { data, spec }, { params: { epochs: 40, ...params }, ...extra });
  return out.model as TrainedModel;
}

function accuracyOn(model: TrainedModel, xs: number[][], labels: string[]): number {
  const classes = model.artifact.target.classes!;
  const predicted = tf.tidy(() => {
    const out = (model.network as TF.LayersModel).predict(tf.tensor2d(xs)) as TF.Tensor;
    return Array.from(out.argMax(1).dataSync());
  });
  return predicted.filter((p, i) => classes[p] === labels[i]).length / labels.length;
}

describe('train.fit', () => {
  it('learns separable classes, streams progress, and leaves only the network weights allocated', async () => {
    const before = tf.memory().numTensors;
    const updates: ProgressUpdate[] = [];
    const model = await trainOn(blobsDataset(), mlpSpec, { learningRate: 0.05 }, { onProgress: (u) => updates.push(u) });
    const weights = (model.network as TF.LayersModel).getWeights().length;
    expect(tf.memory().numTensors).toBe(before + weights);

    const a = model.artifact;
    expect(a.target).toEqual({ name: 'label', task: 'classification', classes: ['a', 'b', 'c'] });
    expect(a.featureNames).toEqual(['x', 'y']);
    expect(a.weightData.byteLength).toBeGreaterThan(0);
    expect((a.modelTopology as { class_name?: string }).class_name).toBe('Sequential');
    expect(a.history.length).toBe(Number(a.trainParams.epochsRun));
    expect(a.history[0]).toMatchObject({ epoch: 1 });
    expect(a.history[0].val_loss).toBeTypeOf('number');
    expect(a.lineage).toMatchObject({ graphId: 'graph-1', nodeId: 'node-1', datasetHash: 'hand', backend: 'cpu' });
    expect(a.trainParams).toMatchObject({ validationSource: 'partition', task: 'classification', seed: 42 });
    expect(accuracyOn(model, [[0.5, 0.5], [3.5, 2.5], [6.5, 0.5]], ['a', 'b', 'c'])).toBe(1);

    const epochUpdates = updates.filter((u) => u.metrics?.epoch !== undefined);
    expect(epochUpdates.length).toBe(a.history.length);
    expect(epochUpdates[0].metrics).toHaveProperty('val_acc');
    const summary = train.summarize!({ model } as never, {} as never).text;
    expect(summary).toMatch(/^\d+ epochs.*val_loss \d/);
    // A small table's summary holds no clock reading: the same graph and seed read the same.
    expect(summary).not.toContain('first epoch');

    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives identical numbers for the same seed', async () => {
    const run = async () => {
      const model = await trainOn(blobsDataset(), mlpSpec, { epochs: 5, earlyStopping: false });
      const history = model.artifact.history;
      model.dispose();
      return history;
    };
    expect(await run()).toEqual(await run());
  });

  it('without a validation partition trains on every training row and watches the training loss by default', async () => {
    const data = makeDataset(blobsDataset().table.columns, 'label', simplePartitions(120, false));
    const model = await trainOn(data, mlpSpec);
    expect(model.artifact.trainParams).toMatchObject({ validationSource: 'none', validationRows: 0, trainRows: 96, monitor: 'loss' });
    expect(model.artifact.history.every((h) => h.val_loss === undefined)).toBe(true);
    model.dispose();
  });

  it('fits a regression target (standardised inside, reported in the target scale) and holds out validation rows when asked', async () => {
    const x = Array.from({ length: 100 }, (_, i) => i / 10);
    const y = x.map((v) => 3 * v + 100);
    const data = makeDataset([numberColumn('x', x), numberColumn('y', y)], 'y', simplePartitions(100, false));
    const model = await trainOn(data, { family: 'linear', hyper: { l2: 0 } }, { learningRate: 0.05, epochs: 150, validationFraction: 0.15, batchSize: 32 });
    const target = model.artifact.target as { task: string; scale?: { mean: number; std: number } };
    expect(target.task).toBe('regression');
    expect(target.scale!.mean).toBeGreaterThan(100);
    expect(model.artifact.trainParams).toMatchObject({ validationSource: 'holdout', validationRows: 12, monitor: 'val_loss' });
    const predicted = tf.tidy(() => ((model.network as TF.LayersModel).predict(tf.tensor2d([[5]])) as TF.Tensor).dataSync()[0]);
    expect(predicted * target.scale!.std + target.scale!.mean).toBeCloseTo(115, 0);
    model.dispose();
  });

  it('honours balanced class weights and task overrides', async () => {
    const model = await trainOn(blobsDataset(), mlpSpec, { classWeights: 'balanced', epochs: 3, task: 'classification' });
    expect(model.artifact.trainParams.classWeights).toBe('balanced');
    model.dispose();
  });

  it('stops within one batch when cancelled', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let batchesAfterAbort = 0;
    const promise = trainOn(blobsDataset(400), mlpSpec, { batchSize: 4, epochs: 50 }, {
      signal: controller.signal,
      onProgress: (u) => {
        if (controller.signal.aborted && u.message?.includes('batch')) batchesAfterAbort++;
        if (u.message?.includes('batch 40')) controller.abort();
      },
    });
    await expect(promise).rejects.toThrow(/cancelled/);
    expect(batchesAfterAbort).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('saves to the model registry when asked', async () => {
    const saved: ModelArtifact[] = [];
    const store: Partial<ModelStore> = {
      save: async (artifact) => {
        saved.push(artifact);
        return { id: 'model-7', name: artifact.name } as StoredModelMeta;
      },
    };
    const model = await trainOn(blobsDataset(), mlpSpec, { epochs: 2, saveToRegistry: true, modelName: 'blobs' }, { services: { models: store as ModelStore } });
    expect(model.registryId).toBe('model-7');
    expect(saved[0].name).toBe('blobs');
    model.dispose();
    await expect(trainOn(blobsDataset(), mlpSpec, { epochs: 1, saveToRegistry: true })).rejects.toThrow(/not available/);
  });

  describe('bad input', () => {
    const baseline = () => tf.memory().numTensors;

    it('rejects a non-numeric feature', async () => {
      const data = makeDataset([categoryColumn('colour', ['r', 'g', 'r', 'g', 'r', 'g']), categoryColumn('y', ['a', 'b', 'a', 'b', 'a', 'b'])], 'y');
      await expect(trainOn(data, mlpSpec)).rejects.toThrow(/"colour" is category: add an Encode categories node/);
    });

    it('rejects missing feature values', async () => {
      const data = makeDataset([numberColumn('x', [1, NaN, 3, 4, 5, 6, 7, 8]), categoryColumn('y', ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'])], 'y');
      await expect(trainOn(data, mlpSpec)).rejects.toThrow(/missing values.*add a Missing values node/);
    });

    it('rejects a class missing from the training partition', async () => {
      // simplePartitions puts rows 0 and 5 in test: make "c" appear only there.
      const labels = ['c', 'a', 'b', 'a', 'b', 'c', 'a', 'b', 'a', 'b'];
      const data = makeDataset([numberColumn('x', labels.map((_, i) => i)), categoryColumn('y', labels)], 'y');
      await expect(trainOn(data, mlpSpec)).rejects.toThrow(/"c" of "y" never appears in the training partition/);
    });

    it('rejects regression on a text target and a spec that does not fit the task', async () => {
      await expect(trainOn(blobsDataset(), mlpSpec, { task: 'regression' })).rejects.toThrow(/regression needs a numeric target/);
      await expect(trainOn(blobsDataset(), { family: 'linear', hyper: {} })).rejects.toThrow(/use logistic regression/);
    });

    it('rejects a dataset without a target and a model too large for memory', async () => {
      const noTarget = { ...blobsDataset(), roles: { features: ['x', 'y'], target: null } };
      await expect(trainOn(noTarget, mlpSpec)).rejects.toThrow(/no target column/);
      const before = baseline();
      await expect(trainOn(blobsDataset(), { family: 'mlp', hyper: { layers: [4096, 4096, 4096, 4096, 4096] } })).rejects.toThrow(/too large.*parameters/);
      expect(baseline()).toBe(before);
    });

    it('stops and says so when the loss becomes NaN', async () => {
      const before = baseline();
      const x = Array.from({ length: 50 }, (_, i) => i);
      const data = makeDataset([numberColumn('x', x.map((v) => v * 1e3)), numberColumn('y', x)], 'y');
      await expect(trainOn(data, { family: 'linear', hyper: {} }, { optimizer: 'sgd', learningRate: 1 })).rejects.toThrow(/diverged.*lower the learning rate/);
      expect(baseline()).toBe(before);
    });

    it('rejects a CNN whose feature shape does not match', async () => {
      const data = { ...blobsDataset(), featureShape: [3, 3, 1] };
      await expect(trainOn(data, { family: 'cnn', hyper: {} })).rejects.toThrow(/holds 9 values but the dataset has 2 features/);
    });
  });
});

/** 4×4 single-channel images: a bright vertical bar ('v') or horizontal bar ('h'), with seeded noise. */
function barsDataset(perClass = 24) {
  let state = 11;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648) * 0.3;
  };
  const pixels: number[][] = Array.from({ length: 16 }, () => []);
  const labels: string[] = [];
  for (let i = 0; i < perClass * 2; i++) {
    const vertical = i % 2 === 0;
    const line = Math.floor(i / 2) % 4;
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) pixels[r * 4 + c].push(((vertical ? c : r) === line ? 1 : 0) + noise());
    labels.push(vertical ? 'v' : 'h');
  }
  const columns = pixels.map((values, k) => numberColumn(`p${k}`, values));
  return { ...makeDataset([...columns, categoryColumn('bar', labels)], 'bar'), featureShape: [4, 4, 1] };
}

describe('train.fit on wasm', () => {
  beforeAll(async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${process.cwd()}/node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    await tf.setBackend('wasm');
    // As the runtime does when it loads wasm (src/runtime/backend-*.ts).
    registerWasmTrainingKernels(tf);
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('trains a CNN on wasm itself (no cpu fallback), and the model predicts there', async () => {
    const before = tf.memory().numTensors;
    const data = barsDataset();
    const spec: ModelSpec = { family: 'cnn', hyper: { filters: [4], kernel: 3, pool: 2, dense: 8, activation: 'relu', l2: 0 } };
    const backends = new Set<string>();
    const out = await runNode(train, { data, spec }, { params: { epochs: 60, learningRate: 0.01 }, services: { backend: 'wasm' }, onProgress: () => backends.add(tf.getBackend()) });
    const model = out.model as TrainedModel;
    expect([...backends]).toEqual(['wasm']);
    expect(tf.getBackend()).toBe('wasm');
    expect(model.artifact.trainParams.trainedOn).toBeUndefined();
    expect(model.artifact.lineage.backend).toBe('wasm');
    expect(train.summarize!({ model }, {} as never).text).not.toContain('trained on');

    // The live network has learnt the bars.
    const rows = Array.from({ length: data.table.rowCount }, (_, r) => data.table.columns.slice(0, 16).map((c) => (c as { values: Float64Array }).values[r]));
    const labels = Array.from((data.table.columns[16] as { codes: Int32Array }).codes, (code) => ['h', 'v'][code]);
    expect(accuracyOn(model, rows, labels)).toBeGreaterThanOrEqual(0.9);
    // So does a predictor rebuilt from the artifact on wasm (the worker's and CLI's path).
    const predictor = await createPredictor(model.artifact);
    const records = rows.map((row) => Object.fromEntries(row.map((v, k) => [`p${k}`, v])));
    const predicted = predictor.predict(records).map((p) => p.prediction);
    expect(predicted.filter((label, i) => label === labels[i]).length / labels.length).toBeGreaterThanOrEqual(0.9);
    predictor.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves an MLP on wasm', async () => {
    const model = await trainOn(blobsDataset(), mlpSpec, { epochs: 3 }, { services: { backend: 'wasm' } });
    expect(model.artifact.trainParams.trainedOn).toBeUndefined();
    expect(model.artifact.lineage.backend).toBe('wasm');
    expect(train.summarize!({ model }, {} as never).text).not.toContain('trained on');
    model.dispose();
  });
});
