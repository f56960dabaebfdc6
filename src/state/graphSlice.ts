/**
 * The graph being edited: nodes, edges, viewport, name, id, seed. Only this slice is
 * tracked by undo/redo (see ./store). Every user action is one `set`, so one undo step;
 * a drag is grouped by the store (pause on drag start, one step on drag stop).
 */
import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import type { Graph, GraphEdge, GraphNode, Viewport } from '../engine/graph';
import { defaultParams } from '../engine/params';
import { connectionProblem, edgeId, getDefinition } from './catalogue';
import { graphToDocument, instantiateFragment, newNodeId } from './convert';
import { staleAfterEdit } from './runSlice';
import type { StoreSlice } from './storeTypes';
import { FLOW_NODE_TYPE, type EditorEdge, type EditorNode } from './types';

export interface GraphSlice {
  graphId: string;
  name: string;
  seed: number;
  nodes: EditorNode[];
  edges: EditorEdge[];
  viewport: Viewport;
  /** Bumps on every loadGraph, so the canvas re-applies the viewport. */
  loadToken: number;
  /** The loaded graph had no viewport: the canvas fits it into view instead. */
  fitOnLoad: boolean;
  /** Replaces the whole graph (open, import, new) and forgets undo history. */
  loadGraph(graph: Graph): void;
  /**
   * Replaces the open graph's content (nodes, edges, name, seed) with `graph`'s, keeping its id
   * and viewport, in one undo step: "restore this run" (autosave makes it a new revision).
   */
  replaceDocument(graph: Graph): void;
  onNodesChange(changes: NodeChange<EditorNode>[]): void;
  onEdgesChange(changes: EdgeChange<EditorEdge>[]): void;
  /**
   * Adds the edge, or returns why it is refused (and changes nothing). With `replace`, a wire
   * already on that input is removed in the same undo step.
   */
  connect(connection: Connection, options?: { replace?: boolean }): string | null;
  /** Adds a node with its defaults (overridden by `init`), selected, in one undo step. */
  addNode(type: string, position: { x: number; y: number }, init?: { params?: Record<string, unknown>; label?: string }): string;
  /** Sets several params (and the label) of one node in one undo step. */
  patchNode(nodeId: string, patch: { params?: Record<string, unknown>; label?: string }): void;
  /** Sets one param; the caller has checked it (invalid values never reach the graph). */
  setParam(nodeId: string, name: string, value: unknown): void;
  setNodeLabel(nodeId: string, label: string): void;
  /** Disables (or enables) these nodes in one undo step: a disabled node and its downstream do not run. */
  setDisabled(nodeIds: readonly string[], disabled: boolean): void;
  rename(name: string): void;
  setSeed(seed: number): void;
  setViewport(viewport: Viewport): void;
  selectAll(): void;
  selectOnly(nodeIds: string[]): void;
  deleteSelection(): void;
  /** Pastes nodes (fresh ids, offset) in one undo step; the pasted nodes become the selection. */
  pasteFragment(fragment: { nodes: GraphNode[]; edges: GraphEdge[] }, offset: { x: number; y: number }): string[];
  duplicateSelection(): string[];
  /** Moves nodes (auto-layout) in one undo step. */
  moveNodes(positions: Record<string, { x: number; y: number }>): void;
}

export const EMPTY_VIEWPORT: Viewport = { x: 0, y: 0, zoom: 1 };

export const createGraphSlice: StoreSlice<GraphSlice> = (set, get) => ({
  graphId: 'untitled',
  name: 'Untitled pipeline',
  seed: 42,
  nodes: [],
  edges: [],
  viewport: EMPTY_VIEWPORT,
  loadToken: 0,
  fitOnLoad: false,

  loadGraph(graph) {
    const doc = graphToDocument(graph);
    set((s) => ({
      graphId: doc.graphId,
      name: doc.name,
      seed: doc.seed,
      nodes: doc.nodes,
      edges: doc.edges,
      viewport: doc.viewport,
      loadToken: s.loadToken + 1,
      fitOnLoad: !graph.viewport && doc.nodes.length > 0,
    }));
    get().clearHistory();
  },

  replaceDocument(graph) {
    const doc = graphToDocument(graph);
    get().endGroup();
    set({ name: doc.name, seed: doc.seed, nodes: doc.nodes, edges: doc.edges });
  },

  onNodesChange(changes) {
    const dragStarts = changes.some((c) => c.type === 'position' && c.dragging === true);
    const dragEnds = changes.some((c) => c.type === 'position' && c.dragging === false);
    if (dragStarts) get().beginGroup();
    // Removing a node also removes its edges (React Flow reports them separately when
    // deleting by key, but not when a node is removed programmatically).
    const removed = new Set(changes.filter((c) => c.type === 'remove').map((c) => c.id));
    set((s) => ({
      nodes: applyNodeChanges(changes, s.nodes),
      edges: removed.size ? s.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) : s.edges,
    }));
    if (dragEnds) get().endGroup();
  },

  onEdgesChange(changes) {
    set((s) => ({ edges: applyEdgeChanges(changes, s.edges) }));
  },

  connect(connection, options) {
    const { nodes, edges } = get();
    const problem = connectionProblem(connection, nodes, edges, options);
    if (problem) return problem;
    const kept = options?.replace ? edges.filter((e) => !(e.target === connection.target && e.targetHandle === connection.targetHandle)) : edges;
    const edge: EditorEdge = {
      id: edgeId(connection.source, connection.sourceHandle ?? '', connection.target, connection.targetHandle ?? ''),
      source: connection.source,
      sourceHandle: connection.sourceHandle,
      target: connection.target,
      targetHandle: connection.targetHandle,
    };
    set({ edges: [...kept, edge] });
    return null;
  },

  addNode(type, position, init) {
    const def = getDefinition(type);
    if (!def) throw new Error(`Unknown node type "${type}"`);
    const id = newNodeId(type, new Set(get().nodes.map((n) => n.id)));
    const node: EditorNode = {
      id,
      type: FLOW_NODE_TYPE,
      position: { x: Math.round(position.x), y: Math.round(position.y) },
      data: { type, params: { ...defaultParams(def.params), ...init?.params }, version: def.version, ...(init?.label ? { label: init.label } : {}) },
      selected: true,
    };
    set((s) => ({ nodes: [...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), node] }));
    return id;
  },

  setParam(nodeId, name, value) {
    set((s) => ({
      nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, params: { ...n.data.params, [name]: value } } } : n)),
      nodeRuns: staleAfterEdit(s.nodeRuns, s.edges, nodeId),
    }));
  },

  patchNode(nodeId, patch) {
    set((s) => ({
      nodes: s.nodes.map((n) =>
        n.id === nodeId ? { ...n, data: { ...n.data, params: { ...n.data.params, ...patch.params }, ...(patch.label !== undefined ? { label: patch.label } : {}) } } : n,
      ),
      nodeRuns: patch.params ? staleAfterEdit(s.nodeRuns, s.edges, nodeId) : s.nodeRuns,
    }));
  },

  setNodeLabel(nodeId, label) {
    set((s) => ({
      nodes: s.nodes.map((n) => {
        if (n.id !== nodeId) return n;
        const data = { ...n.data };
        if (label.trim()) data.label = label;
        else delete data.label;
        return { ...n, data };
      }),
    }));
  },

  setDisabled(nodeIds, disabled) {
    const ids = new Set(nodeIds);
    set((s) => ({
      nodes: s.nodes.map((n) => {
        if (!ids.has(n.id) || Boolean(n.data.disabled) === disabled) return n;
        const data = { ...n.data };
        if (disabled) data.disabled = true;
        else delete data.disabled;
        return { ...n, data };
      }),
      nodeRuns: nodeIds.reduce((runs, nodeId) => staleAfterEdit(runs, s.edges, nodeId), s.nodeRuns),
    }));
  },

  rename(name) {
    set({ name });
  },

  setSeed(seed) {
    set({ seed });
  },

  setViewport(viewport) {
    set({ viewport });
  },

  selectAll() {
    set((s) => ({
      nodes: s.nodes.map((n) => (n.selected ? n : { ...n, selected: true })),
      edges: s.edges.map((e) => (e.selected ? e : { ...e, selected: true })),
    }));
  },

  selectOnly(nodeIds) {
    const chosen = new Set(nodeIds);
    set((s) => ({
      nodes: s.nodes.map((n) => (Boolean(n.selected) === chosen.has(n.id) ? n : { ...n, selected: chosen.has(n.id) })),
      edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
    }));
  },

  deleteSelection() {
    set((s) => {
      const gone = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
      return {
        nodes: s.nodes.filter((n) => !gone.has(n.id)),
        edges: s.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)),
      };
    });
  },

  pasteFragment(fragment, offset) {
    const { nodes, edges } = get();
    const pasted = instantiateFragment(fragment, new Set(nodes.map((n) => n.id)), offset);
    set({
      nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes],
      edges: [...edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pasted.edges],
    });
    return pasted.nodes.map((n) => n.id);
  },

  duplicateSelection() {
    const { nodes, edges } = get();
    const chosen = nodes.filter((n) => n.selected);
    if (!chosen.length) return [];
    const ids = new Set(chosen.map((n) => n.id));
    const fragment = {
      nodes: chosen.map((n) => ({ id: n.id, type: n.data.type, params: n.data.params, position: n.position, label: n.data.label, ...(n.data.disabled ? { disabled: true as const } : {}) })),
      edges: edges
        .filter((e) => ids.has(e.source) && ids.has(e.target))
        .map((e) => ({ id: e.id, from: { node: e.source, port: e.sourceHandle ?? '' }, to: { node: e.target, port: e.targetHandle ?? '' } })),
    };
    return get().pasteFragment(fragment, { x: 40, y: 40 });
  },

  moveNodes(positions) {
    set((s) => ({ nodes: s.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)) }));
  },
});
