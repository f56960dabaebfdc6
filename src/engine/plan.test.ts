import { describe, expect, it } from 'vitest';
import { findCycles, planRun } from './plan';
import { edge, graph, node } from './testing/graph-builder';

// a → c, b → c, c → d ; e alone ; f → g
const diamond = graph(
  [
    node('d', 'util.scale', {}, { position: { x: 300, y: 0 } }),
    node('c', 'util.add', {}, { position: { x: 200, y: 0 } }),
    node('b', 'util.constant', {}, { position: { x: 0, y: 100 } }),
    node('a', 'util.constant', {}, { position: { x: 0, y: 0 } }),
    node('e', 'util.constant', {}, { position: { x: 50, y: 300 } }),
    node('g', 'util.scale', {}, { position: { x: 100, y: 400 } }),
    node('f', 'util.constant', {}, { position: { x: 0, y: 400 } }),
  ],
  [edge('a.out', 'c.a'), edge('b.out', 'c.b'), edge('c.out', 'd.in'), edge('f.out', 'g.in')],
);

describe('planRun', () => {
  it('plans every node in topological order, ties broken by canvas position', () => {
    const plan = planRun(diamond);
    expect(plan.order).toEqual(['a', 'b', 'f', 'e', 'g', 'c', 'd']);
    expect(plan.targets.sort()).toEqual(['d', 'e', 'g']);
    expect(plan.blocked).toEqual([]);
  });

  it('is deterministic whatever the order of the node and edge arrays', () => {
    const shuffled = { ...diamond, nodes: [...diamond.nodes].reverse(), edges: [...diamond.edges].reverse() };
    expect(planRun(shuffled).order).toEqual(planRun(diamond).order);
  });

  it('ties on position fall back to natural id order', () => {
    const g = graph([node('n10', 'util.constant'), node('n2', 'util.constant'), node('n1', 'util.constant')]);
    expect(planRun(g).order).toEqual(['n1', 'n2', 'n10']);
  });

  it('"run to here" plans the target and its ancestors only', () => {
    expect(planRun(diamond, { targets: ['c'] }).order).toEqual(['a', 'b', 'c']);
    expect(planRun(diamond, { targets: ['g', 'a'] }).order).toEqual(['a', 'f', 'g']);
    expect(planRun(diamond, { targets: ['e'] }).order).toEqual(['e']);
  });

  it('refuses an unknown target', () => {
    expect(() => planRun(diamond, { targets: ['zz'] })).toThrow(/"zz": no such node/);
  });

  it('blocks nodes on and below a cycle but still orders the rest', () => {
    const g = graph(
      [node('a', 'util.constant'), node('x', 'util.add'), node('y', 'util.add'), node('z', 'util.scale'), node('k', 'util.constant')],
      [edge('a.out', 'x.a'), edge('x.out', 'y.a'), edge('y.out', 'x.b'), edge('y.out', 'z.in')],
    );
    const plan = planRun(g);
    expect(plan.order).toEqual(['a', 'k']);
    expect(plan.blocked).toEqual(['x', 'y', 'z']);
    expect(plan.cycles).toEqual([['x', 'y', 'x']]);
  });

  it('ignores edges to missing nodes', () => {
    const g = graph([node('a', 'util.constant')], [edge('a.out', 'ghost.in')]);
    expect(planRun(g).order).toEqual(['a']);
  });
});

describe('findCycles', () => {
  it('finds self-loops and separate cycles, each as a closed shortest path', () => {
    const edges = [edge('a.out', 'a.in'), edge('b.o', 'c.i'), edge('c.o', 'd.i'), edge('d.o', 'b.i'), edge('c.o', 'b.i')];
    expect(findCycles(['a', 'b', 'c', 'd'], edges)).toEqual([['a', 'a'], ['b', 'c', 'b']]);
  });

  it('handles a long chain without recursion limits', () => {
    const ids = Array.from({ length: 20000 }, (_, i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => edge(`${ids[i]}.out`, `${id}.in`));
    expect(findCycles(ids, edges)).toEqual([]);
  });
});
