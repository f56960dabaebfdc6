import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import type { Metrics, ModelSpec, TrainedModel } from '../data/types';
import type { ProgressUpdate } from '../engine/node';
import { blobsDataset, runNode, setupCpuTf } from '../ml/test-helpers';
import { TrainingSession, prepareTrainingData } from '../ml/train';
import { tuneSearch } from '../nodes/tune/search';
import { createNodeTrialPool } from './trial-pool-node';
import type { TrialPool } from './trial-pool';

let tf: typeof TF;
const pools: TrialPool[] = [];
beforeAll(async () => {
  tf = await setupCpuTf();
});
afterAll(() => {
  for (const pool of pools) pool.shutdown();
});

const spec: ModelSpec = { family: 'mlp', hyper: { layers: [6], activation: 'relu', dropout: 0, l2: 0 } };
// 6 trials, halving rungs of 2, 6 and 18 epochs: trials move between workers between rungs.
const params = { searchSpace: { learningRate: [0.003, 0.03, 0.1], layers: [[4], [8]] }, epochs: 18, patience: 4 };

async function tune(pool: TrialPool | undefined, options: { signal?: AbortSignal; onProgress?: (u: ProgressUpdate) => void; params?: Record<string, unknown> } = {}) {
  const out = await runNode(tuneSearch, { data: blobsDataset(60), spec }, { ...options, params: { ...params, ...options.params }, services: pool ? { trialRunner: pool } : {} });
  const model = out.model as TrainedModel;
  const weights = await Promise.all((model.network as TF.LayersModel).getWeights().map(async (w) => Array.from(await w.data())));
  const trials = (out.metrics as Metrics).trials!;
  const { history, trainParams } = model.artifact;
  model.dispose();
  return { trials, weights, history, trainParams: { ...trainParams } };
}

function pool(size: number): TrialPool {
  // Workers kept between searches, so the test can ask them what they hold afterwards.
  const created = createNodeTrialPool({ size, keepWorkers: true });
  pools.push(created);
  return created;
}

describe('tune trials on a pool of worker threads', () => {
  it('a session resumed from a checkpoint trains to the same numbers as one that never stopped', async () => {
    const before = tf.memory().numTensors;
    const data = prepareTrainingData(blobsDataset(), { task: 'auto', validationFraction: 0.2, classWeights: 'none', seed: 5 });
    const options = { spec, optimizer: 'adam' as const, learningRate: 0.02, batchSize: 16, patience: 0, monitor: 'val_loss' as const, restoreBest: true, seed: 5 };
    const straight = new TrainingSession(data, options);
    await straight.run(6);
    const first = new TrainingSession(data, options);
    await first.run(3);
    const checkpoint = await first.checkpoint();
    first.dispose();
    const resumed = new TrainingSession(data, options);
    resumed.restore(checkpoint);
    await resumed.run(3);
    expect(resumed.history).toEqual(straight.history);
    expect(await resumed.checkpoint()).toEqual(await straight.checkpoint());
    straight.dispose();
    resumed.dispose();
    data.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same trials, scores and best weights with 1 worker, 2 workers and in-process', { timeout: 120_000 }, async () => {
    const before = tf.memory().numTensors;
    const inProcess = await tune(undefined);
    const one = await tune(pool(1));
    const updates: ProgressUpdate[] = [];
    const two = await tune(pool(2), { onProgress: (u) => updates.push(u) });
    expect(inProcess.trials).toHaveLength(6);
    expect(inProcess.trials.filter((t) => t.status === 'pruned')).toHaveLength(5);
    expect(one).toEqual(inProcess);
    expect(two).toEqual(inProcess);
    // Progress names each trial as its epochs come in from the workers.
    for (let trial = 1; trial <= 6; trial++) expect(updates.some((u) => u.message?.startsWith(`trial ${trial}/6`))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    // The searches ran on the pools' workers, and each worker freed what its search gave it.
    expect(await pools[0].tensorsLeft()).toEqual([0]);
    expect(await pools[1].tensorsLeft()).toEqual([0, 0]);
  });

  it('ranks by CV the same with 2 workers as in-process: the finalists\' CV mean ± sd and the best', { timeout: 120_000 }, async () => {
    const before = tf.memory().numTensors;
    const cv = { score: 'cv', folds: 3 };
    const inProcess = await tune(undefined, { params: cv });
    const two = await tune(pool(2), { params: cv });
    expect(inProcess.trials.filter((t) => t.cv)).toHaveLength(2);
    expect(two).toEqual(inProcess);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('cancel stops every trial: the node says cancelled, no tensor is left here or in the workers', { timeout: 120_000 }, async () => {
    const before = tf.memory().numTensors;
    const twoWorkers = pool(2);
    const controller = new AbortController();
    const running = new Set<number>();
    const search = tune(twoWorkers, {
      signal: controller.signal,
      onProgress: (u) => {
        if (u.metrics?.epoch !== undefined) running.add(u.metrics.trial);
        // Both workers are busy with a trial: cancel then.
        if (running.size >= 2) controller.abort();
      },
    });
    await expect(search).rejects.toThrow(/cancelled/);
    expect(running.size).toBeGreaterThanOrEqual(2);
    expect(tf.memory().numTensors).toBe(before);
    expect(await twoWorkers.tensorsLeft()).toEqual([0, 0]);
  });
});
