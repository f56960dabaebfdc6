/**
 * Every record read from IndexedDB is checked: a bad one is skipped and reported as damaged,
 * the rest keeps working. Bad rows are written straight into the tables, as a browser
 * extension, a half-finished write or an older/newer app could leave them.
 */
import Dexie from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../data/types';
import type { Graph } from '../engine/graph';
import { parseGraphDocument } from '../engine/graph-file';
import { upgradeRunRecord } from '../engine/run-record';
import { createEndpointRouter } from '../serving/browser/router';
import { DexieDatasetStore } from './datasets';
import { PipelineStudioDb, SCHEMA_V1, SCHEMA_V2 } from './db';
import { DexieEndpointStore } from './endpoints';
import { GraphStore } from './graphs';
import { DexieModelStore } from './models';
import { rawRecordText } from './records';
import { RunHistoryStore } from './runs';
import { freshTestDb } from './testing';

const dbs: Dexie[] = [];
const graphStores: GraphStore[] = [];
afterEach(() => {
  for (const store of graphStores.splice(0)) store.close();
  for (const db of dbs.splice(0)) db.close();
});

function testDb(): PipelineStudioDb {
  const db = freshTestDb();
  dbs.push(db);
  return db;
}

function graphStore(db: PipelineStudioDb): GraphStore {
  const store = new GraphStore(db);
  graphStores.push(store);
  return store;
}

const graph = (id: string, name: string): Graph => ({
  id,
  name,
  seed: 42,
  nodes: [{ id: 'n1', type: 'data.sample', version: 1, params: { sample: 'iris' }, position: { x: 10, y: 20 } }],
  edges: [],
});

/** A model as plain data (the store keeps bytes; no network is built here). */
function artifactFor(name: string): ModelArtifact {
  return {
    name,
    modelTopology: { class_name: 'Sequential' },
    weightSpecs: [],
    weightData: new ArrayBuffer(8),
    transforms: [],
    rawSchema: [{ name: 'petal', dtype: 'number' }, { name: 'species', dtype: 'category', categories: ['a', 'b'] }],
    featureNames: ['petal'],
    target: { name: 'species', task: 'classification', classes: ['a', 'b'] },
    spec: { family: 'mlp', hyper: {} },
    trainParams: { epochs: 1 },
    history: [],
    lineage: { createdAt: 1 },
  };
}

/** Writes a row as is, bypassing the stores (and their types). */
async function seed(db: PipelineStudioDb, table: string, row: object): Promise<void> {
  await db.table(table).put(row);
}

describe('graphs', () => {
  it('lists the good graphs and reports a row whose graph is garbage as damaged', async () => {
    const db = testDb();
    const graphs = graphStore(db);
    await graphs.put(graph('g1', 'good one'), 0);
    await seed(db, 'graphs', { id: 'bad', name: 'broken', updatedAt: 5, revision: 1, graph: 'garbage' });
    await seed(db, 'graphs', { id: 'bad2', name: 'broken too', updatedAt: 6, revision: 1, file: { format: 'pipeline-studio.graph', version: 1, graph: { id: 'bad2', name: 'x', seed: -1, nodes: [], edges: [] } } });
    await seed(db, 'graphs', { id: 'bad3', name: 'no time' });

    const { records, damaged } = await graphs.scan();
    expect(records.map((g) => g.name)).toEqual(['good one']);
    expect(damaged.map((d) => [d.table, d.key])).toEqual([
      ['graphs', 'bad'],
      ['graphs', 'bad2'],
      ['graphs', 'bad3'],
    ]);
    expect(damaged[0].problem).toMatch(/^graph \(old record shape\): expected object/);
    expect(damaged[1].problem).toMatch(/graph\.seed/);
    expect(damaged[2].problem).toMatch(/updatedAt/);
    expect(damaged[0].raw).toMatchObject({ graph: 'garbage' });

    expect(await graphs.list()).toHaveLength(1);
    expect(await graphs.get('bad')).toBeUndefined();
    await expect(graphs.rename('bad', 'x')).rejects.toThrow(/damaged/);
    await expect(graphs.duplicate('bad')).rejects.toThrow(/damaged/);
    // Saving over a damaged row (the user chose the same id) is a normal write.
    await graphs.delete('bad');
    expect((await graphs.scan()).damaged.map((d) => d.key)).toEqual(['bad2', 'bad3']);
  });

  it('stores a graph as a graph-file document (format + version)', async () => {
    const db = testDb();
    const graphs = graphStore(db);
    await graphs.put({ ...graph('g1', 'doc'), viewport: { x: 1, y: 2, zoom: 1.5 } }, 0);
    const row = (await db.table('graphs').get('g1')) as Record<string, unknown>;
    expect(row.graph).toBeUndefined();
    expect(row.file).toMatchObject({ format: 'pipeline-studio.graph', version: 1, graph: { id: 'g1', name: 'doc' }, layout: { positions: { n1: { x: 10, y: 20 } }, viewport: { zoom: 1.5 } } });
    const record = (await graphs.get('g1'))!;
    expect(parseGraphDocument(record.file).graph).toEqual({ ...graph('g1', 'doc'), viewport: { x: 1, y: 2, zoom: 1.5 } });
  });

  it('keeps the editor’s node order (the canvas stacking order), unlike an export', async () => {
    const graphs = graphStore(testDb());
    const base = graph('g1', 'order');
    const nodes = [{ ...base.nodes[0], id: 'z' }, { ...base.nodes[0], id: 'a' }];
    await graphs.put({ ...base, nodes }, 0);
    expect(parseGraphDocument((await graphs.get('g1'))!.file).graph.nodes.map((n) => n.id)).toEqual(['z', 'a']);
  });
});

describe('schema upgrade to v4', () => {
  it('converts graphs stored in the old record shape; one it cannot convert stays, listed as damaged', async () => {
    const name = `pipeline-studio-v2-${Date.now()}`;
    const old = new Dexie(name, { indexedDB, IDBKeyRange });
    old.version(1).stores(SCHEMA_V1);
    old.version(2).stores(SCHEMA_V2);
    const oldGraph: Graph = {
      id: 'g-old',
      name: 'Made last year',
      seed: 7,
      nodes: [
        { id: 'a', type: 'data.sample', version: 1, params: { sample: 'penguins' }, position: { x: 1, y: 2 } },
        { id: 'b', type: 'gone.node', params: { k: 1 }, position: { x: 3, y: 4 }, placeholder: { originalType: 'gone.node', reason: 'Unknown node type "gone.node"' } },
      ],
      edges: [{ id: 'e', from: { node: 'a', port: 'table' }, to: { node: 'b', port: 'in' } }],
      viewport: { x: 0, y: 0, zoom: 2 },
    };
    await old.table('graphs').bulkPut([
      { id: 'g-old', name: 'Made last year', updatedAt: 100, revision: 3, graph: oldGraph },
      { id: 'g-bad', name: 'Broken', updatedAt: 50, revision: 1, graph: 'garbage' },
    ]);
    old.close();

    const db = new PipelineStudioDb(name, { indexedDB, IDBKeyRange });
    dbs.push(db);
    const graphs = graphStore(db);
    const row = (await db.table('graphs').get('g-old')) as Record<string, unknown>;
    expect(row.graph).toBeUndefined();
    expect(row.file).toMatchObject({ format: 'pipeline-studio.graph', version: 1 });
    expect((await db.table('graphs').get('g-bad')) as object).toMatchObject({ graph: 'garbage' });

    const record = (await graphs.get('g-old'))!;
    expect(record).toMatchObject({ name: 'Made last year', revision: 3 });
    const { graph: restored } = parseGraphDocument(record.file);
    expect(restored.nodes.map((n) => [n.id, n.type, n.params, n.position])).toEqual([
      ['a', 'data.sample', { sample: 'penguins' }, { x: 1, y: 2 }],
      ['b', 'gone.node', { k: 1 }, { x: 3, y: 4 }],
    ]);
    expect(restored.edges).toEqual(oldGraph.edges);
    expect(restored.viewport).toEqual({ x: 0, y: 0, zoom: 2 });
    const { records, damaged } = await graphs.scan();
    expect(records.map((g) => g.id)).toEqual(['g-old']);
    expect(damaged.map((d) => d.key)).toEqual(['g-bad']);
    // It saves on top of its revision as before.
    expect(await graphs.put(restored, 3)).toBe(4);
  });
});

describe('datasets', () => {
  const table = { rowCount: 2, columns: [{ name: 'x', dtype: 'number' as const, values: new Float64Array([1, 2]) }] };

  it('lists the good datasets and a row missing fields as damaged; a damaged entry is replaced by a new copy of its content', async () => {
    const db = testDb();
    const datasets = new DexieDatasetStore(db);
    const good = await datasets.put('good.csv', 'h-good', table);
    await seed(db, 'datasets', { id: 'ds-bad', name: 'bad.csv', hash: 'h-bad' });
    const { records, damaged } = await datasets.scan();
    expect(records.map((d) => d.id)).toEqual([good.id]);
    expect(damaged).toEqual([{ table: 'datasets', key: 'ds-bad', problem: expect.stringMatching(/rowCount.*columns/), raw: { id: 'ds-bad', name: 'bad.csv', hash: 'h-bad' } }]);
    expect(await datasets.list()).toHaveLength(1);
    expect(await datasets.findByHash('h-bad')).toBeUndefined();
    await expect(datasets.get('ds-bad')).resolves.toBeUndefined();

    const again = await datasets.put('bad.csv', 'h-bad', table);
    expect(again.id).not.toBe('ds-bad');
    expect((await datasets.get(again.id))?.table.rowCount).toBe(2);
    expect((await datasets.scan()).damaged).toEqual([]);
  });
});

describe('models', () => {
  it('lists the good models and a row missing fields as damaged; a damaged pipeline half says so', async () => {
    const db = testDb();
    const models = new DexieModelStore(db);
    const saved = await models.save(artifactFor('iris'));
    await seed(db, 'models', { id: 'model-bad', name: 'iris', createdAt: 3 });
    const { records, damaged } = await models.scan();
    expect(records.map((m) => m.id)).toEqual([saved.id]);
    expect(damaged.map((d) => [d.key, d.problem])).toEqual([['model-bad', expect.stringMatching(/version.*target/)]]);
    // Versions keep counting past a damaged entry.
    expect((await models.save(artifactFor('iris'))).version).toBe(2);

    expect(await models.pipeline(saved.id)).toMatchObject({ name: 'iris', target: { name: 'species' } });
    await db.table('modelPipelines').update(saved.id, { rawSchema: 'oops' });
    await expect(models.pipeline(saved.id)).rejects.toThrow(/damaged \(rawSchema: expected array/);
  });
});

describe('endpoints', () => {
  it('a row with bad versions is skipped: GET /api/endpoints still answers, and deploy never overwrites it', async () => {
    const db = testDb();
    const models = new DexieModelStore(db);
    const endpoints = new DexieEndpointStore(db);
    const model = await models.save(artifactFor('iris'));
    await endpoints.deploy('good', model.id);
    await seed(db, 'endpoints', { name: 'bad', versions: [{ version: 'one' }], live: 1, previous: [], createdAt: 1, updatedAt: 1 });

    const { records, damaged } = await endpoints.scan();
    expect(records.map((e) => e.name)).toEqual(['good']);
    expect(damaged.map((d) => [d.key, d.problem])).toEqual([['bad', expect.stringMatching(/^versions\[0\]\.version/)]]);
    expect(await endpoints.get('bad')).toBeUndefined();
    await expect(endpoints.deploy('bad', model.id)).rejects.toThrow(/"bad" is damaged/);
    await expect(endpoints.promote('bad', 1)).rejects.toThrow(/damaged/);

    const router = createEndpointRouter({ endpoints, models, ensureBackend: async () => 'cpu' });
    const listed = await router.handle({ method: 'GET', url: '/api/endpoints' });
    expect(listed?.status).toBe(200);
    expect(JSON.parse(listed!.body).endpoints.map((e: { name: string }) => e.name)).toEqual(['good']);
    expect((await router.handle({ method: 'GET', url: '/api/endpoints/bad/health' }))?.status).toBe(404);
    router.dispose();
    await endpoints.delete('bad');
    expect((await endpoints.scan()).damaged).toEqual([]);
  });
});

describe('runs', () => {
  it('skips a damaged run record and keeps fields it does not know', async () => {
    const db = testDb();
    const runs = new RunHistoryStore(db);
    await runs.add(upgradeRunRecord({ id: 'r1', graphId: 'g', startedAt: 10, ms: 1, ok: true, cancelled: false, nodes: {} }));
    await seed(db, 'runs', { id: 'r2', graphId: 'g', startedAt: 20, nodes: 'garbage' });
    await seed(db, 'runs', { id: 'r3', graphId: 'g', startedAt: 30, ms: 1, ok: true, cancelled: false, nodes: {}, addedLater: { x: 1 } });
    expect((await runs.list('g')).map((r) => [r.id, (r as unknown as { addedLater?: unknown }).addedLater])).toEqual([
      ['r3', { x: 1 }],
      ['r1', undefined],
    ]);
    expect((await runs.listAll()).map((r) => r.id)).toEqual(['r3', 'r1']);
    expect(await runs.get('r2')).toBeUndefined();
    // Pruning never counts (or deletes) a record it cannot read.
    expect(await runs.prune('g', 1)).toBe(1);
    expect((await db.table('runs').toCollection().primaryKeys()).sort()).toEqual(['r2', 'r3']);
  });
});

describe('rawRecordText', () => {
  it('writes a damaged record as JSON, binary fields as bytes', () => {
    const text = rawRecordText({ id: 'x', data: new Uint8Array([1, 2]).buffer, view: new Float32Array([0]) });
    expect(JSON.parse(text)).toEqual({ id: 'x', data: { arrayBuffer: [1, 2] }, view: { Float32Array: [0, 0, 0, 0] } });
  });
});
