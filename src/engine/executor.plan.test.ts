import { describe, expect, it } from 'vitest';
import type { NodeStatus } from './events';
import { Executor, type NodeFreshness } from './executor';
import type { Graph } from './graph';
import { edge, graph, node } from './testing/graph-builder';
import { createTestRegistry, createTestServices } from './testing/test-nodes';

const registry = createTestRegistry();

// a ─┐
//    ├─ sum ── scaled
// b ─┘
// c ── other        r (random) ── noisy
function base(): Graph {
  return graph(
    [
      node('a', 'util.constant', { value: 2 }),
      node('b', 'util.constant', { value: 3 }, { position: { x: 0, y: 100 } }),
      node('sum', 'util.add', { offset: 0 }, { position: { x: 200, y: 0 } }),
      node('scaled', 'util.scale', { factor: 10 }, { position: { x: 400, y: 0 } }),
      node('c', 'util.constant', { value: 7 }, { position: { x: 0, y: 300 } }),
      node('other', 'util.scale', { factor: 1 }, { position: { x: 200, y: 300 } }),
    ],
    [edge('a.out', 'sum.a'), edge('b.out', 'sum.b'), edge('sum.out', 'scaled.in'), edge('c.out', 'other.in')],
  );
}

function disabled(g: Graph, ...nodeIds: string[]): Graph {
  return { ...g, nodes: g.nodes.map((n) => (nodeIds.includes(n.id) ? { ...n, disabled: true as const } : n)) };
}

function withParam(g: Graph, nodeId: string, params: Record<string, unknown>): Graph {
  return { ...g, nodes: g.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...n.params, ...params } } : n)) };
}

/** What a prediction says a run will report: 'cached' → cached, 'stale' → runs, 'blocked' → does not run, 'disabled' → left out. */
function predicted(freshness: NodeFreshness): NodeStatus[] {
  if (freshness === 'cached') return ['cached'];
  if (freshness === 'stale') return ['done'];
  if (freshness === 'disabled') return ['skipped'];
  return ['error', 'skipped'];
}

describe('Executor: freshness() and execute() share one planning pass', () => {
  it('after each edit, freshness marks exactly the nodes the run then executes, and currentKeys the keys it keeps', async () => {
    const executor = new Executor(registry);
    const edits: [string, Graph][] = [
      ['first run', base()],
      ['nothing changed', base()],
      ['a param upstream', withParam(base(), 'b', { value: 9 })],
      ['a param downstream', withParam(withParam(base(), 'b', { value: 9 }), 'scaled', { factor: 3 })],
      ['a moved node', { ...base(), nodes: base().nodes.map((n) => (n.id === 'a' ? { ...n, position: { x: 50, y: 50 }, label: 'A' } : n)) }],
      ['the graph seed', { ...base(), seed: 7 }],
      ['an invalid param', withParam(base(), 'b', { value: Number.NaN })],
      ['a node disabled', disabled(base(), 'sum')],
      ['a disabled node with an invalid param', withParam(disabled(base(), 'sum'), 'sum', { offset: Number.NaN })],
      ['the node enabled again, a param upstream of it changed', withParam(base(), 'a', { value: 4 })],
      ['an edge removed', { ...base(), edges: base().edges.filter((e) => e.id !== 'c.out->other.in') }],
      [
        'a non-deterministic branch',
        { ...base(), nodes: [...base().nodes, node('r', 'util.random'), node('noisy', 'util.scale', { factor: 2 })], edges: [...base().edges, edge('r.out', 'noisy.in')] },
      ],
      ['an unknown node type', { ...base(), nodes: [...base().nodes, node('ghost', 'util.nope')], edges: [...base().edges, edge('ghost.out', 'other.in', 'g')] }],
    ];
    for (const [what, g] of edits) {
      const freshness = executor.freshness(g);
      const keys = executor.currentKeys(g);
      const services = createTestServices();
      const result = await executor.run(g, { services, runId: 'r' });
      for (const [nodeId, status] of result.status) {
        expect(predicted(freshness.get(nodeId)!), `${what}: ${nodeId} was ${status}`).toContain(status);
      }
      expect([...freshness.keys()].sort(), what).toEqual([...result.status.keys()].sort());
      expect(services.executed.sort(), what).toEqual([...freshness].filter(([, f]) => f === 'stale').map(([id]) => id).sort());
      // Every key the prediction gave is the key the run kept the node's result under.
      for (const [nodeId, key] of keys) {
        if (freshness.get(nodeId) === 'cached') expect(executor.outputsOf(nodeId)?.key, `${what}: key of ${nodeId}`).toBe(key);
      }
      const after = executor.currentKeys(g);
      for (const [nodeId, status] of result.status) {
        if (status === 'done' || status === 'cached') {
          if (after.has(nodeId)) expect(after.get(nodeId), `${what}: key of ${nodeId} after the run`).toBe(executor.outputsOf(nodeId)?.key);
        }
      }
    }
  });

  it('a disabled node and everything downstream of it do not run and say why; the other nodes run and the run is ok', async () => {
    const executor = new Executor(registry);
    const g = disabled({ ...base(), nodes: base().nodes.map((n) => (n.id === 'sum' ? { ...n, label: 'Total' } : n)) }, 'sum');
    expect(Object.fromEntries(executor.freshness(g))).toEqual({ a: 'stale', b: 'stale', c: 'stale', other: 'stale', sum: 'disabled', scaled: 'disabled' });
    const services = createTestServices();
    const skipped: Record<string, string | undefined> = {};
    const result = await executor.run(g, {
      services,
      onEvent: (e) => {
        if (e.type === 'node-skipped' && e.reason === 'disabled') skipped[e.nodeId] = e.message;
      },
    });
    expect(result.ok).toBe(true);
    expect(Object.fromEntries(result.status)).toEqual({ a: 'done', b: 'done', c: 'done', other: 'done', sum: 'skipped', scaled: 'skipped' });
    expect(services.executed.sort()).toEqual(['a', 'b', 'c', 'other']);
    expect(skipped).toEqual({ sum: 'disabled', scaled: 'not run: Total is disabled' });

    // Enabled again: the nodes run, the others come from the cache.
    const again = await executor.run(base(), { services: createTestServices() });
    expect(Object.fromEntries(again.status)).toEqual({ a: 'cached', b: 'cached', c: 'cached', other: 'cached', sum: 'done', scaled: 'done' });
  });

  it('names the disabled node by its type title when it has no label, and a run to a node below it runs nothing of it', async () => {
    const executor = new Executor(registry);
    const messages: string[] = [];
    const result = await executor.run(disabled(base(), 'a'), {
      targets: ['scaled'],
      services: createTestServices(),
      onEvent: (e) => {
        if (e.type === 'node-skipped' && e.message) messages.push(`${e.nodeId}: ${e.message}`);
      },
    });
    expect(Object.fromEntries(result.status)).toEqual({ a: 'skipped', b: 'done', sum: 'skipped', scaled: 'skipped' });
    expect(messages).toEqual(['a: disabled', 'sum: not run: Constant is disabled', 'scaled: not run: Constant is disabled']);
  });

  it('a target narrows the prediction and the run to the same nodes', async () => {
    const executor = new Executor(registry);
    await executor.run(base(), { services: createTestServices() });
    const g = withParam(base(), 'a', { value: 5 });
    const freshness = executor.freshness(g, { targets: ['sum'] });
    expect(Object.fromEntries(freshness)).toEqual({ a: 'stale', b: 'cached', sum: 'stale' });
    const result = await executor.run(g, { targets: ['sum'], services: createTestServices() });
    expect(Object.fromEntries(result.status)).toEqual({ a: 'done', b: 'cached', sum: 'done' });
  });
});

