/**
 * A big graph for the canvas figure: 50 copies of a 10-node pipeline with 12 typed edges
 * (500 nodes, 600 edges), laid out on a grid, every edge type-correct.
 */
import type { Graph, GraphEdge, GraphNode } from '../../src/engine/graph';

const GROUP: { key: string; type: string; params: Record<string, unknown> }[] = [
  { key: 'data', type: 'data.sample', params: { name: 'iris' } },
  { key: 'roles', type: 'prep.roles', params: { target: 'species' } },
  { key: 'split', type: 'prep.split', params: {} },
  { key: 'missing', type: 'prep.missing', params: {} },
  { key: 'scale', type: 'prep.scale', params: {} },
  { key: 'mlp', type: 'model.mlp', params: { layers: [16] } },
  { key: 'trainA', type: 'train.fit', params: { epochs: 5 } },
  { key: 'evalA', type: 'evaluate.metrics', params: {} },
  { key: 'trainB', type: 'train.fit', params: { epochs: 10 } },
  { key: 'evalB', type: 'evaluate.metrics', params: {} },
];

const LINKS: [string, string, string, string][] = [
  ['data', 'table', 'roles', 'table'],
  ['roles', 'data', 'split', 'data'],
  ['split', 'data', 'missing', 'data'],
  ['missing', 'data', 'scale', 'data'],
  ['scale', 'data', 'trainA', 'data'],
  ['mlp', 'spec', 'trainA', 'spec'],
  ['trainA', 'model', 'evalA', 'model'],
  ['scale', 'data', 'evalA', 'data'],
  ['scale', 'data', 'trainB', 'data'],
  ['mlp', 'spec', 'trainB', 'spec'],
  ['trainB', 'model', 'evalB', 'model'],
  ['scale', 'data', 'evalB', 'data'],
];

export function bigCanvasGraph(groups = 50): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (let g = 0; g < groups; g++) {
    const id = (key: string) => `g${g}-${key}`;
    // Five groups per row of the grid, each group a 2 × 5 block of nodes.
    const originX = (g % 5) * 1300;
    const originY = Math.floor(g / 5) * 320;
    GROUP.forEach((n, i) =>
      nodes.push({ id: id(n.key), type: n.type, version: 1, params: { ...n.params }, position: { x: originX + (i % 5) * 250, y: originY + Math.floor(i / 5) * 140 } }),
    );
    LINKS.forEach(([from, fromPort, to, toPort], i) =>
      edges.push({ id: `g${g}-e${i}`, from: { node: id(from), port: fromPort }, to: { node: id(to), port: toPort } }),
    );
  }
  return { id: 'bench-canvas-500', name: `Bench canvas: ${nodes.length} nodes, ${edges.length} edges`, seed: 1, nodes, edges };
}
