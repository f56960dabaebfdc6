import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../../engine/graph';
import { createEdgeMapper, createNodeMapper } from './flow-mapping';

const node = (id: string, x = 0): GraphNode => ({ id, type: 'prep.scale', params: { epochs: 10 }, position: { x, y: 0 } });
const none: ReadonlySet<string> = new Set();
const noSizes = new Map<string, { width: number; height: number }>();

describe('graph → React Flow mapping', () => {
  it('maps the graph node into a pipeline node with its data, selection and measured size', () => {
    const map = createNodeMapper();
    const [a] = map([{ ...node('a'), label: 'A', disabled: true }], new Set(['a']), new Map([['a', { width: 200, height: 80 }]]));
    expect(a).toEqual({
      id: 'a',
      type: 'pipeline',
      position: { x: 0, y: 0 },
      data: { type: 'prep.scale', params: { epochs: 10 }, label: 'A', disabled: true },
      selected: true,
      measured: { width: 200, height: 80 },
    });
  });

  it('keeps each node object while its graph node, selection and size are the same', () => {
    const map = createNodeMapper();
    const nodes = Array.from({ length: 500 }, (_, i) => node(`n${i}`, i * 10));
    const first = map(nodes, none, noSizes);
    // Same inputs: the very same array.
    expect(map(nodes, none, noSizes)).toBe(first);
    // One node moves (a drag frame): one new object; its data (what the node draws) is kept.
    const moved = nodes.map((n, i) => (i === 7 ? { ...n, position: { x: 1, y: 2 } } : n));
    const second = map(moved, none, noSizes);
    expect(second).not.toBe(first);
    expect(second.filter((n, i) => n !== first[i]).map((n) => n.id)).toEqual(['n7']);
    expect(second[7].position).toEqual({ x: 1, y: 2 });
    expect(second[7].data).toBe(first[7].data);
    // Selecting one node, then measuring one: one new object each time.
    const third = map(moved, new Set(['n3']), noSizes);
    expect(third.filter((n, i) => n !== second[i]).map((n) => n.id)).toEqual(['n3']);
    const sizes = new Map([['n4', { width: 10, height: 20 }]]);
    const fourth = map(moved, new Set(['n3']), sizes);
    expect(fourth.filter((n, i) => n !== third[i]).map((n) => n.id)).toEqual(['n4']);
    // The same size again (a new map with equal entries) changes nothing.
    expect(map(moved, new Set(['n3']), new Map([['n4', { width: 10, height: 20 }]]))).toBe(fourth);
    // A param edit: a new object with new data.
    const edited = moved.map((n, i) => (i === 9 ? { ...n, params: { epochs: 20 } } : n));
    const fifth = map(edited, new Set(['n3']), sizes);
    expect(fifth.filter((n, i) => n !== fourth[i]).map((n) => n.id)).toEqual(['n9']);
    expect(fifth[9].data.params).toEqual({ epochs: 20 });
    // A node removed: the others keep their objects.
    const sixth = map(edited.slice(1), new Set(['n3']), sizes);
    expect(sixth.every((n, i) => n === fifth[i + 1])).toBe(true);
  });

  it('maps edges to source/target handles and keeps their objects likewise', () => {
    const map = createEdgeMapper();
    const edges: GraphEdge[] = [
      { id: 'e1', from: { node: 'a', port: 'data' }, to: { node: 'b', port: 'data' } },
      { id: 'e2', from: { node: 'b', port: 'data' }, to: { node: 'c', port: 'data' } },
    ];
    const first = map(edges, none);
    expect(first[0]).toEqual({ id: 'e1', source: 'a', sourceHandle: 'data', target: 'b', targetHandle: 'data', selected: false });
    expect(map(edges, none)).toBe(first);
    const second = map(edges, new Set(['e2']));
    expect(second[0]).toBe(first[0]);
    expect(second[1].selected).toBe(true);
  });
});
