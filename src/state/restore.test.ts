import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../engine/graph';
import { setCatalogue } from './catalogue';
import { documentToGraph } from './convert';
import { createEditorStore } from './store';
import { TEST_NODES } from './testNodes';

beforeAll(() => setCatalogue(TEST_NODES));

const current: Graph = {
  id: 'g1',
  name: 'Now',
  seed: 7,
  nodes: [
    { id: 'src', type: 'data.source', params: { url: 'iris.csv' }, position: { x: 0, y: 0 } },
    { id: 'a', type: 'prep.scale', params: { method: 'minmax', epochs: 5 }, position: { x: 200, y: 0 } },
  ],
  edges: [{ id: 'e1', from: { node: 'src', port: 'table' }, to: { node: 'a', port: 'data' } }],
  viewport: { x: 10, y: 20, zoom: 1.5 },
};

/** The same graph as a run recorded it earlier: other params, seed, name and layout. */
const asRun: Graph = {
  ...current,
  id: 'g1',
  name: 'Then',
  seed: 1,
  nodes: [current.nodes[0], { ...current.nodes[1], params: { method: 'standard', epochs: 10 }, position: { x: 300, y: 50 } }],
  viewport: { x: 0, y: 0, zoom: 1 },
};

describe('replaceDocument (restore a run)', () => {
  it('puts the run graph in place in one undo step, keeping the graph id and the viewport', () => {
    const store = createEditorStore();
    store.getState().loadGraph(current);
    store.getState().replaceDocument(asRun);
    const restored = documentToGraph(store.getState());
    expect(restored).toMatchObject({ id: 'g1', name: 'Then', seed: 1, viewport: current.viewport });
    expect(restored.nodes[1]).toMatchObject({ params: { method: 'standard', epochs: 10 }, position: { x: 300, y: 50 } });
    expect(store.temporal.getState().pastStates).toHaveLength(1);
    store.getState().undo();
    expect(documentToGraph(store.getState())).toEqual(current);
    store.getState().redo();
    expect(documentToGraph(store.getState()).nodes[1].params).toEqual({ method: 'standard', epochs: 10 });
  });
});
