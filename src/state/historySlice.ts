/**
 * Undo/redo over the graph slice (zundo). Each `set` is one step; `beginGroup`/`endGroup`
 * fold a stream of changes (a drag) into one step: pause tracking at the start, and at the
 * end push the state from before the group as a single past state.
 */
import type { StoreApi } from 'zustand';
import type { TemporalState } from 'zundo';
import type { StoreSlice } from './storeTypes';
import type { EditorEdge, EditorNode } from './types';

export interface TrackedGraph {
  nodes: EditorNode[];
  edges: EditorEdge[];
  name: string;
  seed: number;
}

export const HISTORY_LIMIT = 200;

export function trackedPart(state: TrackedGraph): TrackedGraph {
  return { nodes: state.nodes, edges: state.edges, name: state.name, seed: state.seed };
}

/**
 * Whether two tracked states are the same document. Selection and measured sizes do not
 * count (React Flow replaces node objects for those but keeps `data` and `position`).
 */
export function sameDocument(a: TrackedGraph, b: TrackedGraph): boolean {
  if (a.name !== b.name || a.seed !== b.seed) return false;
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x.id !== y.id || x.data !== y.data) return false;
    if (x.position !== y.position && (x.position.x !== y.position.x || x.position.y !== y.position.y)) return false;
  }
  for (let i = 0; i < a.edges.length; i++) if (a.edges[i].id !== b.edges[i].id) return false;
  return true;
}

interface Selection {
  nodes: Map<string, boolean>;
  edges: Map<string, boolean>;
}

function selectionOf(state: TrackedGraph): Selection {
  return {
    nodes: new Map(state.nodes.map((n) => [n.id, Boolean(n.selected)])),
    edges: new Map(state.edges.map((e) => [e.id, Boolean(e.selected)])),
  };
}

/**
 * Selection is not part of the document, but the restored states carry whatever was selected
 * when they were recorded (e.g. the node a run selected). What the user is looking at now
 * stays selected; only nodes and edges that undo brings back keep their recorded selection.
 */
function keepSelection(state: TrackedGraph, before: Selection): Pick<TrackedGraph, 'nodes' | 'edges'> {
  const pick = <T extends { id: string; selected?: boolean }>(items: T[], was: Map<string, boolean>): T[] =>
    items.map((item) => {
      const selected = was.get(item.id);
      return selected === undefined || selected === Boolean(item.selected) ? item : { ...item, selected };
    });
  return { nodes: pick(state.nodes, before.nodes), edges: pick(state.edges, before.edges) };
}

export type GraphHistory = StoreApi<TemporalState<TrackedGraph>>;

export interface HistorySlice {
  beginGroup(): void;
  endGroup(): void;
  clearHistory(): void;
  undo(): void;
  redo(): void;
}

export const createHistorySlice: StoreSlice<HistorySlice> = (set, get, store) => {
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
      const selection = selectionOf(get());
      history().getState().undo();
      set((s) => keepSelection(s, selection));
    },
    redo() {
      get().endGroup();
      const selection = selectionOf(get());
      history().getState().redo();
      set((s) => keepSelection(s, selection));
    },
  };
};
