import { describe, expect, it } from 'vitest';
import { layoutPositions } from './layout';

const box = { width: 210, height: 90 };
const chain = (n: number) => ({
  nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, measured: box })),
  edges: Array.from({ length: n - 1 }, (_, i) => ({ source: `n${i}`, target: `n${i + 1}` })),
});

function overlaps(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return a.x < b.x + box.width && b.x < a.x + box.width && a.y < b.y + box.height && b.y < a.y + box.height;
}

describe('layoutPositions', () => {
  it('wraps a long chain into rows shaped like the canvas, read left to right, top to bottom', async () => {
    const { nodes, edges } = chain(9);
    const at = await layoutPositions(nodes, edges, 1.6);
    const xs = new Set(Object.values(at).map((p) => p.x));
    const ys = new Set(Object.values(at).map((p) => p.y));
    expect(ys.size).toBeGreaterThan(1);
    expect(xs.size).toBeLessThan(9);
    const width = Math.max(...[...xs]) + box.width;
    const height = Math.max(...[...ys]) + box.height;
    expect(width / height).toBeLessThan(4);
    // Each step of the chain goes right within a row, or down to the next row.
    for (const { source, target } of edges) expect(at[target].x > at[source].x || at[target].y > at[source].y).toBe(true);
  });

  it('stacks branches, keeps nodes apart, and gives the same drawing for the same graph', async () => {
    const nodes = ['data', 'split', 'scale', 'spec', 'train', 'evaluate'].map((id) => ({ id, measured: box }));
    const edges = [
      { source: 'data', target: 'split' },
      { source: 'split', target: 'scale' },
      { source: 'scale', target: 'train' },
      { source: 'spec', target: 'train' },
      { source: 'train', target: 'evaluate' },
      { source: 'scale', target: 'evaluate' },
    ];
    const at = await layoutPositions(nodes, edges, 2);
    const ids = Object.keys(at);
    expect(ids.sort()).toEqual(nodes.map((n) => n.id).sort());
    for (const a of ids) for (const b of ids) if (a < b) expect(overlaps(at[a], at[b]), `${a} overlaps ${b}`).toBe(false);
    expect(await layoutPositions(nodes, edges, 2)).toEqual(at);
  });

  it('lays out nothing for an empty graph and ignores edges to unknown nodes', async () => {
    expect(await layoutPositions([], [])).toEqual({});
    const at = await layoutPositions([{ id: 'a', measured: box }], [{ source: 'a', target: 'gone' }]);
    expect(Object.keys(at)).toEqual(['a']);
  });
});
