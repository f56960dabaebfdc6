import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import type { Metrics, ModelSpec, TrainedModel } from '../../data/types';
import type { ProgressUpdate } from '../../engine/node';
import { blobsDataset, makeDataset, numberColumn, runNode, setupCpuTf, simplePartitions } from '../../ml/test-helpers';
import { candidates, checkSearchSpace, gridOf, rungBudgets, tuneSearch } from './search';

let tf: typeof TF;
beforeAll(async () => {
  tf = await setupCpuTf();
});

const spec: ModelSpec = { family: 'mlp', hyper: { layers: [4], activation: 'relu', dropout: 0, l2: 0 } };

describe('search helpers', () => {
  it('builds the grid, samples it, and plans halving rungs', () => {
    const space = { learningRate: [0.001, 0.01], layers: [[8], [16, 8], [32]] };
    const grid = gridOf(space);
    expect(grid).toHaveLength(6);
    expect(grid[0]).toEqual({ learningRate: 0.001, layers: [8] });
    expect(grid[5]).toEqual({ learningRate: 0.01, layers: [32] });
    expect(candidates(space, 'grid', 4, 1)).toEqual(grid.slice(0, 4));
    const sampled = candidates(space, 'random', 4, 1);
    expect(sampled).toHaveLength(4);
    expect(new Set(sampled.map((s) => JSON.stringify(s))).size).toBe(4);
    expect(candidates(space, 'random', 4, 1)).toEqual(sampled);
    expect(rungBudgets(150, true)).toEqual([17, 50, 150]);
    expect(rungBudgets(150, false)).toEqual([150]);
    expect(rungBudgets(2, true)).toEqual([1, 2]);
  });

  it('rejects bad search spaces with a message naming the key', () => {
    expect(() => checkSearchSpace([1, 2], 'mlp')).toThrow(/JSON object/);
    expect(() => checkSearchSpace({}, 'mlp')).toThrow(/empty/);
    expect(() => checkSearchSpace({ filters: [[8]] }, 'mlp')).toThrow(/"filters" cannot be searched for a mlp model/);
    expect(() => checkSearchSpace({ learningRate: [] }, 'mlp')).toThrow(/non-empty list/);
    expect(() => checkSearchSpace({ learningRate: [-1] }, 'mlp')).toThrow(/learningRate/);
    expect(() => checkSearchSpace({ optimizer: ['lbfgs'] }, 'logistic')).toThrow(/adam, sgd, rmsprop/);
    expect(checkSearchSpace({ l2: [0, 0.01] }, 'logistic')).toEqual({ l2: [0, 0.01] });
  });
});

describe('tune.search', () => {
  it('searches, prunes with successive halving, returns the best model and the trials, and frees the rest', async () => {
    const before = tf.memory().numTensors;
    const updates: ProgressUpdate[] = [];
    const out = await runNode(
      tuneSearch,
      { data: blobsDataset(), spec },
      { params: { searchSpace: { learningRate: [0.0001, 0.05], layers: [[4], [8]] }, epochs: 9, patience: 50 }, onProgress: (u) => updates.push(u) },
    );
    const model = out.model as TrainedModel;
    const metrics = out.metrics as Metrics;
    const weights = (model.network as TF.LayersModel).getWeights().length;
    expect(tf.memory().numTensors).toBe(before + weights);

    const trials = metrics.trials!;
    expect(trials).toHaveLength(4);
    expect(trials[0].status).toBe('best');
    // Rungs of 1, 3 and 9 epochs: 4 trials → 2 → 1.
    expect(trials.filter((t) => t.status === 'pruned')).toHaveLength(3);
    expect(trials[0].epochs).toBe(9);
    expect(trials[0].params.learningRate).toBe(0.05);
    expect(metrics.scalars.val_loss).toBe(trials[0].score);
    expect(model.artifact.trainParams.tuned).toEqual(trials[0].params);
    expect(model.artifact.spec.hyper.layers).toEqual(trials[0].params.layers);
    expect(updates.some((u) => /trial 1\/4/.test(u.message ?? ''))).toBe(true);
    expect(tuneSearch.summarize!(out as never, {} as never).text).toMatch(/^best of 4: learningRate 0.05/);

    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('maximises validation accuracy when asked, without halving', async () => {
    const out = await runNode(tuneSearch, { data: blobsDataset(), spec }, { params: { searchSpace: { l2: [0, 0.001] }, epochs: 3, halving: false, metric: 'val_accuracy' } });
    const metrics = out.metrics as Metrics;
    expect(metrics.trials!.every((t) => t.epochs === 3)).toBe(true);
    expect(metrics.trials![0].score).toBeGreaterThanOrEqual(metrics.trials![1].score);
    expect(metrics.trials![0].score).toBeLessThanOrEqual(1);
    (out.model as TrainedModel).dispose();
  });

  it('ranks the finished trials by k-fold CV on the non-test rows when score is cv, the same for the same seed', async () => {
    const before = tf.memory().numTensors;
    const run = () =>
      runNode(tuneSearch, { data: blobsDataset(), spec }, { params: { searchSpace: { learningRate: [0.0001, 0.05] }, epochs: 4, halving: false, score: 'cv', folds: 3 } });
    const out = await run();
    const metrics = out.metrics as Metrics;
    const trials = metrics.trials!;
    expect(trials.map((t) => t.status)).toEqual(['best', 'done']);
    for (const t of trials) expect(t.cv).toMatchObject({ metric: 'accuracy', folds: 3 });
    // The best is the largest CV mean, whatever the validation loss says.
    expect(trials[0].cv!.mean).toBeGreaterThanOrEqual(trials[1].cv!.mean);
    expect(metrics.scalars.cv_accuracy).toBe(trials[0].cv!.mean);
    expect(metrics.cv!.scalars.cv_accuracy).toEqual({ mean: trials[0].cv!.mean, sd: trials[0].cv!.sd });
    expect(metrics.cv!.note).toMatch(/^Ranked by 3-fold CV on the non-test rows/);
    const model = out.model as TrainedModel;
    expect(model.artifact.trainParams.tuned).toEqual(trials[0].params);
    expect(tuneSearch.summarize!(out as never, {} as never).text).toMatch(/\(3-fold CV accuracy 0\.\d{3} ± 0\.\d{3}\); ranked by 3-fold CV on the non-test rows$/);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const again = await run();
    expect((again.metrics as Metrics).trials).toEqual(trials);
    (again.model as TrainedModel).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cross-validates only the trials that survive halving, which keeps two of them for CV', async () => {
    const out = await runNode(
      tuneSearch,
      { data: blobsDataset(), spec },
      { params: { searchSpace: { learningRate: [0.0001, 0.05], layers: [[4], [8]] }, epochs: 9, patience: 50, score: 'cv', folds: 2 } },
    );
    const trials = (out.metrics as Metrics).trials!;
    // 4 trials → 2 → 2 (validation loss prunes; CV ranks the last two).
    expect(trials.filter((t) => t.cv).map((t) => t.status)).toEqual(['best', 'done']);
    expect(trials.filter((t) => t.status === 'pruned')).toHaveLength(2);
    expect(trials.filter((t) => t.status === 'pruned').every((t) => t.cv === undefined)).toBe(true);
    (out.model as TrainedModel).dispose();
  });

  describe('bad input', () => {
    it('rejects a search space key the spec does not have', async () => {
      await expect(runNode(tuneSearch, { data: blobsDataset(), spec }, { params: { searchSpace: { kernel: [3] } } })).rejects.toThrow(/"kernel" cannot be searched/);
    });

    it('needs validation rows, and accuracy only for classes', async () => {
      const before = tf.memory().numTensors;
      const x = Array.from({ length: 30 }, (_, i) => i);
      const reg = makeDataset([numberColumn('x', x), numberColumn('y', x.map((v) => v * 0.5))], 'y', simplePartitions(30));
      await expect(runNode(tuneSearch, { data: reg, spec }, { params: { metric: 'val_accuracy', searchSpace: { l2: [0] } } })).rejects.toThrow(/val_accuracy needs a classification target/);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('reports trials that fail and stops when cancelled', async () => {
      const before = tf.memory().numTensors;
      await expect(
        runNode(tuneSearch, { data: blobsDataset(), spec }, { params: { searchSpace: { layers: [[5000, 5000, 5000, 5000, 5000]] }, epochs: 2 } }),
      ).rejects.toThrow(/no trial finished: the model is too large/);
      const controller = new AbortController();
      controller.abort();
      await expect(runNode(tuneSearch, { data: blobsDataset(), spec }, { signal: controller.signal, params: { searchSpace: { l2: [0] } } })).rejects.toThrow(/cancelled/);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
