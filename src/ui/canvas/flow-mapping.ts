/**
 * The canvas's React Flow objects, derived from the store's document (the engine's GraphNode /
 * GraphEdge) and the UI state (selection, measured sizes). React Flow re-renders a node when
 * its object changes, so the mapping keeps each node's (and edge's) object while neither its
 * graph node, its selection nor its measured size changed: a drag frame makes one new object,
 * not 500.
 */
import type { Edge, Node } from '@xyflow/react';
import { type GraphEdge, type GraphNode, sameNodeContent } from '../../engine/graph';

/** What the node component draws: the graph node's fields, without its id and position. */
export interface FlowNodeData extends Record<string, unknown> {
  /** Engine node type, e.g. `prep.scale`. */
  type: string;
  params: Record<string, unknown>;
  label?: string;
  version?: number;
  placeholder?: GraphNode['placeholder'];
  /** Disabled: not run, nor anything downstream of it. */
  disabled?: true;
}

/** React Flow's node `type` is always 'pipeline' (one memoised component draws every node). */
export type FlowNode = Node<FlowNodeData, 'pipeline'>;
export type FlowEdge = Edge;

export const FLOW_NODE_TYPE = 'pipeline' as const;

export interface Size {
  width: number;
  height: number;
}

interface NodeEntry {
  source: GraphNode;
  selected: boolean;
  size: Size | undefined;
  flow: FlowNode;
}

interface EdgeEntry {
  source: GraphEdge;
  selected: boolean;
  flow: FlowEdge;
}

function dataOf(node: GraphNode): FlowNodeData {
  const data: FlowNodeData = { type: node.type, params: node.params };
  if (node.label !== undefined) data.label = node.label;
  if (node.version !== undefined) data.version = node.version;
  if (node.placeholder) data.placeholder = node.placeholder;
  if (node.disabled) data.disabled = true;
  return data;
}

function sameSize(a: Size | undefined, b: Size | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.width === b.width && a.height === b.height);
}

/**
 * The memoising both mappers share: each item's entry is kept by id and reused while
 * `entryFor` returns it unchanged; the previous array itself comes back when no object changed.
 */
function keyedMapper<Item extends { id: string }, Entry extends { flow: Flow }, Flow>(): (items: readonly Item[], entryFor: (item: Item, cached: Entry | undefined) => Entry) => Flow[] {
  let cache = new Map<string, Entry>();
  let last: Flow[] = [];
  return (items, entryFor) => {
    const next = new Map<string, Entry>();
    const out = new Array<Flow>(items.length);
    let changed = items.length !== last.length;
    for (let i = 0; i < items.length; i++) {
      const entry = entryFor(items[i], cache.get(items[i].id));
      next.set(items[i].id, entry);
      out[i] = entry.flow;
      if (!changed && last[i] !== entry.flow) changed = true;
    }
    cache = next;
    if (!changed) return last;
    last = out;
    return out;
  };
}

/**
 * A memoised mapping from graph nodes to React Flow nodes (one per canvas). Returns the
 * previous array itself when no node's object changed.
 */
export function createNodeMapper(): (nodes: readonly GraphNode[], selected: ReadonlySet<string>, sizes: ReadonlyMap<string, Size>) => FlowNode[] {
  const map = keyedMapper<GraphNode, NodeEntry, FlowNode>();
  return (nodes, selected, sizes) =>
    map(nodes, (node, entry) => {
      const isSelected = selected.has(node.id);
      const size = sizes.get(node.id);
      if (entry && entry.source === node && entry.selected === isSelected && sameSize(entry.size, size)) return entry;
      const data = entry && sameNodeContent(entry.flow.data, node) ? entry.flow.data : dataOf(node);
      const flow: FlowNode = { id: node.id, type: FLOW_NODE_TYPE, position: node.position, data, selected: isSelected };
      if (size) flow.measured = { width: size.width, height: size.height };
      return { source: node, selected: isSelected, size, flow };
    });
}

export function toFlowEdge(edge: GraphEdge, selected: boolean): FlowEdge {
  return { id: edge.id, source: edge.from.node, sourceHandle: edge.from.port, target: edge.to.node, targetHandle: edge.to.port, selected };
}

/** The same for edges: an edge's object changes only with its graph edge or its selection. */
export function createEdgeMapper(): (edges: readonly GraphEdge[], selected: ReadonlySet<string>) => FlowEdge[] {
  const map = keyedMapper<GraphEdge, EdgeEntry, FlowEdge>();
  return (edges, selected) =>
    map(edges, (edge, entry) => {
      const isSelected = selected.has(edge.id);
      if (entry && entry.source === edge && entry.selected === isSelected) return entry;
      return { source: edge, selected: isSelected, flow: toFlowEdge(edge, isSelected) };
    });
}
