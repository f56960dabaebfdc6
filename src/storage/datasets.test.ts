import { afterEach, describe, expect, it } from 'vitest';
import type { Table } from '../data/types';
import type { DatasetWriter } from '../engine/services';
import { ABANDONED_WRITE_MS, DexieDatasetStore, encodeDataset, ROWS_PER_PART } from './datasets';
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
    await failWritesWithQuota(db, 'datasetParts');
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

describe('dexie dataset store, written while parsed', () => {
  /** 150,000 rows: three parts of each column. A number column, and one that turned category at its end. */
  function bigTable(): { numbers: Float64Array; labels: Float64Array; table: Table } {
    const rows = 150_000;
    const numbers = Float64Array.from({ length: rows }, (_, i) => i / 2);
    // As parsed: numbers until the last row, where a text made the column a category.
    const labels = Float64Array.from({ length: rows }, (_, i) => (i === rows - 1 ? Number.NaN : i % 3));
    const codes = Int32Array.from({ length: rows }, (_, i) => (i === rows - 1 ? 3 : i % 3));
    const table: Table = {
      rowCount: rows,
      columns: [
        { name: 'x', dtype: 'number', values: numbers },
        { name: 'kind', dtype: 'category', codes, categories: ['0', '1', '2', 'other'] },
      ],
    };
    return { numbers, labels, table };
  }

  /** The same columns, compared by their bytes (element-wise toEqual on 150,000 rows takes seconds). */
  function expectSameTable(actual: Table, expected: Table): void {
    const bytes = (column: Table['columns'][number]) =>
      column.dtype === 'text' ? Buffer.from(JSON.stringify(column.values)) : Buffer.from(column.dtype === 'category' ? column.codes.buffer : column.values.buffer);
    expect(actual.rowCount).toBe(expected.rowCount);
    expect(actual.columns.map(({ name, dtype }) => ({ name, dtype }))).toEqual(expected.columns.map(({ name, dtype }) => ({ name, dtype })));
    actual.columns.forEach((column, j) => expect(bytes(column).equals(bytes(expected.columns[j])), `column ${column.name}`).toBe(true));
    actual.columns.forEach((column, j) => column.dtype === 'category' && expect(column.categories).toEqual((expected.columns[j] as typeof column).categories));
  }

  async function writeGroups(writer: DatasetWriter, columns: Float64Array[]): Promise<void> {
    for (let start = 0; start < columns[0].length; start += writer.rowsPerGroup) {
      await writer.writeNumbers(start, columns.map((column) => column.slice(start, start + writer.rowsPerGroup)));
    }
  }

  it('stores the row groups as parsed and lists the entry with its final columns on commit', async () => {
    db = freshTestDb();
    const store = new DexieDatasetStore(db);
    const { numbers, labels, table } = bigTable();
    const writer = store.begin('big.csv');
    await writeGroups(writer, [numbers, labels]);
    // Nothing is listed or found before the commit.
    expect(await store.list()).toEqual([]);
    const meta = await writer.commit('h-big', table);
    expect(meta).toMatchObject({ name: 'big.csv', hash: 'h-big', rowCount: 150_000 });
    // The column decided at the end was rewritten as codes over the numbers written while parsing.
    expectSameTable((await store.get(meta.id))!.table, table);
    expect(await db.datasetParts.count()).toBe(6);
    expect(await db.datasetWrites.count()).toBe(0);
  });

  it('puts a parsed table in parts and reads it back whole', async () => {
    db = freshTestDb();
    const store = new DexieDatasetStore(db);
    const { table } = bigTable();
    const meta = await store.put('big.csv', 'h', table);
    expectSameTable((await store.get(meta.id))!.table, table);
  });

  it('returns the entry already holding the content and drops what it wrote', async () => {
    db = freshTestDb();
    const store = new DexieDatasetStore(db);
    const kept = await store.put('first.csv', 'same', sampleTable());
    const partsBefore = await db.datasetParts.count();
    const { numbers, labels, table } = bigTable();
    const writer = store.begin('again.csv');
    await writeGroups(writer, [numbers, labels]);
    expect((await writer.commit('same', table)).id).toBe(kept.id);
    expect(await db.datasetParts.count()).toBe(partsBefore);
    expect((await store.list()).map((m) => m.id)).toEqual([kept.id]);
  });

  it('abort drops everything, including a write still in flight', async () => {
    db = freshTestDb();
    const store = new DexieDatasetStore(db);
    const { numbers } = bigTable();
    const writer = store.begin('cancelled.csv');
    void writer.writeNumbers(0, [numbers.slice(0, writer.rowsPerGroup)]);
    await writer.abort();
    expect(await db.datasetParts.count()).toBe(0);
    expect(await db.datasetWrites.count()).toBe(0);
    expect(await store.list()).toEqual([]);
  });

  it('a write swept as abandoned (idle over an hour) is never listed: its next write and its commit fail', async () => {
    db = freshTestDb();
    const store = new DexieDatasetStore(db);
    const { numbers, labels, table } = bigTable();
    const writer = store.begin('slow.csv');
    await writer.writeNumbers(0, [numbers.slice(0, ROWS_PER_PART), labels.slice(0, ROWS_PER_PART)]);
    // Each write renews the marker another writer's sweep goes by.
    expect((await db.datasetWrites.toArray())[0].startedAt).toBeGreaterThan(Date.now() - 1000);
    // What a sweep in another tab does to it once it has sat idle for an hour.
    await db.datasetWrites.clear();
    await db.datasetParts.clear();
    await expect(writer.writeNumbers(ROWS_PER_PART, [numbers.slice(ROWS_PER_PART, 2 * ROWS_PER_PART), labels.slice(ROWS_PER_PART, 2 * ROWS_PER_PART)])).rejects.toThrow(/removed as abandoned/);
    await expect(writer.commit('h-slow', table)).rejects.toThrow(/removed as abandoned/);
    expect(await store.list()).toEqual([]);
  });

  it('sweeps the parts of a write abandoned over an hour ago, and keeps a recent one', async () => {
    db = freshTestDb();
    const store = new DexieDatasetStore(db);
    const part = (datasetId: string) => ({ datasetId, column: 0, startRow: 0, float64: new Float64Array([1]).buffer });
    await db.datasetWrites.bulkAdd([
      { id: 'ds-closed-tab', startedAt: Date.now() - ABANDONED_WRITE_MS - 1000 },
      { id: 'ds-other-tab', startedAt: Date.now() - 1000 },
    ]);
    await db.datasetParts.bulkAdd([part('ds-closed-tab'), part('ds-other-tab')]);
    await store.put('new.csv', 'h-new', sampleTable());
    const left = await db.datasetParts.toArray();
    expect(left.some((p) => p.datasetId === 'ds-closed-tab')).toBe(false);
    expect(left.some((p) => p.datasetId === 'ds-other-tab')).toBe(true);
    expect((await db.datasetWrites.toArray()).map((w) => w.id)).toEqual(['ds-other-tab']);
  });

  it('says a dataset with a missing part is damaged, and deletes it whole', async () => {
    db = freshTestDb();
    const store = new DexieDatasetStore(db);
    const meta = await store.put('big.csv', 'h', bigTable().table);
    await db.datasetParts.delete([meta.id, 0, ROWS_PER_PART]);
    await expect(store.get(meta.id)).rejects.toThrow(`The stored dataset "${meta.id}" is damaged (column "x": rows from ${ROWS_PER_PART} are missing): export or delete it in the Datasets tab`);
    await store.delete(meta.id);
    expect(await db.datasetParts.count()).toBe(0);
    expect(await store.list()).toEqual([]);
  });

  it('reads an entry stored before v5 (all columns in one record)', async () => {
    db = freshTestDb();
    const store = new DexieDatasetStore(db);
    const { meta, columns } = encodeDataset('old.csv', 'h-old', sampleTable());
    await db.datasets.add(meta);
    await db.datasetData.add({ id: meta.id, rowCount: 3, columns });
    const loaded = await store.get(meta.id);
    expect(loaded!.table.columns.map((c) => c.name)).toEqual(['sepal', 'species', 'note', 'flag']);
    expect(loaded!.table.rowCount).toBe(3);
    await store.delete(meta.id);
    expect(await db.datasetData.count()).toBe(0);
  });
});

describe('dexie dataset store previews', () => {
  it('reads only the parts that hold the first rows, and the head of an entry stored before v5', async () => {
    db = freshTestDb();
    const store = new DexieDatasetStore(db);
    const rows = ROWS_PER_PART * 3;
    const table: Table = {
      rowCount: rows,
      columns: [
        { name: 'x', dtype: 'number', values: Float64Array.from({ length: rows }, (_, i) => i) },
        { name: 'kind', dtype: 'category', codes: Int32Array.from({ length: rows }, (_, i) => i % 2), categories: ['a', 'b'] },
        { name: 'note', dtype: 'text', values: Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : `n${i}`)) },
      ],
    };
    const meta = await store.put('big.csv', 'h', table);
    // Damage every part past the first: a preview that read them would fail.
    for (let column = 0; column < 3; column++) await db.datasetParts.delete([meta.id, column, ROWS_PER_PART * 2]);
    const head = (await store.head(meta.id, 20))!;
    expect(head.meta.rowCount).toBe(rows);
    expect(head.table.rowCount).toBe(20);
    const [x, kind, note] = head.table.columns;
    expect(x.dtype === 'number' && Array.from(x.values)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(kind.dtype === 'category' && [kind.categories, Array.from(kind.codes.slice(0, 3))]).toEqual([['a', 'b'], [0, 1, 0]]);
    expect(note.dtype === 'text' && note.values.slice(0, 3)).toEqual([null, 'n1', 'n2']);
    await expect(store.get(meta.id)).rejects.toThrow(/damaged/);
    // Without its first part a column's preview is damage too, not blank rows.
    await db.datasetParts.delete([meta.id, 1, 0]);
    await expect(store.head(meta.id, 20)).rejects.toThrow(`The stored dataset "${meta.id}" is damaged (column "kind": its first rows are missing)`);

    const old = encodeDataset('old.csv', 'h-old', sampleTable());
    await db.datasets.add(old.meta);
    await db.datasetData.add({ id: old.meta.id, rowCount: 3, columns: old.columns });
    expect((await store.head(old.meta.id, 2))!.table.rowCount).toBe(2);
    expect(await store.head('no-such-id', 2)).toBeUndefined();
  });
});
