import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../engine/graph';
import { parseGraphFile } from '../engine/index';
import { NodeRegistry } from '../engine/registry';
import { setCatalogue } from './catalogue';
import { makeFragment, readFragment, documentToGraph } from './convert';
import { reduceRunEvent, MAX_SERIES_POINTS } from './runSlice';
import { backendFromUrl } from './settings';
import { createEditorStore, selectedNodeId, selectedNodes } from './store';
import { TEST_NODES } from './testNodes';

beforeAll(() => setCatalogue(TEST_NODES));
const testRegistry = new NodeRegistry(TEST_NODES);

const chain: Graph = {
  id: 'g1',
  name: 'Chain',
  seed: 7,
  nodes: [
    { id: 'src', type: 'data.source', params: { url: 'iris.csv' }, position: { x: 0, y: 0 } },
    { id: 'a', type: 'prep.scale', params: { method: 'standard', epochs: 10 }, position: { x: 200, y: 0 } },
    { id: 'b', type: 'prep.scale', params: { method: 'minmax', epochs: 5 }, position: { x: 400, y: 0 } },
  ],
  edges: [
    { id: 'e1', from: { node: 'src', port: 'table' }, to: { node: 'a', port: 'data' } },
    { id: 'e2', from: { node: 'a', port: 'data' }, to: { node: 'b', port: 'data' } },
  ],
  viewport: { x: 10, y: 20, zoom: 1.5 },
};

function loaded() {
  const store = createEditorStore();
  store.getState().loadGraph(chain);
  return store;
}

const history = (store: ReturnType<typeof createEditorStore>) => store.temporal.getState();

describe('graph slice', () => {
  it('loads a graph and converts it back unchanged', () => {
    const store = loaded();
    const s = store.getState();
    expect(documentToGraph(s)).toEqual(chain);
    expect(history(store).pastStates).toHaveLength(0);
  });

  it('adds a node with its default params and a readable unique id', () => {
    const store = loaded();
    const id = store.getState().addNode('prep.scale', { x: 10.4, y: 20.6 });
    expect(id).toBe('scale-1');
    const node = store.getState().nodes.find((n) => n.id === id)!;
    expect(node.params).toEqual({ method: 'standard', epochs: 10 });
    expect(node.version).toBe(2);
    expect(node.position).toEqual({ x: 10, y: 21 });
    expect(() => store.getState().addNode('no.such', { x: 0, y: 0 })).toThrow(/Unknown node type/);
  });

  it('refuses incompatible, duplicate-input and cyclic connections with a reason', () => {
    const store = loaded();
    const s = () => store.getState();
    const fit = s().addNode('train.fit', { x: 0, y: 0 });
    expect(s().connect({ source: 'b', sourceHandle: 'data', target: fit, targetHandle: 'data' })).toMatch(/table output cannot feed a dataset input/);
    expect(s().connect({ source: 'src', sourceHandle: 'table', target: 'b', targetHandle: 'data' })).toMatch(/already has a connection/);
    const c = s().addNode('prep.scale', { x: 0, y: 0 });
    expect(s().connect({ source: 'b', sourceHandle: 'data', target: c, targetHandle: 'data' })).toBeNull();
    // c → a would close the loop a → b → c → a; first free a's input.
    s().onEdgesChange([{ type: 'remove', id: 'e1' }]);
    expect(s().connect({ source: c, sourceHandle: 'data', target: 'a', targetHandle: 'data' })).toMatch(/cycle/);
    expect(s().connect({ source: 'a', sourceHandle: 'data', target: 'a', targetHandle: 'data' })).toMatch(/itself/);
    expect(s().connect({ source: 'a', sourceHandle: 'nope', target: c, targetHandle: 'data' })).toMatch(/Connect an output/);
    expect(s().edges.map((e) => e.to.node)).toEqual(['b', c]);
  });

  it('deleting a node removes its edges', () => {
    const store = loaded();
    store.getState().selectOnly(['a']);
    store.getState().deleteSelection();
    expect(store.getState().nodes.map((n) => n.id)).toEqual(['src', 'b']);
    expect(store.getState().edges).toEqual([]);
  });
});

describe('undo/redo', () => {
  it('makes a drag one step, however many moves it had', () => {
    const store = loaded();
    const s = () => store.getState();
    for (let i = 1; i <= 30; i++) s().onNodesChange([{ type: 'position', id: 'a', position: { x: 200 + i, y: i }, dragging: true }]);
    s().onNodesChange([{ type: 'position', id: 'a', position: { x: 260, y: 40 }, dragging: false }]);
    expect(history(store).pastStates).toHaveLength(1);
    expect(s().nodes[1].position).toEqual({ x: 260, y: 40 });
    s().undo();
    expect(s().nodes[1].position).toEqual({ x: 200, y: 0 });
    s().redo();
    expect(s().nodes[1].position).toEqual({ x: 260, y: 40 });
  });

  it('does not record selection changes', () => {
    const store = loaded();
    store.getState().onNodesChange([{ type: 'select', id: 'a', selected: true }]);
    store.getState().selectAll();
    expect(history(store).pastStates).toHaveLength(0);
    expect(selectedNodeId(store.getState())).toBeNull();
    store.getState().selectOnly(['b']);
    expect(selectedNodeId(store.getState())).toBe('b');
  });

  it('keeps the current selection through undo and redo; a node brought back keeps its own', () => {
    const store = loaded();
    const s = () => store.getState();
    s().selectOnly(['b']);
    s().setParam('a', 'epochs', 20);
    s().selectOnly(['a']);
    s().undo();
    expect(s().nodes[1].params.epochs).toBe(10);
    expect(selectedNodeId(s())).toBe('a');
    s().redo();
    expect(selectedNodeId(s())).toBe('a');
    s().selectOnly(['b']);
    s().deleteSelection();
    expect(s().nodes.map((n) => n.id)).toEqual(['src', 'a']);
    s().undo();
    expect(selectedNodeId(s())).toBe('b');
    expect(history(store).pastStates).toHaveLength(1);
  });

  it('undoes a paste of 20 nodes in one step', async () => {
    const store = createEditorStore();
    const s = () => store.getState();
    for (let i = 0; i < 20; i++) s().addNode('prep.scale', { x: i * 10, y: 0 });
    s().selectAll();
    const text = JSON.stringify(makeFragment(s().nodes, s().edges));
    const fragment = (await readFragment(text, testRegistry))!;
    const before = history(store).pastStates.length;
    const pasted = s().pasteFragment(fragment, { x: 30, y: 30 });
    expect(pasted).toHaveLength(20);
    expect(s().nodes).toHaveLength(40);
    expect(new Set(s().nodes.map((n) => n.id)).size).toBe(40);
    expect(history(store).pastStates.length).toBe(before + 1);
    s().undo();
    expect(s().nodes).toHaveLength(20);
    s().redo();
    expect(s().nodes).toHaveLength(40);
  });

  it('param edits are undoable one by one', () => {
    const store = loaded();
    store.getState().setParam('a', 'epochs', 20);
    store.getState().setParam('a', 'epochs', 30);
    store.getState().undo();
    expect(store.getState().nodes[1].params.epochs).toBe(20);
    store.getState().undo();
    expect(store.getState().nodes[1].params.epochs).toBe(10);
  });

  it('disabling nodes is one step; the flag reaches the engine graph, and undo gives the graph back as it was', () => {
    const store = loaded();
    store.getState().setDisabled(['a', 'b'], true);
    expect(history(store).pastStates).toHaveLength(1);
    expect(documentToGraph(store.getState()).nodes.filter((n) => n.disabled).map((n) => n.id)).toEqual(['a', 'b']);
    store.getState().setDisabled(['a'], false);
    expect(documentToGraph(store.getState()).nodes.find((n) => n.id === 'a')).not.toHaveProperty('disabled');
    store.getState().undo();
    store.getState().undo();
    expect(documentToGraph(store.getState())).toEqual(chain);
  });
});

describe('clipboard fragments', () => {
  it('copies nodes with the edges between them only, and pastes with fresh ids', async () => {
    const store = loaded();
    store.getState().selectOnly(['a', 'b']);
    const fragment = makeFragment(selectedNodes(store.getState()), store.getState().edges);
    expect(fragment.graph.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(fragment.graph.edges.map((e) => e.id)).toEqual(['e2']);
    // The clipboard holds a real graph file: the engine's importer reads it.
    const parsed = parseGraphFile(JSON.stringify(fragment), testRegistry);
    expect(parsed.graph.nodes.map((n) => [n.id, n.position])).toEqual([['a', { x: 200, y: 0 }], ['b', { x: 400, y: 0 }]]);
    const ids = store.getState().pasteFragment((await readFragment(JSON.stringify(fragment), testRegistry))!, { x: 50, y: 50 });
    expect(ids).toEqual(['scale-1', 'scale-2']);
    const pastedEdge = store.getState().edges.at(-1)!;
    expect([pastedEdge.from.node, pastedEdge.to.node]).toEqual(['scale-1', 'scale-2']);
    expect(store.getState().nodes.find((n) => n.id === 'scale-1')!.position).toEqual({ x: 250, y: 50 });
  });

  it('a copied or duplicated disabled node stays disabled', async () => {
    const store = loaded();
    store.getState().setDisabled(['a'], true);
    store.getState().selectOnly(['a']);
    const fragment = makeFragment(selectedNodes(store.getState()), store.getState().edges);
    const [pasted] = store.getState().pasteFragment((await readFragment(JSON.stringify(fragment), testRegistry))!, { x: 50, y: 50 });
    expect(store.getState().nodes.find((n) => n.id === pasted)!.disabled).toBe(true);
    store.getState().selectOnly(['a']);
    store.getState().duplicateSelection();
    expect(store.getState().nodes.filter((n) => n.disabled)).toHaveLength(3);
  });

  it('ignores text that is not a graph file', async () => {
    expect(await readFragment('hello', testRegistry)).toBeNull();
    expect(await readFragment('[1, 2]', testRegistry)).toBeNull();
    // Bare {nodes, edges} documents are not graph files: no second, hand-written parser.
    expect(await readFragment('{"nodes": [{"id": "x", "type": "prep.scale", "params": {}}]}', testRegistry)).toBeNull();
  });

  it('reads a fragment through the restore path: params completed with defaults, unknown types as placeholders', async () => {
    const text = JSON.stringify({
      format: 'pipeline-studio.graph',
      version: 1,
      graph: { id: 'clipboard', name: 'Copied nodes', seed: 0, nodes: [{ id: 'x', type: 'prep.scale', params: {} }, { id: 'y', type: 'future.node', params: { k: 1 } }], edges: [] },
      layout: { positions: { x: { x: 5, y: 6 } } },
    });
    const fragment = (await readFragment(text, testRegistry))!;
    expect(fragment.nodes[0]).toMatchObject({ position: { x: 5, y: 6 }, params: { method: 'standard', epochs: 10 } });
    expect(fragment.nodes[1]).toMatchObject({ params: { k: 1 }, placeholder: { originalType: 'future.node' } });
    // The old format (v0) is migrated like a file.
    const v0 = (await readFragment(JSON.stringify({ kind: 'pipeline-studio', nodes: [{ id: 'x', type: 'prep.scale', x: 1, y: 2 }], links: [] }), testRegistry))!;
    expect(v0.nodes[0]).toMatchObject({ position: { x: 1, y: 2 }, params: { method: 'standard', epochs: 10 } });
  });

  it('refuses a fragment from a newer version, or a broken one, with the reason', async () => {
    const newer = JSON.stringify({ format: 'pipeline-studio.graph', version: 7, graph: { id: 'c', name: 'x', seed: 0, nodes: [], edges: [] } });
    await expect(readFragment(newer, testRegistry)).rejects.toThrow(/version 7, newer than this app reads \(1\)/);
    const broken = JSON.stringify({ format: 'pipeline-studio.graph', version: 1, graph: { id: 'c', name: 'x', seed: 0, nodes: [{ id: 1 }], edges: [] } });
    await expect(readFragment(broken, testRegistry)).rejects.toThrow(/graph\.nodes\[0\]\.id/);
  });
});

describe('run slice', () => {
  it('tracks node status, progress and live series from events', () => {
    const store = loaded();
    const s = () => store.getState();
    s().startRun();
    s().applyRunEvents([
      { type: 'run-start', runId: 'r1', nodeIds: ['src', 'a'], at: 0 },
      { type: 'node-start', runId: 'r1', nodeId: 'src', at: 1 },
      { type: 'node-done', runId: 'r1', nodeId: 'src', ms: 5, summary: { text: '150 rows' } },
      { type: 'node-start', runId: 'r1', nodeId: 'a', at: 2 },
      { type: 'node-progress', runId: 'r1', nodeId: 'a', fraction: 0.5, message: 'epoch 1', metrics: { epoch: 1, loss: 0.9 } },
      { type: 'node-progress', runId: 'r1', nodeId: 'a', fraction: 0.75, metrics: { epoch: 2, loss: 0.5 } },
    ]);
    expect(s().runId).toBe('r1');
    expect(s().nodeRuns.src).toMatchObject({ status: 'done', summary: { text: '150 rows' } });
    expect(s().nodeRuns.a).toMatchObject({ status: 'running', fraction: 0.75, message: 'epoch 1', series: { loss: [0.9, 0.5], epoch: [1, 2] } });
    s().applyRunEvents([
      { type: 'node-error', runId: 'r1', nodeId: 'a', message: 'NaN loss' },
      { type: 'node-skipped', runId: 'r1', nodeId: 'b', reason: 'upstream-error' },
    ]);
    s().finishRun({ ok: false, cancelled: false });
    expect(s().nodeRuns.a).toMatchObject({ status: 'error', error: 'NaN loss', series: { loss: [0.9, 0.5] } });
    expect(s().nodeRuns.b.status).toBe('skipped');
    expect(s().running).toBe(false);
    expect(s().lastRun).toEqual({ ok: false, cancelled: false });
  });

  it('restores a graph’s still-valid results on idle nodes only, marked as restored, and never another graph’s', () => {
    const store = createEditorStore();
    store.getState().loadGraph(chain);
    store.getState().applyRunEvents([{ type: 'run-start', runId: 'r', nodeIds: ['a'], at: 0 }, { type: 'node-error', runId: 'r', nodeId: 'a', message: 'boom' }]);
    const restored = [
      { nodeId: 'a', status: 'done' as const, summary: { text: 'old' }, at: 5, runId: 'old' },
      { nodeId: 'b', status: 'cached' as const, summary: { text: 'kept' }, at: 5, runId: 'old' },
    ];
    store.getState().restoreRuns('another-graph', restored);
    expect(store.getState().nodeRuns.b).toBeUndefined();
    store.getState().restoreRuns(chain.id, restored);
    expect(store.getState().nodeRuns.a.status).toBe('error');
    expect(store.getState().nodeRuns.b).toMatchObject({ status: 'cached', summary: { text: 'kept' }, restored: { at: 5 } });
    // After an edit, b's key is not the saved one any more: its restored result goes.
    store.getState().restoreRuns(chain.id, []);
    expect(store.getState().nodeRuns.b).toBeUndefined();
    expect(store.getState().nodeRuns.a.status).toBe('error');
    store.getState().restoreRuns(chain.id, restored);
    // The next run replaces it with a live result (not marked).
    store.getState().applyRunEvents([{ type: 'run-start', runId: 'r2', nodeIds: ['b'], at: 0 }, { type: 'node-done', runId: 'r2', nodeId: 'b', ms: 1 }]);
    expect(store.getState().nodeRuns.b.restored).toBeUndefined();
  });

  it('a param change marks the node and everything downstream stale, clearing an old error', () => {
    const store = loaded();
    const s = () => store.getState();
    s().applyRunEvents([
      { type: 'run-start', runId: 'r1', nodeIds: ['src', 'a', 'b'], at: 0 },
      { type: 'node-done', runId: 'r1', nodeId: 'src', ms: 5, summary: { text: '150 rows' } },
      { type: 'node-error', runId: 'r1', nodeId: 'a', message: 'epochs must be positive' },
      { type: 'node-skipped', runId: 'r1', nodeId: 'b', reason: 'upstream-error' },
    ]);
    s().finishRun({ ok: false, cancelled: false });
    s().setParam('a', 'epochs', 12);
    expect(s().nodeRuns.a).toEqual({ status: 'stale', message: 'changed since the last run', series: {} });
    expect(s().nodeRuns.b).toMatchObject({ status: 'stale', message: 'an upstream node changed' });
    // Upstream of the edit keeps its result.
    expect(s().nodeRuns.src).toMatchObject({ status: 'done', summary: { text: '150 rows' } });
    // An undone edit whose saved result is valid again gets it back from restoreRuns.
    s().restoreRuns(chain.id, [{ nodeId: 'a', status: 'done', summary: { text: 'scaled' }, at: 9, runId: 'r0' }]);
    expect(s().nodeRuns.a).toMatchObject({ status: 'done', restored: { at: 9 } });
  });

  it('caps live series length', () => {
    let runs = {};
    for (let i = 0; i < MAX_SERIES_POINTS + 10; i++) runs = reduceRunEvent(runs, { type: 'node-progress', runId: 'r', nodeId: 'n', metrics: { loss: i } });
    const series = (runs as Record<string, { series: Record<string, number[]> }>).n.series.loss;
    expect(series).toHaveLength(MAX_SERIES_POINTS);
    expect(series.at(-1)).toBe(MAX_SERIES_POINTS + 9);
  });

  it('keeps the series object through progress without metrics (an ingest’s bytes), so its charts do not re-render', () => {
    const withLoss = reduceRunEvent({}, { type: 'node-progress', runId: 'r', nodeId: 'n', metrics: { loss: 1 } });
    const bytes = reduceRunEvent(withLoss, { type: 'node-progress', runId: 'r', nodeId: 'n', fraction: 0.4, message: 'parsing a.csv: 4.0 of 10.0 MB' });
    expect(bytes.n.series).toBe(withLoss.n.series);
    expect(bytes.n).toMatchObject({ fraction: 0.4, message: 'parsing a.csv: 4.0 of 10.0 MB' });
    expect(reduceRunEvent(bytes, { type: 'node-progress', runId: 'r', nodeId: 'n', metrics: { loss: 0.5 } }).n.series.loss).toEqual([1, 0.5]);
  });
});

describe('settings', () => {
  it('reads a forced backend from the URL and ignores unknown names', () => {
    expect(backendFromUrl('?backend=wasm')).toBe('wasm');
    expect(backendFromUrl('?backend=quantum')).toBeNull();
    expect(backendFromUrl('')).toBeNull();
  });
});

describe('validatedPartChanged', () => {
  it('ignores moves and selection, notices params, added nodes and edges', async () => {
    const { validatedPartChanged } = await import('./store');
    const store = createEditorStore();
    store.getState().loadGraph(chain);
    const before = store.getState();
    store.getState().moveNodes({ a: { x: 999, y: 1 } });
    store.getState().selectOnly(['b']);
    expect(validatedPartChanged(before, store.getState())).toBe(false);
    const moved = store.getState();
    store.getState().setParam('a', 'method', 'minmax');
    expect(validatedPartChanged(moved, store.getState())).toBe(true);
    const edited = store.getState();
    store.getState().addNode('prep.scale', { x: 0, y: 0 });
    expect(validatedPartChanged(edited, store.getState())).toBe(true);
    const added = store.getState();
    store.getState().onEdgesChange([{ type: 'remove', id: 'e2' }]);
    expect(validatedPartChanged(added, store.getState())).toBe(true);
  });
});

describe('replacing a wire', () => {
  it('a wire dropped on an occupied input replaces the old one in one undo step', () => {
    const store = loaded();
    // b's input is fed by a; wire src → b instead.
    const connection = { source: 'src', sourceHandle: 'table', target: 'b', targetHandle: 'data' };
    expect(store.getState().connect(connection)).toMatch(/already has a connection/);
    expect(store.getState().connect(connection, { replace: true })).toBeNull();
    const into = (id: string) => store.getState().edges.filter((e) => e.to.node === id).map((e) => e.from.node);
    expect(into('b')).toEqual(['src']);
    expect(store.getState().edges).toHaveLength(2);
    store.getState().undo();
    expect(into('b')).toEqual(['a']);
  });

  it('still refuses a replacement that would close a cycle', () => {
    const store = loaded();
    expect(store.getState().connect({ source: 'b', sourceHandle: 'data', target: 'a', targetHandle: 'data' }, { replace: true })).toMatch(/cycle/);
  });
});
