import { describe, expect, it } from 'vitest';
import type { Graph } from '../engine/graph';
import { createEditorStore } from './store';
import { applyTrialParams } from './tune';

const tuneGraph: Graph = {
  id: 'g-tune',
  name: 'Tune',
  seed: 1,
  nodes: [
    { id: 'data', type: 'data.sample', params: { name: 'iris' }, position: { x: 0, y: 0 } },
    { id: 'spec', type: 'model.mlp', params: { layers: [64, 32] }, position: { x: 0, y: 200 } },
    { id: 'tune', type: 'tune.search', params: {}, position: { x: 300, y: 0 } },
    { id: 'train', type: 'train.fit', params: { learningRate: 0.005 }, position: { x: 300, y: 200 } },
    { id: 'eval', type: 'evaluate.metrics', params: {}, position: { x: 600, y: 0 } },
  ],
  edges: [
    { id: 'e1', from: { node: 'spec', port: 'spec' }, to: { node: 'tune', port: 'spec' } },
    { id: 'e2', from: { node: 'spec', port: 'spec' }, to: { node: 'train', port: 'spec' } },
    { id: 'e3', from: { node: 'tune', port: 'model' }, to: { node: 'eval', port: 'model' } },
  ],
  viewport: { x: 0, y: 0, zoom: 1 },
};

describe('use a trial’s params', () => {
  it('writes spec hyperparameters into the spec node and training settings into the train node, as one undo step', () => {
    const store = createEditorStore();
    store.getState().loadGraph(tuneGraph);
    store.temporal.getState().clear();
    store.getState().applyRunEvents([
      { type: 'run-start', runId: 'r', nodeIds: ['spec', 'tune', 'eval'], at: 0 },
      { type: 'node-done', runId: 'r', nodeId: 'spec', ms: 1 },
      { type: 'node-done', runId: 'r', nodeId: 'tune', ms: 1 },
      { type: 'node-done', runId: 'r', nodeId: 'eval', ms: 1 },
    ]);
    const result = applyTrialParams('tune', { learningRate: 0.03, layers: [16], batchSize: 32, nonsense: 1 }, store);
    expect(result.changed).toEqual({ spec: { layers: [16] }, train: { learningRate: 0.03, batchSize: 32 } });
    expect(result.unused).toEqual(['nonsense']);
    const params = (id: string) => store.getState().nodes.find((n) => n.id === id)!.params;
    expect(params('spec')).toMatchObject({ layers: [16] });
    expect(params('train')).toMatchObject({ learningRate: 0.03, batchSize: 32 });
    // The edited nodes and what depends on them are stale now.
    expect(store.getState().nodeRuns.spec.status).toBe('stale');
    expect(store.getState().nodeRuns.eval.status).toBe('stale');

    expect(store.temporal.getState().pastStates).toHaveLength(1);
    store.temporal.getState().undo();
    expect(params('spec').layers).toEqual([64, 32]);
    expect(params('train').learningRate).toBe(0.005);
  });

  it('changes nothing (and adds no undo step) when the values are already there', () => {
    const store = createEditorStore();
    store.getState().loadGraph(tuneGraph);
    store.temporal.getState().clear();
    expect(applyTrialParams('tune', { layers: [64, 32] }, store).changed).toEqual({});
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });
});
