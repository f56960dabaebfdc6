/**
 * The editor store: one zustand store built from slices (graph, run, ui, history), with
 * zundo's temporal middleware tracking only the graph document (nodes, edges, name, seed).
 */
import { useEffect, useState } from 'react';
import { temporal } from 'zundo';
import { createStore, useStore, type StoreApi } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { type GraphNode, sameNodeContent } from '../engine/graph';
import { createGraphSlice } from './graphSlice';
import { createHistorySlice, HISTORY_LIMIT, sameDocument, trackedPart, type GraphHistory, type TrackedGraph } from './historySlice';
import { createRunSlice } from './runSlice';
import type { EditorState } from './storeTypes';
import { createUiSlice } from './uiSlice';

export type { EditorState } from './storeTypes';

export type EditorStore = StoreApi<EditorState> & { temporal: GraphHistory };

/** A fresh store (tests make their own; the app uses `editorStore`). */
export function createEditorStore(): EditorStore {
  return createStore<EditorState>()(
    temporal(
      (...a) => ({
        ...createGraphSlice(...a),
        ...createRunSlice(...a),
        ...createUiSlice(...a),
        ...createHistorySlice(...a),
      }),
      {
        partialize: (state): TrackedGraph => trackedPart(state),
        equality: sameDocument,
        limit: HISTORY_LIMIT,
      },
    ),
  ) as unknown as EditorStore;
}

export const editorStore = createEditorStore();

/** Narrow selector hook over the app store. */
export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(editorStore, selector);
}

/** Selector returning an object/array, compared shallowly (stable for unchanged fields). */
export function useEditorShallow<T>(selector: (state: EditorState) => T): T {
  return useStore(editorStore, useShallow(selector));
}

/** Whether undo/redo are possible, for toolbar buttons. */
export function useHistoryFlags(): { canUndo: boolean; canRedo: boolean } {
  return useStore(
    editorStore.temporal,
    useShallow((h) => ({ canUndo: h.pastStates.length > 0, canRedo: h.futureStates.length > 0 })),
  );
}

/** The selected nodes of the graph, in graph order. */
export function selectedNodes(state: Pick<EditorState, 'nodes' | 'selectedNodeIds'>): GraphNode[] {
  return state.nodes.filter((n) => state.selectedNodeIds.has(n.id));
}

/** How many of the graph's nodes are selected. */
export function selectedCount(state: Pick<EditorState, 'nodes' | 'selectedNodeIds'>): number {
  let count = 0;
  for (const node of state.nodes) if (state.selectedNodeIds.has(node.id)) count++;
  return count;
}

/** The single selected node's id, or null (none or several selected). */
export function selectedNodeId(state: Pick<EditorState, 'nodes' | 'selectedNodeIds'>): string | null {
  let found: string | null = null;
  for (const node of state.nodes) {
    if (!state.selectedNodeIds.has(node.id)) continue;
    if (found) return null;
    found = node.id;
  }
  return found;
}

/** Whether what validation reads (node types and params, edges) differs; positions and selection do not count. */
export function validatedPartChanged(a: Pick<EditorState, 'nodes' | 'edges'>, b: Pick<EditorState, 'nodes' | 'edges'>): boolean {
  if (a.edges !== b.edges) {
    // Edges are never re-pointed in place (a new connection is a new edge): same ids, same ends.
    if (a.edges.length !== b.edges.length) return true;
    for (let i = 0; i < a.edges.length; i++) if (a.edges[i].id !== b.edges[i].id) return true;
  }
  if (a.nodes === b.nodes) return false;
  if (a.nodes.length !== b.nodes.length) return true;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x !== y && (x.id !== y.id || !sameNodeContent(x, y))) return true;
  }
  return false;
}

/**
 * A number that changes whenever what a node's cache key reads changes (node types and
 * params, edges, seed, the open graph), not on drags or selection: output views and column
 * lists refetch with it, so a result of older params never stays on screen.
 */
export function useContentVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(
    () =>
      editorStore.subscribe((state, prev) => {
        if (state.graphId !== prev.graphId || state.seed !== prev.seed || validatedPartChanged(state, prev)) setVersion((v) => v + 1);
      }),
    [],
  );
  return version;
}
