/** DatasetStore over Dexie: metadata in `datasets`, columnar typed-array buffers in `datasetData`. */
import type { Column, Table } from '../data/types';
import type { DatasetStore, StoredDatasetMeta } from '../engine/services';
import type { DatasetDataRecord, PipelineStudioDb, StoredColumn } from './db';
import { guardQuota, newId } from './errors';
import { checkWith, datasetMetaSchema, scanRecords, type RecordScan } from './records';

/**
 * Exactly the view's bytes: its own buffer when the view covers all of it (IndexedDB copies
 * what it stores, so a 1M-row table is not copied twice), else a copy of the window.
 */
function bufferOf(view: Float64Array | Int32Array): ArrayBuffer {
  if (view.byteOffset === 0 && view.byteLength === view.buffer.byteLength) return view.buffer as ArrayBuffer;
  return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
}

export function encodeColumn(column: Column): StoredColumn {
  switch (column.dtype) {
    case 'category':
      return { name: column.name, dtype: 'category', int32: bufferOf(column.codes), categories: [...column.categories] };
    case 'text':
      return { name: column.name, dtype: 'text', text: [...column.values] };
    default:
      return { name: column.name, dtype: column.dtype, float64: bufferOf(column.values) };
  }
}

export function decodeColumn(stored: StoredColumn): Column {
  switch (stored.dtype) {
    case 'category':
      return { name: stored.name, dtype: 'category', codes: new Int32Array(stored.int32), categories: stored.categories };
    case 'text':
      return { name: stored.name, dtype: 'text', values: stored.text };
    default:
      return { name: stored.name, dtype: stored.dtype, values: new Float64Array(stored.float64) };
  }
}

export function storedSize(columns: StoredColumn[]): number {
  let bytes = 0;
  for (const column of columns) {
    if ('float64' in column) bytes += column.float64.byteLength;
    else if ('int32' in column) bytes += column.int32.byteLength + column.categories.reduce((n, c) => n + c.length * 2, 0);
    else bytes += column.text.reduce((n, t) => n + (t?.length ?? 0) * 2, 0);
  }
  return bytes;
}

export function schemaOf(table: Table): StoredDatasetMeta['columns'] {
  return table.columns.map((column) =>
    column.dtype === 'category'
      ? { name: column.name, dtype: column.dtype, categories: [...column.categories] }
      : { name: column.name, dtype: column.dtype },
  );
}

/** A table as it is stored: columnar buffers (copies) plus the metadata the Datasets panel lists. */
export function encodeDataset(name: string, hash: string, table: Table): { meta: StoredDatasetMeta; columns: StoredColumn[] } {
  const columns = table.columns.map(encodeColumn);
  const meta: StoredDatasetMeta = {
    id: newId('ds'),
    name,
    hash,
    rowCount: table.rowCount,
    columns: schemaOf(table),
    bytes: storedSize(columns),
    createdAt: Date.now(),
  };
  return { meta, columns };
}

export class DexieDatasetStore implements DatasetStore {
  constructor(private readonly db: PipelineStudioDb) {}

  async put(name: string, hash: string, table: Table): Promise<StoredDatasetMeta> {
    const known = await this.findByHash(hash);
    if (known) return known;
    const { meta, columns } = encodeDataset(name, hash, table);
    const data: DatasetDataRecord = { id: meta.id, rowCount: table.rowCount, columns };
    // One transaction: a failed write (quota) leaves neither half behind, and two tabs
    // importing the same file at once end up with one entry.
    return guardQuota(`dataset "${name}"`, () =>
      this.db.transaction('rw', this.db.datasets, this.db.datasetData, async () => {
        const existing = await this.db.datasets.where('hash').equals(hash).first();
        if (existing) {
          const checked = checkWith(datasetMetaSchema, existing);
          if (checked.ok) return checked.value;
          // A damaged entry for the same content: this complete copy replaces it.
          await this.db.datasets.delete(existing.id);
          await this.db.datasetData.delete(existing.id);
        }
        await this.db.datasets.add(meta);
        await this.db.datasetData.add(data);
        return meta;
      }),
    );
  }

  async get(id: string): Promise<{ meta: StoredDatasetMeta; table: Table } | undefined> {
    const [meta, data] = await this.db.transaction('r', this.db.datasets, this.db.datasetData, () =>
      Promise.all([this.db.datasets.get(id), this.db.datasetData.get(id)]),
    );
    if (!meta || !data) return undefined;
    const checked = checkWith(datasetMetaSchema, meta);
    if (!checked.ok) throw new Error(`The stored dataset "${id}" is damaged (${checked.problem}): export or delete it in the Datasets tab`);
    return { meta: checked.value, table: { rowCount: data.rowCount, columns: data.columns.map(decodeColumn) } };
  }

  /** The entry holding this content; a damaged entry counts as none (a new copy replaces it). */
  async findByHash(hash: string): Promise<StoredDatasetMeta | undefined> {
    const found = await this.db.datasets.where('hash').equals(hash).first();
    const checked = found && checkWith(datasetMetaSchema, found);
    return checked && checked.ok ? checked.value : undefined;
  }

  /** Every stored dataset, newest first, and the entries that cannot be read (listed as damaged). */
  async scan(): Promise<RecordScan<StoredDatasetMeta>> {
    const { records, damaged } = scanRecords('datasets', 'id', await this.db.datasets.toArray(), (raw) => checkWith(datasetMetaSchema, raw));
    return { records: records.sort((a, b) => b.createdAt - a.createdAt), damaged };
  }

  async list(): Promise<StoredDatasetMeta[]> {
    return (await this.scan()).records;
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction('rw', this.db.datasets, this.db.datasetData, async () => {
      await this.db.datasets.delete(id);
      await this.db.datasetData.delete(id);
    });
  }
}
