import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../engine/events';
import type { Graph } from '../engine/graph';
import { edge, graph, node } from '../engine/testing/graph-builder';
import { createTestRegistry } from '../engine/testing/test-nodes';
import { NodeOutputStore } from '../storage/outputs';
import { freshTestDb } from '../storage/testing';
import { nodeBackendPlatform } from './backend-node';
import { EngineHost } from './engine-host';

const hosts: EngineHost[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.dispose();
});

/** A host as a worker holds it; two hosts on one store are one page before and after a reload. */
function makeHost(outputs?: NodeOutputStore) {
  const host = new EngineHost({ registry: createTestRegistry(), loadTf: async () => tf, platform: nodeBackendPlatform, outputs });
  hosts.push(host);
  return host;
}

async function run(host: EngineHost, g: Graph): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await host.run(`run-${Math.random()}`, g, {}, (batch) => events.push(...batch));
  return events;
}

const rowsGraph = (count: number, id = 'g1') => ({
  ...graph(
    [node('rows', 'util.rows', { count }), node('count', 'util.countRows'), node('c', 'util.constant', { value: 2 }), node('sum', 'util.add', { offset: 1 })],
    [edge('rows.table', 'count.table'), edge('c.out', 'sum.a')],
  ),
  id,
});

describe('EngineHost results by graph and cache key', () => {
  it('gives views and columns only to the graph that ran, and only for the current params', async () => {
    const host = makeHost();
    await host.init('cpu');
    await run(host, rowsGraph(4, 'first'));
    expect((await host.views(rowsGraph(4, 'first'), 'rows'))?.views[0]).toMatchObject({ kind: 'table', rowCount: 4 });
    // Another graph whose nodes have the same ids (a new graph's `file-1`): nothing of the first shows.
    const other = rowsGraph(7, 'second');
    expect(await host.views(other, 'rows')).toBeNull();
    expect(await host.views(other, 'count')).toBeNull();
    expect(await host.columns(other, 'count')).toBeNull();
    // The same graph with an edited param: the older result is not its result any more.
    expect(await host.views(rowsGraph(5, 'first'), 'rows')).toBeNull();
    expect(await host.views(rowsGraph(5, 'first'), 'count')).toBeNull();
    expect(await host.columns(rowsGraph(5, 'first'), 'count')).toBeNull();
  });
});

describe('EngineHost results after a reload', () => {
  it('restores the last run’s still-valid statuses, summaries, views and columns, marked as restored', async () => {
    const outputs = new NodeOutputStore(freshTestDb());
    const before = makeHost(outputs);
    await before.init('cpu');
    const events = await run(before, rowsGraph(4));
    // The end of the run is announced after the results are saved.
    expect(events.at(-1)?.type).toBe('run-done');
    expect((await outputs.forGraph('g1')).map((r) => r.nodeId).sort()).toEqual(['c', 'count', 'rows', 'sum']);

    const after = makeHost(outputs);
    const restored = await after.restore(rowsGraph(4));
    expect(restored.map((r) => [r.nodeId, r.status, r.summary?.text]).sort()).toEqual([
      ['c', 'done', '= 2'],
      ['count', 'done', undefined],
      ['rows', 'done', undefined],
      ['sum', 'done', '= 3'],
    ]);
    const views = await after.views(rowsGraph(4), 'rows');
    expect(views?.restored).toMatchObject({ at: expect.any(Number) });
    expect(views?.views[0]).toMatchObject({ kind: 'table', rowCount: 4 });
    expect(await after.columns(rowsGraph(4), 'count')).toEqual([{ name: 'i', dtype: 'number' }]);

    // Edited since: the node and what depends on it are not restored; another graph gets nothing.
    expect((await after.restore(rowsGraph(5))).map((r) => r.nodeId).sort()).toEqual(['c', 'sum']);
    expect(await after.views(rowsGraph(5), 'count')).toBeNull();
    expect(await after.restore(rowsGraph(4, 'g2'))).toEqual([]);

    // A run in the new session shows live results again (not marked restored).
    await after.init('cpu');
    await run(after, rowsGraph(4));
    expect((await after.views(rowsGraph(4), 'rows'))?.restored).toBeUndefined();
  });

  it('hashes a handed-over file as the stored copy is keyed (sha-256 of its bytes)', async () => {
    const host = makeHost();
    await host.putFileBlob('t', 'a.csv', new Blob(['x,y\n1,2\n']));
    await host.putFile('b', 'b.csv', new TextEncoder().encode('x,y\n1,2\n'));
    const hash = await host.hashFile('t');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await host.hashFile('b')).toBe(hash);
    await expect(host.hashFile('nope')).rejects.toThrow(/No file/);
  });

  it('profiles a handed-over file whole (types, gaps, distinct values) for "New from data"', async () => {
    const host = makeHost();
    await host.putFileBlob('t', 'shop.csv', new Blob(['size,colour,price\n1,red,10\n,blue,12\n3,red,\n']));
    const profile = await host.profileFile('t');
    expect(profile).toMatchObject({ name: 'shop.csv', rows: 3 });
    expect(profile.columns.map((c) => [c.name, c.dtype, c.missing, c.distinct])).toEqual([
      ['size', 'number', 1, 2],
      ['colour', 'category', 0, 2],
      ['price', 'number', 1, 2],
    ]);
    await expect(host.profileFile('nope')).rejects.toThrow(/No file/);
  });
});
