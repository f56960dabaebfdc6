import { describe, expect, it } from 'vitest';
import type { Metrics, TrainedModel } from '../data/types';
import type { RunEvent } from './events';
import { Executor } from './executor';
import type { Graph } from './graph';
import { edge, graph, node } from './testing/graph-builder';
import { createTestRegistry, createTestServices, liveTestModels, valueOf } from './testing/test-nodes';

const registry = createTestRegistry();

async function runOnce(executor: Executor, g: Graph, extra: { targets?: string[]; signal?: AbortSignal } = {}) {
  const services = createTestServices();
  const events: RunEvent[] = [];
  const result = await executor.run(g, { ...extra, services, onEvent: (e) => events.push(e), runId: 'r' });
  return { result, events, executed: services.executed };
}

const valueAt = (executor: Executor, nodeId: string, port = 'out') => valueOf(executor.outputsOf(nodeId)!.outputs[port] as Metrics);

// a ─┐
//    ├─ sum ── scaled
// b ─┘
// c ── other
function chain(params: { a?: number; b?: number; factor?: number; c?: number } = {}): Graph {
  return graph(
    [
      node('a', 'util.constant', { value: params.a ?? 2 }, { position: { x: 0, y: 0 } }),
      node('b', 'util.constant', { value: params.b ?? 3 }, { position: { x: 0, y: 100 } }),
      node('sum', 'util.add', { offset: 0 }, { position: { x: 200, y: 0 } }),
      node('scaled', 'util.scale', { factor: params.factor ?? 10 }, { position: { x: 400, y: 0 } }),
      node('c', 'util.constant', { value: params.c ?? 7 }, { position: { x: 0, y: 300 } }),
      node('other', 'util.scale', { factor: 1 }, { position: { x: 200, y: 300 } }),
    ],
    [edge('a.out', 'sum.a'), edge('b.out', 'sum.b'), edge('sum.out', 'scaled.in'), edge('c.out', 'other.in')],
  );
}

describe('Executor', () => {
  it('runs every node in plan order and exposes outputs', async () => {
    const executor = new Executor(registry);
    const { result, executed } = await runOnce(executor, chain());
    expect(result.ok).toBe(true);
    expect(executed).toEqual(['a', 'b', 'c', 'sum', 'other', 'scaled']);
    expect(valueAt(executor, 'scaled')).toBe(50);
    expect(valueAt(executor, 'other')).toBe(7);
    expect(executor.outputsOf('sum')!.def.type).toBe('util.add');
    expect(executor.outputsOf('sum')!.summary).toEqual({ text: '= 5' });
    expect(executor.outputsOf('nope')).toBeUndefined();
  });

  it('emits events in order: run start, queued, start/done per node, run done', async () => {
    const executor = new Executor(registry);
    const g = graph([node('a', 'util.constant', { value: 4 }), node('s', 'util.scale', { factor: 2 })], [edge('a.out', 's.in')]);
    const { events } = await runOnce(executor, g);
    expect(events.map((e) => `${e.type}${'nodeId' in e ? `:${e.nodeId}` : ''}`)).toEqual([
      'run-start',
      'node-queued:a',
      'node-queued:s',
      'node-start:a',
      'node-done:a',
      'node-start:s',
      'node-done:s',
      'run-done',
    ]);
    expect(events[0]).toMatchObject({ type: 'run-start', runId: 'r', nodeIds: ['a', 's'] });
    expect(events[4]).toMatchObject({ type: 'node-done', summary: { text: '= 4', metrics: { value: 4 } } });
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: true, cancelled: false });
  });

  it('passes progress through as node-progress events', async () => {
    const executor = new Executor(registry);
    const { events } = await runOnce(executor, graph([node('p', 'util.progress', { steps: 2 })]));
    expect(events.filter((e) => e.type === 'node-progress')).toEqual([
      { type: 'node-progress', runId: 'r', nodeId: 'p', fraction: 0.5, message: 'step 1', metrics: { step: 1 } },
      { type: 'node-progress', runId: 'r', nodeId: 'p', fraction: 1, message: 'step 2', metrics: { step: 2 } },
    ]);
  });

  it('re-runs nothing when nothing changed, with cached summaries', async () => {
    const executor = new Executor(registry);
    await runOnce(executor, chain());
    const { result, events, executed } = await runOnce(executor, chain());
    expect(executed).toEqual([]);
    expect([...result.status.values()].every((s) => s === 'cached')).toBe(true);
    expect(events).toContainEqual({ type: 'node-cached', runId: 'r', nodeId: 'sum', summary: { text: '= 5' } });
  });

  it('after a param change re-executes only that node and its descendants', async () => {
    const executor = new Executor(registry);
    await runOnce(executor, chain());
    const { executed, result } = await runOnce(executor, chain({ b: 4 }));
    expect(executed).toEqual(['b', 'sum', 'scaled']);
    expect(Object.fromEntries(result.status)).toMatchObject({ a: 'cached', c: 'cached', other: 'cached', b: 'done', sum: 'done', scaled: 'done' });
    expect(valueAt(executor, 'scaled')).toBe(60);
    const leaf = await runOnce(executor, chain({ b: 4, factor: 1 }));
    expect(leaf.executed).toEqual(['scaled']);
  });

  it('moving or relabelling a node re-executes nothing', async () => {
    const executor = new Executor(registry);
    await runOnce(executor, chain());
    const moved = chain();
    moved.nodes = moved.nodes.map((n) => ({ ...n, position: { x: n.position.x + 55, y: -n.position.y }, label: `Moved ${n.id}` }));
    moved.viewport = { x: 10, y: 20, zoom: 2 };
    const { executed } = await runOnce(executor, moved);
    expect(executed).toEqual([]);
  });

  it('a changed graph seed re-executes everything (seeds feed every key)', async () => {
    const executor = new Executor(registry);
    await runOnce(executor, chain());
    const { executed } = await runOnce(executor, { ...chain(), seed: 43 });
    expect(executed).toHaveLength(6);
  });

  it('gives each node a stable seed mixed from the graph seed and its id', async () => {
    const executor = new Executor(registry);
    const g = graph([node('s1', 'util.seed'), node('s2', 'util.seed')]);
    await runOnce(executor, g);
    const first = [valueAt(executor, 's1'), valueAt(executor, 's2')];
    expect(first[0]).not.toBe(first[1]);
    expect(Number.isInteger(first[0]) && first[0] >= 0 && first[0] < 2 ** 32).toBe(true);
    const fresh = new Executor(registry);
    await runOnce(fresh, g);
    expect([valueAt(fresh, 's1'), valueAt(fresh, 's2')]).toEqual(first);
    await runOnce(fresh, { ...g, seed: 7 });
    expect(valueAt(fresh, 's1')).not.toBe(first[0]);
  });

  it('"run to here" runs the target and its ancestors only, and a later full run reuses them', async () => {
    const executor = new Executor(registry);
    const first = await runOnce(executor, chain(), { targets: ['sum'] });
    expect(first.executed).toEqual(['a', 'b', 'sum']);
    expect([...first.result.status.keys()]).toEqual(['a', 'b', 'sum']);
    const full = await runOnce(executor, chain());
    expect(full.executed).toEqual(['c', 'other', 'scaled']);
  });

  it('never caches a non-deterministic node, so it and its descendants re-run every time', async () => {
    const executor = new Executor(registry);
    const g = graph(
      [node('r', 'util.random'), node('s', 'util.scale', { factor: 1 }), node('k', 'util.constant')],
      [edge('r.out', 's.in')],
    );
    await runOnce(executor, g);
    const firstValue = valueAt(executor, 's');
    const again = await runOnce(executor, g);
    expect(again.executed).toEqual(['r', 's']);
    expect(valueAt(executor, 's')).not.toBe(firstValue);
    expect(again.result.status.get('k')).toBe('cached');
    // The old random results were evicted, not piled up: 3 nodes, 3 entries.
    expect(executor.size).toBe(3);
  });

  it("isolates one node's error: descendants are skipped, independent branches still run", async () => {
    const executor = new Executor(registry);
    const g = graph(
      [
        node('f', 'util.fail', { message: 'disk on fire' }),
        node('after', 'util.scale'),
        node('deeper', 'util.scale'),
        node('k', 'util.constant', { value: 1 }),
        node('ok', 'util.scale'),
      ],
      [edge('f.out', 'after.in'), edge('after.out', 'deeper.in'), edge('k.out', 'ok.in')],
    );
    const { result, events } = await runOnce(executor, g);
    expect(result.ok).toBe(false);
    expect(Object.fromEntries(result.errors)).toEqual({ f: 'disk on fire' });
    expect(Object.fromEntries(result.status)).toEqual({ f: 'error', after: 'skipped', deeper: 'skipped', k: 'done', ok: 'done' });
    expect(events).toContainEqual({ type: 'node-error', runId: 'r', nodeId: 'f', message: 'disk on fire' });
    expect(events).toContainEqual({ type: 'node-skipped', runId: 'r', nodeId: 'after', reason: 'upstream-error' });
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: false, cancelled: false });
    expect(valueAt(executor, 'ok')).toBe(2);
    // The failed node is retried on the next run (errors are not cached).
    const again = await runOnce(executor, g);
    expect(again.executed).toEqual(['f']);
  });

  it('validates params before running: an invalid node errors without running, its branch is skipped', async () => {
    const executor = new Executor(registry);
    const g = graph(
      [node('a', 'util.constant', { value: 'x' }), node('s', 'util.scale'), node('r', 'util.range', { low: 3, high: 1 }), node('k', 'util.constant')],
      [edge('a.out', 's.in')],
    );
    const { result, executed } = await runOnce(executor, g);
    expect(executed).toEqual(['k']);
    expect(Object.fromEntries(result.errors)).toEqual({ a: 'value must be a number', r: 'High (1) must be ≥ low (3)' });
    expect(result.status.get('s')).toBe('skipped');
  });

  it('fails a node whose input edge has the wrong type, an unknown type, or a cycle', async () => {
    const executor = new Executor(registry);
    const g = graph(
      [
        node('rows', 'util.rows'),
        node('s', 'util.scale'),
        node('u', 'vendor.thing'),
        node('x', 'util.add'),
        node('y', 'util.scale'),
        node('z', 'util.scale'),
        node('count', 'util.countRows'),
      ],
      [edge('rows.table', 's.in'), edge('x.out', 'y.in'), edge('y.out', 'x.a'), edge('y.out', 'z.in'), edge('rows.table', 'count.table')],
    );
    const { result } = await runOnce(executor, g);
    expect(Object.fromEntries(result.errors)).toEqual({
      s: 'Input "in" expects metrics but rows.table gives table',
      u: 'Unknown node type "vendor.thing": this node cannot run',
      x: 'Cycle: x → y → x',
      y: 'Cycle: x → y → x',
    });
    expect(Object.fromEntries(result.status)).toMatchObject({ rows: 'done', count: 'done', z: 'skipped' });
    expect(valueAt(executor, 'count')).toBe(3);
  });

  it('fails a node whose id names an object property, so a run never reports ok with its branch skipped', async () => {
    const g = graph([node('a', 'util.constant', { value: 2 }), node('__proto__', 'util.scale', { factor: 2 }), node('after', 'util.scale')], [edge('a.out', '__proto__.in'), edge('__proto__.out', 'after.in')]);
    const { result } = await runOnce(new Executor(registry), g);
    expect(result.ok).toBe(false);
    expect(result.errors.get('__proto__')).toBe('Node id "__proto__" is reserved: give the node another id');
    expect([...result.status]).toEqual([['a', 'done'], ['__proto__', 'error'], ['after', 'skipped']]);
  });

  it('keeps per-node state by id without touching object properties (ids "constructor"-like but allowed)', async () => {
    const g = graph([node('hasOwnProperty', 'util.constant', { value: 2 }), node('toString', 'util.scale', { factor: 3 })], [edge('hasOwnProperty.out', 'toString.in')]);
    const executor = new Executor(registry);
    expect(Object.fromEntries(executor.freshness(g))).toEqual({ hasOwnProperty: 'stale', toString: 'stale' });
    const { result } = await runOnce(executor, g);
    expect(result.ok).toBe(true);
    expect([...result.status]).toEqual([['hasOwnProperty', 'done'], ['toString', 'done']]);
    expect(valueAt(executor, 'toString')).toBe(6);
  });

  it('fails a node whose params cannot be hashed, and still finishes the run', async () => {
    const executor = new Executor(registry);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const { result, events } = await runOnce(executor, graph([node('l', 'util.label', { extra: circular }), node('k', 'util.constant')]));
    expect(result.errors.get('l')).toMatch(/^Params cannot be hashed/);
    expect(result.status.get('k')).toBe('done');
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: false });
  });

  it('fails a node that does not produce a declared output', async () => {
    const executor = new Executor(registry);
    const { result } = await runOnce(executor, graph([node('f', 'util.forgetful')]));
    expect(Object.fromEntries(result.errors)).toEqual({ f: 'did not produce output "other"' });
    expect(executor.outputsOf('f')).toBeUndefined();
  });

  it('migrates params saved by an older node version before running', async () => {
    const executor = new Executor(registry);
    await runOnce(executor, graph([node('v', 'util.versioned', { amount: 9 }, { version: 1 })]));
    expect(valueAt(executor, 'v')).toBe(9);
    expect(executor.outputsOf('v')!.params).toEqual({ value: 9 });
    // The same params written for v2 are the same computation: a cache hit.
    const { executed } = await runOnce(executor, graph([node('v', 'util.versioned', { value: 9 }, { version: 2 })]));
    expect(executed).toEqual([]);
  });

  it('cancel stops before the next node; the running node sees the signal; finished nodes stay cached', async () => {
    const executor = new Executor(registry);
    const g = graph(
      [node('a', 'util.constant', {}, { position: { x: 0, y: 0 } }), node('w', 'util.wait', {}, { position: { x: 100, y: 0 } }), node('after', 'util.scale', {}, { position: { x: 200, y: 0 } })],
      [edge('a.out', 'w.in'), edge('w.out', 'after.in')],
    );
    const services = createTestServices();
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const running = executor.run(g, { services, signal: controller.signal, onEvent: (e) => events.push(e), runId: 'c' });
    await services.waiting('w');
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(Object.fromEntries(result.status)).toEqual({ a: 'done', w: 'cancelled', after: 'skipped' });
    expect(events).toContainEqual({ type: 'node-cancelled', runId: 'c', nodeId: 'w' });
    expect(events).toContainEqual({ type: 'node-skipped', runId: 'c', nodeId: 'after', reason: 'cancelled' });
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: false, cancelled: true });
    expect(services.executed).toEqual(['a', 'w']);

    const next = createTestServices();
    next.open('w');
    const rerun = await executor.run(g, { services: next });
    expect(rerun.ok).toBe(true);
    expect(next.executed).toEqual(['w', 'after']);
    executor.clear();
  });

  it('cancel does not wait for a node that ignores its signal, and disposes what it returns later', async () => {
    const executor = new Executor(registry);
    const before = liveTestModels.size;
    const g = graph([node('w', 'util.wait', { ignoreSignal: true })]);
    const services = createTestServices();
    const controller = new AbortController();
    const running = executor.run(g, { services, signal: controller.signal });
    await services.waiting('w');
    controller.abort();
    const result = await running;
    expect(result.status.get('w')).toBe('cancelled');
    services.open('w');
    // Let the abandoned node finish; its model must not leak.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(liveTestModels.size).toBe(before);
    expect(executor.outputsOf('w')).toBeUndefined();
  });

  it('a run with an already aborted signal runs nothing', async () => {
    const executor = new Executor(registry);
    const controller = new AbortController();
    controller.abort();
    const { result, executed } = await runOnce(executor, chain(), { signal: controller.signal });
    expect(executed).toEqual([]);
    expect(result.cancelled).toBe(true);
    expect([...result.status.values()].every((s) => s === 'skipped')).toBe(true);
  });

  it('disposes outputs when a key changes, when a node is deleted and on clear()', async () => {
    const executor = new Executor(registry);
    const before = liveTestModels.size;
    const g = (size: number) => graph([node('m', 'util.model', { size }), node('m2', 'util.model')]);
    await runOnce(executor, g(1));
    expect(liveTestModels.size).toBe(before + 2);
    const firstModel = executor.outputsOf('m')!.outputs.model as TrainedModel;
    await runOnce(executor, g(2));
    expect(liveTestModels.has(firstModel.network as string)).toBe(false);
    expect(liveTestModels.size).toBe(before + 2);
    await runOnce(executor, graph([node('m', 'util.model', { size: 2 })]));
    expect(liveTestModels.size).toBe(before + 1);
    expect(executor.outputsOf('m2')).toBeUndefined();
    executor.clear();
    expect(liveTestModels.size).toBe(before);
    expect(executor.size).toBe(0);
    expect(executor.outputsOf('m')).toBeUndefined();
  });

  it('does not dispose a value another cached node still passes through', async () => {
    const executor = new Executor(registry);
    const before = liveTestModels.size;
    const g = (note: string) => graph([node('m', 'util.model'), node('p', 'util.passModel', { note })], [edge('m.model', 'p.model')]);
    await runOnce(executor, g('one'));
    const model = executor.outputsOf('m')!.outputs.model;
    expect(executor.outputsOf('p')!.outputs.model).toBe(model);
    await runOnce(executor, g('two'));
    expect(liveTestModels.size).toBe(before + 1);
    executor.clear();
    expect(liveTestModels.size).toBe(before);
  });

  it('runs one at a time when called concurrently', async () => {
    const executor = new Executor(registry);
    const services = createTestServices();
    const first = executor.run(chain(), { services });
    const second = executor.run(chain({ a: 5 }), { services });
    const [r1, r2] = await Promise.all([first, second]);
    expect(r1.ok && r2.ok).toBe(true);
    expect(services.executed).toEqual(['a', 'b', 'c', 'sum', 'other', 'scaled', 'a', 'sum', 'scaled']);
  });

  it('freshness() tells which nodes a run would reuse, run, or not reach, without running', async () => {
    const executor = new Executor(registry);
    expect(Object.fromEntries(executor.freshness(chain()))).toEqual({ a: 'stale', b: 'stale', c: 'stale', sum: 'stale', other: 'stale', scaled: 'stale' });
    await runOnce(executor, chain());
    const changed = chain({ b: 9 });
    expect(Object.fromEntries(executor.freshness(changed))).toEqual({ a: 'cached', b: 'stale', c: 'cached', sum: 'stale', other: 'cached', scaled: 'stale' });
    expect(Object.fromEntries(executor.freshness(changed, { targets: ['a'] }))).toEqual({ a: 'cached' });
    const broken = chain({ b: Number.NaN });
    expect(Object.fromEntries(executor.freshness(broken))).toMatchObject({ b: 'blocked', sum: 'blocked', scaled: 'blocked', a: 'cached' });
    // Its prediction matches what the run then does.
    const { result } = await runOnce(executor, changed);
    expect(Object.fromEntries(result.status)).toEqual({ a: 'cached', b: 'done', c: 'cached', sum: 'done', other: 'cached', scaled: 'done' });
    const withRandom = graph([node('r', 'util.random'), node('s', 'util.scale')], [edge('r.out', 's.in')]);
    await runOnce(executor, withRandom);
    expect(Object.fromEntries(executor.freshness(withRandom))).toEqual({ r: 'stale', s: 'stale' });
  });

  it('refuses an unknown run target', async () => {
    const executor = new Executor(registry);
    await expect(executor.run(chain(), { targets: ['zz'] })).rejects.toThrow(/no such node/);
  });
});

describe('Executor results by graph and cache key', () => {
  const current = (executor: Executor, g: Graph, nodeId: string) => {
    const result = executor.resultsFor(g)(nodeId);
    return result ? valueOf(result.outputs.out as Metrics) : undefined;
  };

  it('never gives one graph’s result to a node of another graph with the same id', async () => {
    const executor = new Executor(registry);
    const first = { ...chain(), id: 'first' };
    await runOnce(executor, first);
    expect(current(executor, first, 'a')).toBe(2);
    const other = { ...chain({ a: 9 }), id: 'other' };
    expect(current(executor, other, 'a')).toBeUndefined();
    // Same id, same params, never run in that graph: still not its result.
    expect(current(executor, { ...chain(), id: 'copy' }, 'a')).toBeUndefined();
  });

  it('gives nothing for an edited node and its descendants until they run again', async () => {
    const executor = new Executor(registry);
    await runOnce(executor, chain());
    const edited = chain({ b: 4 });
    expect(current(executor, edited, 'a')).toBe(2);
    expect(current(executor, edited, 'b')).toBeUndefined();
    expect(current(executor, edited, 'sum')).toBeUndefined();
    expect(current(executor, edited, 'scaled')).toBeUndefined();
    expect(current(executor, edited, 'other')).toBe(7);
    await runOnce(executor, edited);
    expect(current(executor, edited, 'scaled')).toBe(60);
    // The older params' results are gone from this graph.
    expect(current(executor, chain(), 'sum')).toBeUndefined();
  });

  it('a run of another graph reuses equal results, then keeps only that graph’s', async () => {
    const executor = new Executor(registry);
    const first = { ...chain(), id: 'first' };
    await runOnce(executor, first);
    const copy = { ...chain(), id: 'copy' };
    const { events } = await runOnce(executor, copy);
    expect(events.filter((e) => e.type === 'node-cached')).toHaveLength(6);
    expect(current(executor, copy, 'scaled')).toBe(50);
    expect(current(executor, first, 'scaled')).toBeUndefined();
    expect(executor.outputsOf('scaled')).toBeDefined();
  });

  it('a node that runs every time (not deterministic) and its descendants show their last run’s result in this graph only', async () => {
    const executor = new Executor(registry);
    const withRandom = { ...graph([node('r', 'util.random'), node('s', 'util.scale', { factor: 1 })], [edge('r.out', 's.in')]), id: 'live' };
    await runOnce(executor, withRandom);
    const drawn = valueOf(executor.outputsOf('r', 'live')!.outputs.out as Metrics);
    expect(current(executor, withRandom, 'r')).toBe(drawn);
    expect(current(executor, withRandom, 's')).toBe(drawn);
    expect(current(executor, { ...withRandom, id: 'other' }, 'r')).toBeUndefined();
  });
});
