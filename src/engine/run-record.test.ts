import { describe, expect, it } from 'vitest';
import type { Metrics, Table, TrainedModel } from '../data/types';
import { Executor } from './executor';
import type { Graph } from './graph';
import { defineNode } from './node';
import { p } from './params';
import { port } from './ports';
import { NodeRegistry } from './registry';
import { buildRunRecord, graphHash, paramsHash, runsToPrune, upgradeRunRecord } from './run-record';
import { edge, graph, node } from './testing/graph-builder';

/** A data node (hash = its rows), a "train" node with a history, an evaluation with CV numbers. */
const dataNode = defineNode({
  type: 'data.numbers',
  version: 1,
  title: 'Numbers',
  stage: 'data',
  inputs: {},
  outputs: { table: port('table') },
  params: { count: p.int(3, { min: 1, max: 100 }), name: p.text('numbers.csv') },
  run: async ({ params }) => {
    const table: Table = {
      rowCount: params.count,
      columns: [{ name: 'x', dtype: 'number', values: Float64Array.from({ length: params.count }, (_, i) => i) }],
      source: { name: params.name, hash: `hash-of-${params.count}-rows` },
    };
    return { table };
  },
});

const fitNode = defineNode({
  type: 'train.fake',
  version: 2,
  title: 'Fake fit',
  stage: 'train',
  inputs: { table: port('table') },
  outputs: { model: port('model') },
  params: { learningRate: p.number(0.01, { min: 0, max: 1 }), epochs: p.int(3, { min: 1, max: 10 }), save: p.boolean(false) },
  run: async ({ params }) => {
    const history = Array.from({ length: params.epochs }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1 + params.learningRate), val_loss: NaN }));
    const model = {
      artifact: { history, metrics: { loss: history.at(-1)!.loss } },
      network: null,
      dispose: () => undefined,
      ...(params.save ? { registryId: 'model-1' } : {}),
    } as unknown as TrainedModel;
    return { model };
  },
});

const scoreNode = defineNode({
  type: 'evaluate.fake',
  version: 1,
  title: 'Fake score',
  stage: 'evaluate',
  inputs: { model: port('model') },
  outputs: { metrics: port('metrics') },
  params: { folds: p.int(0, { min: 0, max: 10 }) },
  run: async ({ params }) => {
    const metrics: Metrics = { task: 'classification', partition: 'test', scalars: { accuracy: 0.9, rows: 30, broken: NaN } };
    if (params.folds > 0) metrics.cv = { folds: params.folds, scalars: { accuracy: { mean: 0.88, sd: 0.03 } } };
    return { metrics };
  },
});

const failNode = defineNode({
  type: 'evaluate.broken',
  version: 1,
  title: 'Broken',
  stage: 'evaluate',
  inputs: { model: port('model') },
  outputs: { metrics: port('metrics') },
  params: {},
  run: async () => {
    throw new Error('no partition');
  },
});

const registry = new NodeRegistry([dataNode, fitNode, scoreNode, failNode]);

function pipeline(overrides: { lr?: number; count?: number; folds?: number; save?: boolean } = {}): Graph {
  return graph(
    [
      node('data', 'data.numbers', { count: overrides.count ?? 3, name: 'numbers.csv' }, { position: { x: 10, y: 20 } }),
      node('fit', 'train.fake', { learningRate: overrides.lr ?? 0.01, epochs: 3, save: overrides.save ?? false }),
      node('score', 'evaluate.fake', { folds: overrides.folds ?? 0 }),
    ],
    [edge('data.table', 'fit.table'), edge('fit.model', 'score.model')],
  );
}

async function record(g: Graph, runId = 'run-1', executor = new Executor(registry), nodeMs = new Map<string, number>()) {
  const result = await executor.run(g, { runId, onEvent: (e) => e.type === 'node-done' && nodeMs.set(e.nodeId, Math.round(e.ms)) });
  return buildRunRecord({ runId, graph: g, registry, result, startedAt: 1_700_000_000_000, backend: 'cpu', nodeMs, outputsOf: (id) => executor.outputsOf(id) });
}

describe('buildRunRecord', () => {
  it('records the graph, its hashes, data hashes, seed, backend, metrics, history and model ids', async () => {
    const g = pipeline({ folds: 5, save: true });
    const nodeMs = new Map<string, number>();
    const run = await record(g, 'run-1', new Executor(registry), nodeMs);
    expect(nodeMs.get('data')).toBeTypeOf('number');
    expect(run).toMatchObject({
      id: 'run-1',
      graphId: 'g1',
      graphName: 'Test graph',
      startedAt: 1_700_000_000_000,
      ok: true,
      cancelled: false,
      backend: 'cpu',
      format: 2,
      seed: 42,
      targets: [],
      dataHashes: { data: 'hash-of-3-rows' },
      metrics: { 'score.accuracy': 0.9, 'score.rows': 30 },
      cv: { 'score.accuracy': { mean: 0.88, sd: 0.03 } },
      modelIds: ['model-1'],
      starred: false,
      label: '',
    });
    // Not-a-number metrics are left out (JSON and tables cannot hold them).
    expect(run.metrics).not.toHaveProperty('score.broken');
    expect(run.graph).toEqual(g);
    expect(run.graph).not.toBe(g);
    expect(run.graphHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.nodes.data).toMatchObject({ status: 'done', type: 'data.numbers', dataHash: 'hash-of-3-rows', dataName: 'numbers.csv' });
    // The node's time as the run measured it (its node-done event), not some other clock.
    expect(run.nodes.data.ms).toBe(nodeMs.get('data'));
    expect(run.nodes.fit.history).toHaveLength(3);
    expect(run.nodes.fit.history?.[0]).toEqual({ epoch: 1, loss: 1 / 1.01 });
    expect(run.nodes.fit.modelId).toBe('model-1');
    for (const id of ['data', 'fit', 'score']) expect(run.nodes[id].paramsHash).toMatch(/^[0-9a-f]{64}$/);
    // The record survives JSON (CLI files) unchanged.
    expect(JSON.parse(JSON.stringify(run))).toEqual(run);
  });

  it('records cached nodes with their outputs, and failed nodes with their message only', async () => {
    const executor = new Executor(registry);
    await record(pipeline(), 'run-1', executor);
    const g: Graph = { ...pipeline(), nodes: [...pipeline().nodes, node('bad', 'evaluate.broken')], edges: [...pipeline().edges, edge('fit.model', 'bad.model')] };
    const second = await record(g, 'run-2', executor);
    expect(second.ok).toBe(false);
    expect(second.nodes.fit).toMatchObject({ status: 'cached', history: expect.any(Array) });
    expect(second.nodes.fit.ms).toBeUndefined();
    expect(second.nodes.bad).toMatchObject({ status: 'error', message: 'no partition' });
    expect(second.nodes.bad.metrics).toBeUndefined();
    expect(second.metrics).toEqual({ 'score.accuracy': 0.9, 'score.rows': 30 });
  });

  it('reads an old record (no graph, no hashes) with the new fields filled in', () => {
    const old = upgradeRunRecord({ id: 'r', graphId: 'g', startedAt: 1, ms: 5, ok: true, cancelled: false, nodes: { a: { status: 'done' } } });
    expect(old).toMatchObject({ format: 1, graph: null, graphHash: null, seed: null, metrics: {}, starred: false, label: '', nodes: { a: { status: 'done' } } });
  });
});

describe('hashes', () => {
  it('are stable across key order, layout, labels and edge ids', () => {
    const g = pipeline();
    const shuffled: Graph = {
      name: 'Renamed',
      edges: [...g.edges].reverse().map((e) => ({ to: e.to, from: e.from, id: `x-${e.id}` })),
      nodes: [...g.nodes].reverse().map((n) => ({ position: { x: 500, y: 500 }, label: 'a label', params: Object.fromEntries(Object.entries(n.params).reverse()), type: n.type, id: n.id })),
      seed: 42,
      id: 'other-id',
      viewport: { x: 1, y: 2, zoom: 3 },
    };
    expect(graphHash(shuffled, registry)).toBe(graphHash(g, registry));
    for (let i = 0; i < g.nodes.length; i++) {
      const same = shuffled.nodes.find((n) => n.id === g.nodes[i].id)!;
      expect(paramsHash(same, registry)).toBe(paramsHash(g.nodes[i], registry));
    }
  });

  it('fill param defaults before hashing, and change with a param, the seed or the wiring', () => {
    const g = pipeline();
    const fit = g.nodes[1];
    const withoutDefaults = { ...fit, params: { learningRate: 0.01 } };
    expect(paramsHash(withoutDefaults, registry)).toBe(paramsHash(fit, registry));
    expect(paramsHash({ ...fit, params: { ...fit.params, learningRate: 0.1 } }, registry)).not.toBe(paramsHash(fit, registry));
    expect(graphHash(pipeline({ lr: 0.1 }), registry)).not.toBe(graphHash(g, registry));
    expect(graphHash({ ...g, seed: 7 }, registry)).not.toBe(graphHash(g, registry));
    expect(graphHash({ ...g, edges: g.edges.slice(1) }, registry)).not.toBe(graphHash(g, registry));
  });
});

describe('runsToPrune', () => {
  const runs = Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, startedAt: 100 + i, starred: i === 0 || i === 3 }));

  it('keeps the newest unstarred runs and every starred run, however old', () => {
    // Unstarred, newest first: r5 r4 r2 r1. Keep 2 → prune r2 and r1; r0 and r3 are starred.
    expect(runsToPrune(runs, 2).sort()).toEqual(['r1', 'r2']);
    expect(runsToPrune(runs, 0).sort()).toEqual(['r1', 'r2', 'r4', 'r5']);
    expect(runsToPrune(runs, 10)).toEqual([]);
    expect(runsToPrune(runs.map((r) => ({ ...r, starred: true })), 0)).toEqual([]);
  });
});
