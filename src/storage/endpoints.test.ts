import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../data/types';
import type { EndpointStore, LoggedPrediction, ModelStore } from '../engine/services';
import { PipelineStudioDb } from './db';
import { DexieEndpointStore, endpointNameProblem, liveVersion, MemoryEndpointStore, modelNamer } from './endpoints';
import { MemoryModelStore } from './memory';
import { DexieModelStore } from './models';
import { freshTestDb } from './testing';

function artifact(name: string): ModelArtifact {
  return {
    name,
    modelTopology: { class_name: 'Sequential' },
    weightSpecs: [],
    weightData: new ArrayBuffer(8),
    transforms: [],
    rawSchema: [{ name: 'x', dtype: 'number' }],
    featureNames: ['x'],
    target: { name: 'y', task: 'regression' },
    spec: { family: 'linear', hyper: {} },
    trainParams: {},
    history: [],
    lineage: { createdAt: 1 },
  };
}

function logged(endpoint: string, i: number, time = 1000 + i): LoggedPrediction {
  return { endpoint, version: 1, time, inputs: { x: i }, output: { prediction: i * 2 }, latencyMs: 1, batchSize: 1 };
}

let dbs: PipelineStudioDb[] = [];
afterEach(() => {
  for (const db of dbs) db.close();
  dbs = [];
});

const implementations: [string, (keep?: number) => { endpoints: EndpointStore; models: ModelStore }][] = [
  [
    'Dexie',
    (keep) => {
      const db = freshTestDb();
      dbs.push(db);
      return { endpoints: new DexieEndpointStore(db, keep), models: new DexieModelStore(db) };
    },
  ],
  [
    'memory',
    (keep) => {
      const models = new MemoryModelStore();
      return { endpoints: new MemoryEndpointStore(modelNamer(models), keep), models };
    },
  ],
];

describe.each(implementations)('%s endpoint store', (_name, make) => {
  it('deploys versions that go live, promotes, rolls back, and deletes', async () => {
    const { endpoints, models } = make();
    const a = await models.save(artifact('iris'));
    const b = await models.save(artifact('iris'));
    expect(await endpoints.get('iris')).toBeUndefined();

    const v1 = await endpoints.deploy('iris', a.id, { note: 'first' });
    expect(v1).toMatchObject({ version: 1, modelId: a.id, modelName: 'iris v1', note: 'first' });
    const v2 = await endpoints.deploy('iris', b.id);
    expect(v2.version).toBe(2);
    let meta = (await endpoints.get('iris'))!;
    expect(meta.live).toBe(2);
    expect(liveVersion(meta)?.modelId).toBe(b.id);

    meta = await endpoints.rollback('iris');
    expect(meta.live).toBe(1);
    await expect(endpoints.rollback('iris')).rejects.toThrow(/no earlier live version/);
    meta = await endpoints.promote('iris', 2);
    expect(meta.live).toBe(2);
    meta = await endpoints.rollback('iris');
    expect(meta.live).toBe(1);

    const staged = await endpoints.deploy('iris', b.id, { promote: false });
    expect(staged.version).toBe(3);
    expect((await endpoints.get('iris'))!.live).toBe(1);
    await expect(endpoints.promote('iris', 9)).rejects.toThrow(/no version 9/);
    await expect(endpoints.promote('nope', 1)).rejects.toThrow(/No endpoint named "nope"/);

    expect((await endpoints.list()).map((e) => e.name)).toEqual(['iris']);
    await endpoints.appendPredictions([logged('iris', 1)]);
    await endpoints.delete('iris');
    expect(await endpoints.list()).toEqual([]);
    expect(await endpoints.predictions('iris')).toEqual([]);
  });

  it('refuses bad names and models that are not stored', async () => {
    const { endpoints, models } = make();
    const a = await models.save(artifact('m'));
    await expect(endpoints.deploy('Bad Name', a.id)).rejects.toThrow(/not a valid endpoint name/);
    await expect(endpoints.deploy('-x', a.id)).rejects.toThrow(/not a valid endpoint name/);
    await expect(endpoints.deploy('ok', 'model-missing')).rejects.toThrow(/No stored model/);
    expect(await endpoints.list()).toEqual([]);
  });

  it('keeps the newest predictions per endpoint as a ring and filters by time', async () => {
    const { endpoints } = make(5);
    await endpoints.appendPredictions([1, 2, 3, 4].map((i) => logged('a', i)));
    await endpoints.appendPredictions([5, 6, 7].map((i) => logged('a', i)));
    await endpoints.appendPredictions([logged('b', 1)]);
    const a = await endpoints.predictions('a');
    expect(a.map((p) => p.inputs.x)).toEqual([3, 4, 5, 6, 7]);
    expect(a[0]).toEqual(logged('a', 3));
    expect((await endpoints.predictions('a', { since: 1005 })).map((p) => p.inputs.x)).toEqual([5, 6, 7]);
    expect((await endpoints.predictions('a', { limit: 2 })).map((p) => p.inputs.x)).toEqual([6, 7]);
    expect((await endpoints.predictions('b')).length).toBe(1);
    await endpoints.clearPredictions('a');
    expect(await endpoints.predictions('a')).toEqual([]);
    expect((await endpoints.predictions('b')).length).toBe(1);
  });
});

describe('endpoint names', () => {
  it('accepts lower-case, digits and dashes only', () => {
    expect(endpointNameProblem('iris-mlp-2')).toBeNull();
    expect(endpointNameProblem('')).toMatch(/needs a name/);
    expect(endpointNameProblem('Iris')).toMatch(/not a valid/);
    expect(endpointNameProblem('a/b')).toMatch(/not a valid/);
    expect(endpointNameProblem('a'.repeat(64))).toMatch(/not a valid/);
  });
});

describe('schema version 2', () => {
  it('opens a version-1 database and keeps its data, adding the endpoint tables', async () => {
    const name = `pipeline-studio-upgrade-${Date.now()}`;
    const old = new Dexie(name, { indexedDB, IDBKeyRange });
    old.version(1).stores({ graphs: 'id, name, updatedAt', datasets: 'id, &hash, name, createdAt', datasetData: 'id', models: 'id, name, [name+version], createdAt', modelPipelines: 'id', modelNetworks: 'id', runs: 'id, graphId, startedAt, [graphId+startedAt]' });
    await old.table('graphs').put({ id: 'g1', name: 'kept', updatedAt: 1, revision: 1, graph: {} });
    old.close();

    const db = new PipelineStudioDb(name, { indexedDB, IDBKeyRange });
    dbs.push(db);
    expect((await db.graphs.get('g1'))?.name).toBe('kept');
    expect(db.verno).toBe(5);
    await db.endpoints.put({ name: 'e', versions: [], live: null, previous: [], createdAt: 1, updatedAt: 1 });
    expect(await db.endpoints.count()).toBe(1);
  });
});
