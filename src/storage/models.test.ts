import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../data/types';
import type { PipelineStudioDb } from './db';
import { StorageFullError } from './errors';
import { MemoryModelStore } from './memory';
import { dexieModelHandler, joinWeightData } from './modelHandler';
import { DexieModelStore } from './models';
import { failWritesWithQuota, freshTestDb } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let db: PipelineStudioDb | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

function tinyNetwork(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 3, inputShape: [2], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }));
  model.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) }));
  return model;
}

function predictOne(model: tf.LayersModel, x: number[]): number {
  return tf.tidy(() => (model.predict(tf.tensor2d([x])) as tf.Tensor).dataSync()[0]);
}

/** A network's tfjs artifacts, captured with an in-memory IO handler. */
async function artifactsOf(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    captured = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return captured!;
}

async function artifact(name: string): Promise<ModelArtifact> {
  const model = tinyNetwork();
  const parts = await artifactsOf(model);
  model.dispose();
  return {
    name,
    modelTopology: parts.modelTopology,
    weightSpecs: parts.weightSpecs ?? [],
    weightData: joinWeightData(parts.weightData),
    transforms: [{ kind: 'scale', fittedOn: 'train', state: { mean: [1, 2] } }],
    rawSchema: [{ name: 'a', dtype: 'number' }, { name: 'b', dtype: 'number' }],
    featureNames: ['a', 'b'],
    target: { name: 'y', task: 'regression' },
    spec: { family: 'mlp', hyper: { layers: [3] } },
    trainParams: { epochs: 3 },
    history: [{ epoch: 1, loss: 0.5 }],
    metrics: { r2: 0.9 },
    lineage: { graphId: 'g1', nodeId: 'train', createdAt: 1 },
  };
}

describe('dexieModelHandler', () => {
  it('saves a network with network.save and loads it back with tf.loadLayersModel', async () => {
    db = freshTestDb();
    const before = tf.memory().numTensors;
    const model = tinyNetwork();
    const expected = predictOne(model, [0.5, -1]);
    const result = await model.save(dexieModelHandler(db, 'net-1'));
    expect(result.modelArtifactsInfo.weightDataBytes).toBe((2 * 3 + 3 + 3 * 1 + 1) * 4);
    model.dispose();

    const stored = await db.modelNetworks.get('net-1');
    expect(stored?.weightData).toBeInstanceOf(ArrayBuffer);

    const loaded = await tf.loadLayersModel(dexieModelHandler(db, 'net-1'));
    expect(predictOne(loaded, [0.5, -1])).toBeCloseTo(expected, 6);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails to load an id that was never saved, naming it', async () => {
    db = freshTestDb();
    await expect(tf.loadLayersModel(dexieModelHandler(db, 'missing'))).rejects.toThrow(/missing/);
  });

  it('joins sharded weight buffers in order', () => {
    const joined = new Uint8Array(joinWeightData([new Uint8Array([1, 2]).buffer, new Uint8Array([3]).buffer]));
    expect(Array.from(joined)).toEqual([1, 2, 3]);
  });
});

describe.each([
  ['dexie', () => new DexieModelStore((db = freshTestDb()))],
  ['memory', () => new MemoryModelStore()],
])('%s model store', (_name, makeStore) => {
  it('saves versions per name and loads the whole artifact back', async () => {
    const store = makeStore();
    const first = await store.save(await artifact('iris-mlp'));
    const second = await store.save(await artifact('iris-mlp'));
    const other = await store.save(await artifact('other'));
    expect([first.version, second.version, other.version]).toEqual([1, 2, 1]);
    expect(first).toMatchObject({ name: 'iris-mlp', metrics: { r2: 0.9 }, target: { name: 'y' }, trainParams: { epochs: 3 } });

    const loaded = await store.load(second.id);
    const original = await artifact('iris-mlp');
    expect(loaded?.transforms).toEqual(original.transforms);
    expect(loaded?.featureNames).toEqual(['a', 'b']);
    expect(new Uint8Array(loaded!.weightData)).toEqual(new Uint8Array(original.weightData));

    // The loaded artifact is enough to rebuild a working network.
    const network = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: loaded!.modelTopology as object, weightSpecs: loaded!.weightSpecs as tf.io.WeightsManifestEntry[], weightData: loaded!.weightData }));
    expect(Number.isFinite(predictOne(network, [1, 1]))).toBe(true);
    network.dispose();
  });

  it('lists, renames and deletes', async () => {
    const store = makeStore();
    const a = await store.save(await artifact('a'));
    await store.rename(a.id, 'renamed');
    expect((await store.list()).map((m) => m.name)).toEqual(['renamed']);
    expect((await store.load(a.id))?.name).toBe('renamed');
    await expect(store.rename('nope', 'x')).rejects.toThrow(/nope/);
    await expect(store.rename(a.id, '  ')).rejects.toThrow(/empty/);
    await store.delete(a.id);
    expect(await store.list()).toEqual([]);
    expect(await store.load(a.id)).toBeUndefined();
  });
});

describe('dexie model store when storage is full', () => {
  it('throws StorageFullError and keeps earlier models whole', async () => {
    db = freshTestDb();
    const store = new DexieModelStore(db);
    const kept = await store.save(await artifact('kept'));
    await failWritesWithQuota(db, 'modelNetworks');
    await expect(store.save(await artifact('big'))).rejects.toBeInstanceOf(StorageFullError);
    expect((await store.list()).map((m) => m.id)).toEqual([kept.id]);
    expect(await db.modelPipelines.count()).toBe(1);
    expect((await store.load(kept.id))?.name).toBe('kept');
  });
});
