/**
 * The graph as the engine sees it: plain JSON, survives postMessage and export untouched.
 * Layout (positions, viewport) rides along but never enters a cache key.
 */
export interface GraphNode {
  id: string;
  type: string;
  params: Record<string, unknown>;
  position: { x: number; y: number };
  /** Optional user label shown instead of the type title. */
  label?: string;
  /** Set on import when the type is unknown: the node is kept, shown, and not runnable. */
  placeholder?: { originalType: string; originalVersion?: number; reason: string };
  /** Version of the node type its params were written for. */
  version?: number;
  /** Disabled ("muted"): kept in the graph, not run, and nothing downstream of it runs. Absent = enabled. */
  disabled?: true;
}

/** What a node is apart from where it sits: its id and position left out. */
export type NodeContent = Pick<GraphNode, 'type' | 'params' | 'label' | 'version' | 'placeholder' | 'disabled'>;

/**
 * Whether two nodes (or a node and the canvas's copy of its fields) hold the same content:
 * params and placeholder compared by reference, as every edit makes new objects for them.
 */
export function sameNodeContent(a: NodeContent, b: NodeContent): boolean {
  return a.type === b.type && a.params === b.params && a.label === b.label && a.version === b.version && a.placeholder === b.placeholder && a.disabled === b.disabled;
}

export interface PortRef {
  node: string;
  port: string;
}

export interface GraphEdge {
  id: string;
  from: PortRef;
  to: PortRef;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface Graph {
  id: string;
  name: string;
  /** Seed for every random choice in the run (splits, init, shuffling). */
  seed: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  viewport?: Viewport;
}
