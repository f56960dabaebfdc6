import { describe, expect, it } from 'vitest';
import type { Graph } from '../engine/graph';
import { nearestUpstream } from './views';

const edge = (from: string, to: string, port = 'out') => ({ id: `${from}-${to}`, from: { node: from, port }, to: { node: to, port: 'in' } });
// a → b → d, c → d, e → c: d's inputs are b then c; a is two steps up, e too.
const graph = { edges: [edge('a', 'b'), edge('b', 'd', 'data'), edge('e', 'c'), edge('c', 'd', 'other')] } as unknown as Graph;

describe('nearestUpstream', () => {
  it('answers for the node itself first, at the asked port', () => {
    const asked: [string, string | undefined][] = [];
    expect(nearestUpstream(graph, 'd', (id, port) => (asked.push([id, port]), id === 'd' ? [id] : null), 'x')).toEqual(['d']);
    expect(asked).toEqual([['d', 'x']]);
  });

  it('then walks upstream breadth-first, asking each node once at the port that feeds the way down', () => {
    const asked: [string, string | undefined][] = [];
    expect(nearestUpstream(graph, 'd', (id, port) => (asked.push([id, port]), null))).toBeNull();
    expect(asked).toEqual([['d', undefined], ['b', 'data'], ['c', 'other'], ['a', 'out'], ['e', 'out']]);
    expect(nearestUpstream(graph, 'd', (id) => (id === 'a' || id === 'e' ? { id } : null))).toEqual({ id: 'a' });
    expect(nearestUpstream(null, 'd', (id) => (id === 'a' ? { id } : null))).toBeNull();
  });
});
