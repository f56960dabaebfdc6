/**
 * The editor's document is the engine's `Graph` (what runs, exports and is stored): loading
 * cleans its nodes and edges, saving takes them as they are. Plus clipboard fragments
 * (graph-file-shaped JSON). React Flow's objects are derived in src/ui/canvas/flow-mapping.
 */
import type { Graph, GraphEdge, GraphNode, Viewport } from '../engine/graph';
import { GRAPH_FILE_FORMAT, GRAPH_FILE_VERSION } from '../engine/graph-file-format';
import type { GraphFileV1 } from '../engine/graph-file-schema';
import type { NodeRegistry } from '../engine/registry';
import { edgeId } from './catalogue';
import { restoreGraph } from './graphFile';

/** A graph node with only the fields it has (no `undefined` entries), at whole-pixel coordinates. */
export function cleanNode(node: GraphNode): GraphNode {
  const out: GraphNode = {
    id: node.id,
    type: node.type,
    params: node.params,
    position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
  };
  if (node.label !== undefined) out.label = node.label;
  if (node.version !== undefined) out.version = node.version;
  if (node.placeholder) out.placeholder = node.placeholder;
  if (node.disabled) out.disabled = true;
  return out;
}

export function cleanEdge(edge: GraphEdge): GraphEdge {
  return {
    id: edge.id || edgeId(edge.from.node, edge.from.port, edge.to.node, edge.to.port),
    from: { node: edge.from.node, port: edge.from.port },
    to: { node: edge.to.node, port: edge.to.port },
  };
}

/** The editor's document: the engine's graph (selection and React Flow objects live in UI state). */
export interface GraphDocument {
  graphId: string;
  name: string;
  seed: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  viewport: Viewport;
}

export function documentToGraph(doc: GraphDocument): Graph {
  return { id: doc.graphId, name: doc.name, seed: doc.seed, nodes: [...doc.nodes], edges: [...doc.edges], viewport: { ...doc.viewport } };
}

export function graphToDocument(graph: Graph): GraphDocument {
  return {
    graphId: graph.id,
    name: graph.name,
    seed: graph.seed,
    nodes: graph.nodes.map(cleanNode),
    edges: graph.edges.map(cleanEdge),
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
export function makeFragment(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): GraphFileV1 {
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
        const node = cleanNode(n);
        return { id: node.id, type: node.type, params: node.params, ...(node.version !== undefined ? { version: node.version } : {}), ...(node.label !== undefined ? { label: node.label } : {}), ...(node.disabled ? { disabled: true as const } : {}) };
      }),
      edges: edges.filter((e) => ids.has(e.from.node) && ids.has(e.to.node)).map(cleanEdge),
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
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const used = new Set(taken);
  const idMap = new Map<string, string>();
  const nodes: GraphNode[] = [];
  for (const node of fragment.nodes) {
    const id = newNodeId(node.type, used);
    used.add(id);
    idMap.set(node.id, id);
    nodes.push(cleanNode({ ...node, id, params: structuredClone(node.params), position: { x: node.position.x + offset.x, y: node.position.y + offset.y } }));
  }
  const edges: GraphEdge[] = [];
  for (const edge of fragment.edges) {
    const source = idMap.get(edge.from.node);
    const target = idMap.get(edge.to.node);
    if (!source || !target) continue;
    edges.push({ id: edgeId(source, edge.from.port, target, edge.to.port), from: { node: source, port: edge.from.port }, to: { node: target, port: edge.to.port } });
  }
  return { nodes, edges };
}
