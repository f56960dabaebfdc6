import { afterEach, describe, expect, it } from 'vitest';
import { upgradeRunRecord, type RunRecord } from '../engine/run-record';
import type { PipelineStudioDb } from './db';
import { StorageFullError } from './errors';
import { RunHistoryStore } from './runs';
import { failWritesWithQuota, freshTestDb } from './testing';

let db: PipelineStudioDb | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

function run(id: string, graphId: string, startedAt: number, fields: Partial<RunRecord> = {}): RunRecord {
  return upgradeRunRecord({ id, graphId, startedAt, ms: 10, ok: true, cancelled: false, nodes: {}, format: 2, ...fields });
}

describe('RunHistoryStore', () => {
  it('prunes each graph to its newest unstarred runs and never drops a starred one', async () => {
    db = freshTestDb();
    const store = new RunHistoryStore(db, 2);
    await store.add(run('r0', 'g1', 100));
    await store.update('r0', { starred: true });
    for (let i = 1; i <= 4; i++) await store.add(run(`r${i}`, 'g1', 100 + i));
    await store.add(run('other', 'g2', 1));
    // r0 is the oldest and over the limit, but starred.
    expect((await store.list('g1')).map((r) => r.id)).toEqual(['r4', 'r3', 'r0']);
    expect((await store.list('g2')).map((r) => r.id)).toEqual(['other']);
    // A larger limit per call (the user's setting) keeps more.
    expect(await store.add(run('r5', 'g1', 105), 10)).toEqual({ pruned: 0 });
    expect((await store.list('g1')).map((r) => r.id)).toEqual(['r5', 'r4', 'r3', 'r0']);
    // Lowering the limit: asked first, then applied; starred runs stay.
    expect(await store.wouldPrune('g1', 1)).toBe(2);
    expect(await store.prune('g1', 1)).toBe(2);
    expect((await store.list('g1')).map((r) => r.id)).toEqual(['r5', 'r0']);
  });

  it('stars, labels, deletes, and lists every graph newest first', async () => {
    db = freshTestDb();
    const store = new RunHistoryStore(db);
    await store.add(run('a', 'g1', 1));
    await store.add(run('b', 'g2', 2));
    await store.add(run('c', 'g1', 3));
    await store.update('a', { label: '  baseline  ', starred: true });
    expect(await store.get('a')).toMatchObject({ label: 'baseline', starred: true });
    expect((await store.listAll()).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(await store.graphIds()).toEqual(['g1', 'g2']);
    await store.delete(['a', 'b']);
    expect((await store.listAll()).map((r) => r.id)).toEqual(['c']);
    await expect(store.update('a', { starred: false })).rejects.toThrow(/no longer stored/);
  });

  it('reads records written before run history kept graphs', async () => {
    db = freshTestDb();
    await db.runs.put({ id: 'old', graphId: 'g1', startedAt: 5, ms: 1, ok: true, cancelled: false, nodes: { n: { status: 'done' } } } as unknown as RunRecord);
    const store = new RunHistoryStore(db);
    expect(await store.list('g1')).toEqual([expect.objectContaining({ id: 'old', format: 1, graph: null, metrics: {}, starred: false })]);
  });

  it('turns a full disk into StorageFullError and loses no stored run', async () => {
    db = freshTestDb();
    const store = new RunHistoryStore(db, 1);
    await store.add(run('starred', 'g1', 1, { starred: true }));
    await store.add(run('kept', 'g1', 2));
    await failWritesWithQuota(db, 'runs');
    await expect(store.add(run('new', 'g1', 3))).rejects.toBeInstanceOf(StorageFullError);
    await expect(store.update('kept', { starred: true })).rejects.toBeInstanceOf(StorageFullError);
    expect((await store.list('g1')).map((r) => r.id)).toEqual(['kept', 'starred']);
  });
});
