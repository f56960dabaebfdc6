import { describe, expect, it } from 'vitest';
import { type NodeRun, staleAfterEdit } from './runSlice';

type Edge = { from: { node: string }; to: { node: string } };

const FINISHED = new Set(['done', 'cached', 'error', 'skipped', 'cancelled']);

/** The earlier implementation, one node at a time: the reference the one-traversal version must match. */
function staleOneByOne(runs: Record<string, NodeRun>, edges: readonly Edge[], nodeIds: readonly string[]): Record<string, NodeRun> {
  return nodeIds.reduce((current, nodeId) => {
    const reached = new Set([nodeId]);
    const queue = [nodeId];
    while (queue.length > 0) {
      const id = queue.shift()!;
      for (const edge of edges) {
        if (edge.from.node === id && !reached.has(edge.to.node)) {
          reached.add(edge.to.node);
          queue.push(edge.to.node);
        }
      }
    }
    let next = current;
    for (const id of reached) {
      const run = current[id];
      if (!run || run.restored || !FINISHED.has(run.status)) continue;
      if (next === current) next = { ...current };
      next[id] = { status: 'stale', message: id === nodeId ? 'changed since the last run' : 'an upstream node changed', series: {} };
    }
    return next;
  }, runs);
}

const N = 2000;
const ids = Array.from({ length: N }, (_, i) => `n${i}`);
const chain: Edge[] = ids.slice(1).map((id, i) => ({ from: { node: ids[i] }, to: { node: id } }));

/** Every node done, with a few that must keep their state: running, restored, never run. */
function chainRuns(): Record<string, NodeRun> {
  const runs: Record<string, NodeRun> = {};
  for (const id of ids) runs[id] = { status: 'done', series: {}, summary: { text: id } };
  runs.n700 = { status: 'running', fraction: 0.5, series: {} };
  runs.n900 = { status: 'done', series: {}, restored: { at: 1 } };
  delete runs.n1100;
  return runs;
}

/** A seeded shuffle (mulberry32), so the test is the same every time. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('staleAfterEdit', () => {
  it('on a 2,000-node chain gives what editing the nodes one by one gave, for edited nodes in any order', () => {
    const runs = chainRuns();
    for (const seeds of [['n1500'], ['n1500', 'n10'], ['n10', 'n1500', 'n10'], shuffled(ids, 7).slice(0, 12), ['n700', 'n900', 'n1100', 'n1999']]) {
      expect(staleAfterEdit(runs, chain, seeds)).toEqual(staleOneByOne(runs, chain, seeds));
    }
  });

  it('edits every node of a 2,000-node chain in one traversal that reads each edge once', () => {
    const runs = chainRuns();
    let reads = 0;
    const counted: Edge[] = chain.map((edge) => ({
      get from() {
        reads++;
        return edge.from;
      },
      to: edge.to,
    }));
    const forward = staleAfterEdit(runs, counted, ids);
    expect(reads).toBe(chain.length);
    // Edited in reading order: the first node reaches all the others.
    expect(forward.n0.message).toBe('changed since the last run');
    expect(Object.values(forward).filter((run) => run.message === 'changed since the last run')).toHaveLength(1);
    // Edited from the end: each node is edited before anything upstream reaches it.
    const backward = staleAfterEdit(runs, chain, [...ids].reverse());
    const changed = Object.values(backward).filter((run) => run.message === 'changed since the last run');
    expect(changed).toHaveLength(N - 3);
    // Running, restored and never-run nodes keep their state.
    expect(backward.n700).toBe(runs.n700);
    expect(backward.n900).toBe(runs.n900);
    expect(backward).not.toHaveProperty('n1100');
  });

  it('matches editing one by one on a branching graph (shared descendants, diamonds)', () => {
    const edges: Edge[] = [];
    for (let i = 1; i < 300; i++) {
      edges.push({ from: { node: `n${Math.floor(i / 2)}` }, to: { node: `n${i}` } });
      if (i % 3 === 0) edges.push({ from: { node: `n${Math.floor(i / 3)}` }, to: { node: `n${i}` } });
    }
    const runs: Record<string, NodeRun> = {};
    for (let i = 0; i < 300; i++) runs[`n${i}`] = { status: i % 11 === 0 ? 'error' : 'done', series: {} };
    for (const seed of [1, 2, 3]) {
      const seeds = shuffled(Array.from({ length: 300 }, (_, i) => `n${i}`), seed).slice(0, 40);
      expect(staleAfterEdit(runs, edges, seeds)).toEqual(staleOneByOne(runs, edges, seeds));
    }
  });

  it('returns the records themselves when nothing changes', () => {
    const runs: Record<string, NodeRun> = { a: { status: 'running', series: {} } };
    expect(staleAfterEdit(runs, [{ from: { node: 'a' }, to: { node: 'b' } }], ['a'])).toBe(runs);
    expect(staleAfterEdit(runs, [], [])).toBe(runs);
  });
});
