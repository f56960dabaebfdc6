/**
 * Conversion between the engine's `Graph` (what runs, exports and is stored) and the
 * editor's React Flow nodes/edges, plus clipboard fragments (graph-file-shaped JSON).
 */
import type { Graph, GraphEdge, GraphNode, Viewport } from '../engine/graph';
import { GRAPH_FILE_FORMAT, GRAPH_FILE_VERSION } from '../engine/graph-file-format';
import type { GraphFileV1 } from '../engine/graph-file-schema';
import type { NodeRegistry } from '../engine/registry';
import { edgeId } from './catalogue';
import { restoreGraph } from './graphFile';
import { FLOW_NODE_TYPE, type EditorEdge, type EditorNode } from './types';

export function toEditorNode(node: GraphNode): EditorNode {
  const data: EditorNode['data'] = { type: node.type, params: node.params };
  if (node.label !== undefined) data.label = node.label;
  if (node.version !== undefined) data.version = node.version;
  if (node.placeholder) data.placeholder = node.placeholder;
  if (node.disabled) data.disabled = true;
  return { id: node.id, type: FLOW_NODE_TYPE, position: { ...node.position }, data };
}

export function toEditorEdge(edge: GraphEdge): EditorEdge {
  return {
    id: edge.id || edgeId(edge.from.node, edge.from.port, edge.to.node, edge.to.port),
    source: edge.from.node,
    sourceHandle: edge.from.port,
    target: edge.to.node,
    targetHandle: edge.to.port,
  };
}

export function toGraphNode(node: EditorNode): GraphNode {
  const out: GraphNode = {
    id: node.id,
    type: node.data.type,
    params: node.data.params,
    position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
  };
  if (node.data.label !== undefined) out.label = node.data.label;
  if (node.data.version !== undefined) out.version = node.data.version;
  if (node.data.placeholder) out.placeholder = node.data.placeholder;
  if (node.data.disabled) out.disabled = true;
  return out;
}

export function toGraphEdge(edge: EditorEdge): GraphEdge {
  return {
    id: edge.id,
    from: { node: edge.source, port: edge.sourceHandle ?? '' },
    to: { node: edge.target, port: edge.targetHandle ?? '' },
  };
}

export interface GraphDocument {
  graphId: string;
  name: string;
  seed: number;
  nodes: EditorNode[];
  edges: EditorEdge[];
  viewport: Viewport;
}

export function documentToGraph(doc: GraphDocument): Graph {
  return {
    id: doc.graphId,
    name: doc.name,
    seed: doc.seed,
    nodes: doc.nodes.map(toGraphNode),
    edges: doc.edges.map(toGraphEdge),
    viewport: { ...doc.viewport },
  };
}

export function graphToDocument(graph: Graph): GraphDocument {
  return {
    graphId: graph.id,
    name: graph.name,
    seed: graph.seed,
    nodes: graph.nodes.map(toEditorNode),
    edges: graph.edges.map(toEditorEdge),
    viewport: graph.viewport ? { ...graph.viewport } : { x: 0, y: 0, zoom: 1 },
  };
}

/** A readable node id from its type (`scale-2`), unique among `taken`. */
export function newNodeId(type: string, taken: ReadonlySet<string>): string {
  const base = (type.split('.')[1] ?? type).replace(/[^a-zA-Z0-9-]/g, '') || 'node';
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * Clipboard content: a graph file (same format as export) holding the copied nodes and
 * the edges between them, so it pastes into any graph and also imports as a file.
 */
export function makeFragment(nodes: readonly EditorNode[], edges: readonly EditorEdge[]): GraphFileV1 {
  const ids = new Set(nodes.map((n) => n.id));
  const positions: Record<string, { x: number; y: number }> = {};
  for (const node of nodes) positions[node.id] = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
  return {
    format: GRAPH_FILE_FORMAT,
    version: GRAPH_FILE_VERSION,
    graph: {
      id: 'clipboard',
      name: 'Copied nodes',
      seed: 0,
      nodes: nodes.map((n) => {
        const node = toGraphNode(n);
        return { id: node.id, type: node.type, params: node.params, ...(node.version !== undefined ? { version: node.version } : {}), ...(node.label !== undefined ? { label: node.label } : {}), ...(node.disabled ? { disabled: true as const } : {}) };
      }),
      edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map(toGraphEdge),
    },
    layout: { positions },
  };
}

/**
 * Clipboard text as a graph-file document (parsed JSON naming a format or kind), or null for
 * text that is not a graph file at all (plain text, other JSON). Synchronous and cheap: a
 * paste event decides with it whether the editor takes the paste.
 */
export function fragmentDocument(text: string): object | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const doc = value as { format?: unknown; kind?: unknown };
  if (doc.format === undefined && doc.kind === undefined) return null;
  return value;
}

/**
 * Reads clipboard text as nodes + edges. Clipboard content is a graph file (ours, or another
 * graph's export) and goes through the same restore path as every other graph (graphFile.ts):
 * migrated, validated, params completed with their defaults, unknown types as placeholders.
 * Resolves to null for text that is not a graph file at all (see fragmentDocument); rejects with
 * GraphFileError, with the reason, for a graph file this app cannot read (e.g. a newer version).
 */
export async function readFragment(text: string, registry?: NodeRegistry): Promise<{ nodes: GraphNode[]; edges: GraphEdge[] } | null> {
  const doc = fragmentDocument(text);
  if (!doc) return null;
  const { graph } = await restoreGraph(doc, registry);
  return { nodes: graph.nodes, edges: graph.edges };
}

/**
 * Gives pasted nodes fresh ids (so pasting twice or into another graph never collides),
 * moves them by `offset`, and keeps only the edges between pasted nodes.
 */
export function instantiateFragment(
  fragment: { nodes: GraphNode[]; edges: GraphEdge[] },
  taken: ReadonlySet<string>,
  offset: { x: number; y: number },
): { nodes: EditorNode[]; edges: EditorEdge[] } {
  const used = new Set(taken);
  const idMap = new Map<string, string>();
  const nodes: EditorNode[] = [];
  for (const node of fragment.nodes) {
    const id = newNodeId(node.type, used);
    used.add(id);
    idMap.set(node.id, id);
    const copy = toEditorNode({ ...node, id, params: structuredClone(node.params), position: { x: node.position.x + offset.x, y: node.position.y + offset.y } });
    copy.selected = true;
    nodes.push(copy);
  }
  const edges: EditorEdge[] = [];
  for (const edge of fragment.edges) {
    const source = idMap.get(edge.from.node);
    const target = idMap.get(edge.to.node);
    if (!source || !target) continue;
    edges.push({ id: edgeId(source, edge.from.port, target, edge.to.port), source, sourceHandle: edge.from.port, target, targetHandle: edge.to.port });
  }
  return { nodes, edges };
}
