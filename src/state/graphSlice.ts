/**
 * The graph being edited: the engine's nodes and edges (GraphNode/GraphEdge), viewport, name,
 * id, seed. Only nodes, edges, name and seed are tracked by undo/redo (see ./store); the
 * selection lives in the UI slice. Every user action is one `set`, so one undo step; a drag is
 * grouped by the store (pause on drag start, one step on drag stop).
 */
import type { Connection, EdgeChange, NodeChange } from '@xyflow/react';
import type { Graph, GraphEdge, GraphNode, Viewport } from '../engine/graph';
import { defaultParams } from '../engine/params';
import { connectionProblem, edgeId, getDefinition } from './catalogue';
import { graphToDocument, instantiateFragment, newNodeId } from './convert';
import { staleAfterEdit } from './runSlice';
import type { StoreSlice } from './storeTypes';

const NO_SELECTION: ReadonlySet<string> = new Set();

/** `set` with `id` added or removed; `set` itself when it already says so. */
function toggled(set: ReadonlySet<string>, id: string, on: boolean): ReadonlySet<string> {
  if (set.has(id) === on) return set;
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

export interface GraphSlice {
  graphId: string;
  name: string;
  seed: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
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
  /**
   * React Flow's node changes applied to the graph: positions (a drag is one undo step), selection
   * (UI state), removals. Sizes (`dimensions`) are the canvas's business and are ignored here.
   */
  onNodesChange(changes: NodeChange[]): void;
  /** React Flow's edge changes: selection (UI state) and removals. */
  onEdgesChange(changes: EdgeChange[]): void;
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
      selectedNodeIds: NO_SELECTION,
      selectedEdgeIds: NO_SELECTION,
      loadToken: s.loadToken + 1,
      fitOnLoad: !graph.viewport && doc.nodes.length > 0,
    }));
    get().clearHistory();
  },

  replaceDocument(graph) {
    const doc = graphToDocument(graph);
    get().endGroup();
    set({ name: doc.name, seed: doc.seed, nodes: doc.nodes, edges: doc.edges, selectedNodeIds: NO_SELECTION, selectedEdgeIds: NO_SELECTION });
  },

  onNodesChange(changes) {
    const dragStarts = changes.some((c) => c.type === 'position' && c.dragging === true);
    const dragEnds = changes.some((c) => c.type === 'position' && c.dragging === false);
    if (dragStarts) get().beginGroup();
    set((s) => {
      let selected = s.selectedNodeIds;
      const moved = new Map<string, { x: number; y: number }>();
      const removed = new Set<string>();
      for (const change of changes) {
        if (change.type === 'select') selected = toggled(selected, change.id, change.selected);
        else if (change.type === 'position' && change.position) moved.set(change.id, { x: Math.round(change.position.x), y: Math.round(change.position.y) });
        else if (change.type === 'remove') removed.add(change.id);
      }
      let nodes = s.nodes;
      if (moved.size) {
        nodes = nodes.map((n) => {
          const to = moved.get(n.id);
          return to && (to.x !== n.position.x || to.y !== n.position.y) ? { ...n, position: to } : n;
        });
      }
      // Removing a node also removes its edges (React Flow reports them separately when
      // deleting by key, but not when a node is removed programmatically).
      if (removed.size) nodes = nodes.filter((n) => !removed.has(n.id));
      const edges = removed.size ? s.edges.filter((e) => !removed.has(e.from.node) && !removed.has(e.to.node)) : s.edges;
      return { nodes, edges, selectedNodeIds: selected };
    });
    if (dragEnds) get().endGroup();
  },

  onEdgesChange(changes) {
    set((s) => {
      let selected = s.selectedEdgeIds;
      const removed = new Set<string>();
      for (const change of changes) {
        if (change.type === 'select') selected = toggled(selected, change.id, change.selected);
        else if (change.type === 'remove') removed.add(change.id);
      }
      return { edges: removed.size ? s.edges.filter((e) => !removed.has(e.id)) : s.edges, selectedEdgeIds: selected };
    });
  },

  connect(connection, options) {
    const { nodes, edges } = get();
    const problem = connectionProblem(connection, nodes, edges, options);
    if (problem) return problem;
    const from = { node: connection.source, port: connection.sourceHandle ?? '' };
    const to = { node: connection.target, port: connection.targetHandle ?? '' };
    const kept = options?.replace ? edges.filter((e) => !(e.to.node === to.node && e.to.port === to.port)) : edges;
    const edge: GraphEdge = { id: edgeId(from.node, from.port, to.node, to.port), from, to };
    set({ edges: [...kept, edge] });
    return null;
  },

  addNode(type, position, init) {
    const def = getDefinition(type);
    if (!def) throw new Error(`Unknown node type "${type}"`);
    const id = newNodeId(type, new Set(get().nodes.map((n) => n.id)));
    const node: GraphNode = {
      id,
      type,
      version: def.version,
      params: { ...defaultParams(def.params), ...init?.params },
      position: { x: Math.round(position.x), y: Math.round(position.y) },
      ...(init?.label ? { label: init.label } : {}),
    };
    set((s) => ({ nodes: [...s.nodes, node], selectedNodeIds: new Set([id]), selectedEdgeIds: s.selectedEdgeIds }));
    return id;
  },

  setParam(nodeId, name, value) {
    set((s) => ({
      nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, [name]: value } } : n)),
      nodeRuns: staleAfterEdit(s.nodeRuns, s.edges, [nodeId]),
    }));
  },

  patchNode(nodeId, patch) {
    set((s) => ({
      nodes: s.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, ...patch.params }, ...(patch.label !== undefined ? { label: patch.label } : {}) } : n)),
      nodeRuns: patch.params ? staleAfterEdit(s.nodeRuns, s.edges, [nodeId]) : s.nodeRuns,
    }));
  },

  setNodeLabel(nodeId, label) {
    set((s) => ({
      nodes: s.nodes.map((n) => {
        if (n.id !== nodeId) return n;
        const node = { ...n };
        if (label.trim()) node.label = label;
        else delete node.label;
        return node;
      }),
    }));
  },

  setDisabled(nodeIds, disabled) {
    const ids = new Set(nodeIds);
    set((s) => ({
      nodes: s.nodes.map((n) => {
        if (!ids.has(n.id) || Boolean(n.disabled) === disabled) return n;
        const node = { ...n };
        if (disabled) node.disabled = true;
        else delete node.disabled;
        return node;
      }),
      nodeRuns: staleAfterEdit(s.nodeRuns, s.edges, nodeIds),
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
    set((s) => ({ selectedNodeIds: new Set(s.nodes.map((n) => n.id)), selectedEdgeIds: new Set(s.edges.map((e) => e.id)) }));
  },

  selectOnly(nodeIds) {
    set({ selectedNodeIds: new Set(nodeIds), selectedEdgeIds: NO_SELECTION });
  },

  deleteSelection() {
    set((s) => {
      const gone = new Set(s.nodes.filter((n) => s.selectedNodeIds.has(n.id)).map((n) => n.id));
      return {
        nodes: s.nodes.filter((n) => !gone.has(n.id)),
        edges: s.edges.filter((e) => !s.selectedEdgeIds.has(e.id) && !gone.has(e.from.node) && !gone.has(e.to.node)),
      };
    });
  },

  pasteFragment(fragment, offset) {
    const { nodes, edges } = get();
    const pasted = instantiateFragment(fragment, new Set(nodes.map((n) => n.id)), offset);
    set({ nodes: [...nodes, ...pasted.nodes], edges: [...edges, ...pasted.edges], selectedNodeIds: new Set(pasted.nodes.map((n) => n.id)), selectedEdgeIds: NO_SELECTION });
    return pasted.nodes.map((n) => n.id);
  },

  duplicateSelection() {
    const { nodes, edges, selectedNodeIds } = get();
    const chosen = nodes.filter((n) => selectedNodeIds.has(n.id));
    if (!chosen.length) return [];
    const ids = new Set(chosen.map((n) => n.id));
    const fragment = {
      nodes: chosen.map((n) => ({ id: n.id, type: n.type, params: n.params, position: n.position, label: n.label, ...(n.disabled ? { disabled: true as const } : {}) })),
      edges: edges.filter((e) => ids.has(e.from.node) && ids.has(e.to.node)),
    };
    return get().pasteFragment(fragment, { x: 40, y: 40 });
  },

  moveNodes(positions) {
    set((s) => ({ nodes: s.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)) }));
  },
});
