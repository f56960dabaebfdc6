/**
 * Undo/redo over the graph slice (zundo). Each `set` is one step; `beginGroup`/`endGroup`
 * fold a stream of changes (a drag) into one step: pause tracking at the start, and at the
 * end push the state from before the group as a single past state.
 */
import type { StoreApi } from 'zustand';
import type { TemporalState } from 'zundo';
import type { StoreSlice } from './storeTypes';
import { type GraphEdge, type GraphNode, sameNodeContent } from '../engine/graph';

export interface TrackedGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  name: string;
  seed: number;
}

export const HISTORY_LIMIT = 200;

export function trackedPart(state: TrackedGraph): TrackedGraph {
  return { nodes: state.nodes, edges: state.edges, name: state.name, seed: state.seed };
}

function sameNode(x: GraphNode, y: GraphNode): boolean {
  if (x === y) return true;
  return x.id === y.id && x.position.x === y.position.x && x.position.y === y.position.y && sameNodeContent(x, y);
}

/** Whether two tracked states are the same document (a drag that ends where it began is no step). */
export function sameDocument(a: TrackedGraph, b: TrackedGraph): boolean {
  if (a.name !== b.name || a.seed !== b.seed) return false;
  if (a.nodes !== b.nodes) {
    if (a.nodes.length !== b.nodes.length) return false;
    for (let i = 0; i < a.nodes.length; i++) if (!sameNode(a.nodes[i], b.nodes[i])) return false;
  }
  if (a.edges !== b.edges) {
    if (a.edges.length !== b.edges.length) return false;
    for (let i = 0; i < a.edges.length; i++) if (a.edges[i].id !== b.edges[i].id) return false;
  }
  return true;
}

export type GraphHistory = StoreApi<TemporalState<TrackedGraph>>;

export interface HistorySlice {
  beginGroup(): void;
  endGroup(): void;
  clearHistory(): void;
  undo(): void;
  redo(): void;
}

export const createHistorySlice: StoreSlice<HistorySlice> = (_set, get, store) => {
  const history = () => (store as unknown as { temporal: GraphHistory }).temporal;
  let groupStart: TrackedGraph | null = null;
  return {
    beginGroup() {
      if (groupStart) return;
      groupStart = trackedPart(get());
      history().getState().pause();
    },
    endGroup() {
      if (!groupStart) return;
      const before = groupStart;
      groupStart = null;
      const temporal = history();
      temporal.getState().resume();
      if (sameDocument(before, trackedPart(get()))) return;
      temporal.setState((h) => ({ pastStates: [...h.pastStates, before].slice(-HISTORY_LIMIT), futureStates: [] }));
    },
    clearHistory() {
      groupStart = null;
      const temporal = history().getState();
      temporal.resume();
      temporal.clear();
    },
    undo() {
      get().endGroup();
      history().getState().undo();
    },
    redo() {
      get().endGroup();
      history().getState().redo();
    },
  };
};
