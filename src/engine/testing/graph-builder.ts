/** Terse graph construction for tests: `node('a', 'util.constant', { value: 2 })`, `edge('a.out', 'b.a')`. */
import type { Graph, GraphEdge, GraphNode } from '../graph';

export function node(
  id: string,
  type: string,
  params: Record<string, unknown> = {},
  extra: Partial<Omit<GraphNode, 'id' | 'type' | 'params'>> = {},
): GraphNode {
  return { id, type, params, position: { x: 0, y: 0 }, ...extra };
}

/** `from` and `to` are "node.port"; the id defaults to "from->to". */
export function edge(from: string, to: string, id?: string): GraphEdge {
  const split = (ref: string) => {
    const dot = ref.lastIndexOf('.');
    if (dot <= 0) throw new Error(`edge endpoint "${ref}" must be node.port`);
    return { node: ref.slice(0, dot), port: ref.slice(dot + 1) };
  };
  return { id: id ?? `${from}->${to}`, from: split(from), to: split(to) };
}

export function graph(nodes: GraphNode[], edges: GraphEdge[] = [], extra: Partial<Graph> = {}): Graph {
  return { id: 'g1', name: 'Test graph', seed: 42, nodes, edges, ...extra };
}
