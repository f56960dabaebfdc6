import { afterEach, describe, expect, it } from 'vitest';
import type { Graph } from '../engine/graph';
import { upgradeRunRecord } from '../engine/run-record';
import type { PipelineStudioDb } from './db';
import { RevisionConflictError, StorageFullError } from './errors';
import { GRAPHS_CHANNEL, type GraphChange, GraphStore } from './graphs';
import { RunHistoryStore } from './runs';
import { failWritesWithQuota, freshTestDb } from './testing';

function graph(id: string, name = 'My pipeline'): Graph {
  return {
    id,
    name,
    seed: 42,
    nodes: [{ id: 'n1', type: 'data.sample', params: { sample: 'iris' }, position: { x: 0, y: 0 } }],
    edges: [],
  };
}

let db: PipelineStudioDb | null = null;
const stores: GraphStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  db?.close();
  db = null;
});

function makeStore(): GraphStore {
  db ??= freshTestDb();
  const store = new GraphStore(db);
  stores.push(store);
  return store;
}

describe('GraphStore', () => {
  it('saves with increasing revisions and reads back the graph', async () => {
    const store = makeStore();
    expect(await store.put(graph('g1'), 0)).toBe(1);
    expect(await store.put({ ...graph('g1'), seed: 7 }, 1)).toBe(2);
    const record = await store.get('g1');
    expect(record).toMatchObject({ id: 'g1', name: 'My pipeline', revision: 2 });
    expect(record?.file.graph.seed).toBe(7);
    expect(record?.file.graph.nodes[0].params).toEqual({ sample: 'iris' });
  });

  it('refuses a save based on a stale revision (another tab saved first)', async () => {
    const tabA = makeStore();
    const tabB = makeStore();
    await tabA.put(graph('g1'), 0);
    await tabB.put({ ...graph('g1'), name: 'edited in B' }, 1);
    const error = await tabA.put({ ...graph('g1'), name: 'edited in A' }, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevisionConflictError);
    expect(error).toMatchObject({ expectedRevision: 1, currentRevision: 2 });
    expect((await tabA.get('g1'))?.name).toBe('edited in B');
    // A save without an expected revision (explicit overwrite) still works.
    expect(await tabA.put({ ...graph('g1'), name: 'forced' })).toBe(3);
  });

  it('refuses to create over an existing graph when expecting a new one', async () => {
    const store = makeStore();
    await store.put(graph('g1'), 0);
    await expect(store.put(graph('g1'), 0)).rejects.toBeInstanceOf(RevisionConflictError);
  });

  it('lists newest first, renames, duplicates and deletes', async () => {
    const store = makeStore();
    await store.put(graph('g1', 'first'), 0);
    await new Promise((r) => setTimeout(r, 2));
    await store.put(graph('g2', 'second'), 0);
    expect((await store.list()).map((g) => g.name)).toEqual(['second', 'first']);
    expect((await store.list())[0]).toMatchObject({ revision: 1, nodeCount: 1 });

    expect(await store.rename('g1', ' renamed ')).toBe(2);
    const renamed = await store.get('g1');
    expect(renamed?.name).toBe('renamed');
    expect(renamed?.file.graph.name).toBe('renamed');
    await expect(store.rename('g1', '')).rejects.toThrow(/empty/);
    await expect(store.rename('missing', 'x')).rejects.toThrow(/missing/);

    const copy = await store.duplicate('g1');
    expect(copy.id).not.toBe('g1');
    expect(copy.name).toBe('renamed (copy)');
    expect((await store.get(copy.id))?.file.graph.nodes).toEqual(renamed?.file.graph.nodes);
    expect((await store.get(copy.id))?.file.graph).toMatchObject({ id: copy.id, name: 'renamed (copy)' });
    await expect(store.duplicate('missing')).rejects.toThrow(/missing/);

    await store.delete('g1');
    expect(await store.get('g1')).toBeUndefined();
    expect((await store.list()).map((g) => g.id).sort()).toEqual([copy.id, 'g2'].sort());
  });

  it('announces saves to other tabs on the BroadcastChannel', async () => {
    const store = makeStore();
    const otherTab = new BroadcastChannel(GRAPHS_CHANNEL);
    const received = new Promise<GraphChange>((resolve) => {
      otherTab.onmessage = (event: MessageEvent<GraphChange>) => resolve(event.data);
    });
    await store.put(graph('g1'), 0);
    expect(await received).toMatchObject({ type: 'saved', id: 'g1', revision: 1 });
    otherTab.close();
  });

  it('maps a full disk to StorageFullError and keeps the saved revision', async () => {
    const store = makeStore();
    await store.put(graph('g1'), 0);
    await failWritesWithQuota(db!, 'graphs');
    await expect(store.put({ ...graph('g1'), name: 'new' }, 1)).rejects.toBeInstanceOf(StorageFullError);
    expect(await store.get('g1')).toMatchObject({ revision: 1, name: 'My pipeline' });
  });
});

describe('RunHistoryStore', () => {
  it('keeps the newest runs per graph', async () => {
    db = freshTestDb();
    const runs = new RunHistoryStore(db, 3);
    for (let i = 0; i < 5; i++) {
      await runs.add(upgradeRunRecord({ id: `r${i}`, graphId: 'g1', startedAt: 1000 + i, ms: 10, ok: i !== 2, cancelled: false, nodes: { n1: { status: 'done', ms: 5 } } }));
    }
    await runs.add(upgradeRunRecord({ id: 'other', graphId: 'g2', startedAt: 1, ms: 1, ok: true, cancelled: false, nodes: {} }));
    expect((await runs.list('g1')).map((r) => r.id)).toEqual(['r4', 'r3', 'r2']);
    expect((await runs.list('g1'))[2].ok).toBe(false);
    expect((await runs.list('g2')).map((r) => r.id)).toEqual(['other']);
    await runs.clear('g1');
    expect(await runs.list('g1')).toEqual([]);
  });
});
