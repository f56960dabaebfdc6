import { afterEach, describe, expect, it } from 'vitest';
import type { Table } from '../data/types';
import { DexieDatasetStore } from './datasets';
import type { PipelineStudioDb } from './db';
import { StorageFullError } from './errors';
import { MemoryDatasetStore } from './memory';
import { failWritesWithQuota, freshTestDb } from './testing';

function sampleTable(): Table {
  // A view into a larger buffer: storage must copy exactly the view, not the whole buffer.
  const backing = new Float64Array([99, 5.1, 4.9, Number.NaN, 99]);
  return {
    rowCount: 3,
    columns: [
      { name: 'sepal', dtype: 'number', values: backing.subarray(1, 4) },
      { name: 'species', dtype: 'category', codes: new Int32Array([0, 1, -1]), categories: ['setosa', 'virginica'] },
      { name: 'note', dtype: 'text', values: ['a', null, 'c'] },
      { name: 'flag', dtype: 'boolean', values: new Float64Array([1, 0, 1]) },
    ],
  };
}

let db: PipelineStudioDb | null = null;
afterEach(async () => {
  db?.close();
  db = null;
});

describe.each([
  ['dexie', () => new DexieDatasetStore((db = freshTestDb()))],
  ['memory', () => new MemoryDatasetStore()],
])('%s dataset store', (_name, makeStore) => {
  it('round-trips columns as typed arrays, with missing values', async () => {
    const store = makeStore();
    const meta = await store.put('iris.csv', 'hash-1', sampleTable());
    expect(meta).toMatchObject({ name: 'iris.csv', hash: 'hash-1', rowCount: 3 });
    expect(meta.columns.map((c) => c.dtype)).toEqual(['number', 'category', 'text', 'boolean']);
    expect(meta.columns[1].categories).toEqual(['setosa', 'virginica']);
    // 3 float64 + 3 int32 + categories + text + 3 float64
    expect(meta.bytes).toBeGreaterThanOrEqual(24 + 12 + 24);

    const loaded = await store.get(meta.id);
    expect(loaded).toBeDefined();
    const [sepal, species, note, flag] = loaded!.table.columns;
    expect(sepal.dtype === 'number' && sepal.values).toBeInstanceOf(Float64Array);
    expect(sepal.dtype === 'number' && Array.from(sepal.values)).toEqual([5.1, 4.9, Number.NaN]);
    expect(species.dtype === 'category' && species.codes).toBeInstanceOf(Int32Array);
    expect(species.dtype === 'category' && Array.from(species.codes)).toEqual([0, 1, -1]);
    expect(note.dtype === 'text' && note.values).toEqual(['a', null, 'c']);
    expect(flag.dtype === 'boolean' && Array.from(flag.values)).toEqual([1, 0, 1]);
    expect(loaded!.table.rowCount).toBe(3);
  });

  it('reuses the entry for the same content hash', async () => {
    const store = makeStore();
    const first = await store.put('iris.csv', 'same', sampleTable());
    const second = await store.put('renamed.csv', 'same', sampleTable());
    expect(second.id).toBe(first.id);
    expect(await store.list()).toHaveLength(1);
    expect((await store.findByHash('same'))?.id).toBe(first.id);
    expect(await store.findByHash('other')).toBeUndefined();
  });

  it('stores one entry when the same content is put twice at once', async () => {
    const store = makeStore();
    const [a, b] = await Promise.all([store.put('a.csv', 'same', sampleTable()), store.put('b.csv', 'same', sampleTable())]);
    expect(a.id).toBe(b.id);
    expect(await store.list()).toHaveLength(1);
  });

  it('lists newest first and deletes', async () => {
    const store = makeStore();
    const a = await store.put('a', 'h-a', sampleTable());
    await new Promise((r) => setTimeout(r, 2));
    const b = await store.put('b', 'h-b', sampleTable());
    expect((await store.list()).map((m) => m.id)).toEqual([b.id, a.id]);
    await store.delete(a.id);
    expect(await store.get(a.id)).toBeUndefined();
    expect((await store.list()).map((m) => m.id)).toEqual([b.id]);
  });

  it('is not affected by later edits to the stored table', async () => {
    const store = makeStore();
    const table = sampleTable();
    const meta = await store.put('t', 'h', table);
    if (table.columns[0].dtype === 'number') table.columns[0].values[0] = -1;
    const loaded = await store.get(meta.id);
    const sepal = loaded!.table.columns[0];
    expect(sepal.dtype === 'number' && sepal.values[0]).toBe(5.1);
  });
});

describe('dexie dataset store when storage is full', () => {
  it('throws StorageFullError and keeps what was already saved', async () => {
    db = freshTestDb();
    const store = new DexieDatasetStore(db);
    const kept = await store.put('kept.csv', 'h-kept', sampleTable());
    await failWritesWithQuota(db, 'datasetData');
    const error = await store.put('big.csv', 'h-big', sampleTable()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as Error).message).toMatch(/storage is full.*dataset "big\.csv".*Nothing already saved was lost/s);
    // The failed write left no half-saved metadata behind…
    expect(await store.findByHash('h-big')).toBeUndefined();
    // …and the earlier dataset is intact.
    expect((await store.list()).map((m) => m.id)).toEqual([kept.id]);
    expect((await store.get(kept.id))?.table.rowCount).toBe(3);
  });
});
