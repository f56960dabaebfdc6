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
