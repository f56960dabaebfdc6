/** Auto-layout left to right with dagre (ranks follow the data flow). */
import dagre from '@dagrejs/dagre';
import type { EditorEdge, EditorNode } from '../../state/types';

const DEFAULT_WIDTH = 210;
const DEFAULT_HEIGHT = 90;

export function layoutPositions(nodes: readonly EditorNode[], edges: readonly EditorEdge[]): Record<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 70, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    g.setNode(node.id, { width: node.measured?.width ?? DEFAULT_WIDTH, height: node.measured?.height ?? DEFAULT_HEIGHT });
  }
  for (const edge of edges) g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  const positions: Record<string, { x: number; y: number }> = {};
  for (const node of nodes) {
    const laid = g.node(node.id);
    // dagre gives centres; React Flow positions are top-left corners.
    positions[node.id] = { x: Math.round(laid.x - laid.width / 2), y: Math.round(laid.y - laid.height / 2) };
  }
  return positions;
}
