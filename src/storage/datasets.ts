/**
 * DatasetStore over Dexie: metadata in `datasets`; the columns in `datasetParts`, one record
 * per column and row range, written while the file is parsed (entries stored before v5 keep
 * all columns in one `datasetData` record and are still read).
 */
import Dexie, { type IndexableType } from 'dexie';
import type { CategoryColumn, Column, ColumnSchema, Table, TextColumn } from '../data/types';
import type { DatasetStore, DatasetWriter, StoredDatasetMeta } from '../engine/services';
import type { DatasetPartRecord, PipelineStudioDb, StoredColumn } from './db';
import { selectColumnRows, selectRows } from '../data/table';
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

/** What a column takes in storage: its typed array's bytes, or 2 bytes a character of text. */
export function columnBytes(column: Column): number {
  switch (column.dtype) {
    case 'category':
      return column.codes.byteLength + column.categories.reduce((n, c) => n + c.length * 2, 0);
    case 'text':
      return column.values.reduce((n, t) => n + (t?.length ?? 0) * 2, 0);
    default:
      return column.values.byteLength;
  }
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
  return { meta: datasetMeta(newId('ds'), name, hash, table), columns: table.columns.map(encodeColumn) };
}

/** The metadata the Datasets panel lists, the same for every store. */
function datasetMeta(id: string, name: string, hash: string, table: Table): StoredDatasetMeta {
  return { id, name, hash, rowCount: table.rowCount, columns: schemaOf(table), bytes: table.columns.reduce((n, column) => n + columnBytes(column), 0), createdAt: Date.now() };
}

/** The message of a stored dataset that cannot be read, with what to do. */
function damagedError(id: string, problem: string): Error {
  return new Error(`The stored dataset "${id}" is damaged (${problem}): export or delete it in the Datasets tab`);
}

/** Rows a part holds: 512 KB of numbers, small enough that no write holds much, few enough records to read fast. */
export const ROWS_PER_PART = 65_536;

/** A write left unfinished this long ago was abandoned (its tab closed mid-import): its parts are dropped. */
export const ABANDONED_WRITE_MS = 60 * 60 * 1000;

/** The key range of a dataset's parts: all of them, or one column's. */
function partRange(id: string, column?: number): [IndexableType, IndexableType] {
  return [
    [id, column ?? Dexie.minKey, Dexie.minKey],
    [id, column ?? Dexie.maxKey, Dexie.maxKey],
  ];
}

function partsOf(db: PipelineStudioDb, id: string, column?: number) {
  return db.datasetParts.where('[datasetId+column+startRow]').between(...partRange(id, column), true, true);
}

/** One column's rows [start, end) as a stored part (typed arrays copied: exactly the window). */
function partOf(id: string, index: number, column: Column, start: number, end: number): DatasetPartRecord {
  const key = { datasetId: id, column: index, startRow: start };
  switch (column.dtype) {
    case 'category':
      return { ...key, int32: column.codes.slice(start, end).buffer };
    case 'text':
      return { ...key, text: column.values.slice(start, end) };
    default:
      return { ...key, float64: column.values.slice(start, end).buffer };
  }
}

/** Rows a part holds (NaN for a part of no known kind). */
function partLength(part: DatasetPartRecord): number {
  return 'float64' in part ? part.float64.byteLength / 8 : 'int32' in part ? part.int32.byteLength / 4 : 'text' in part ? part.text.length : NaN;
}

/** A column rebuilt from its parts in row order; a gap, an overlap or a part of the wrong kind is damage. */
function columnFromParts(id: string, schema: ColumnSchema, parts: DatasetPartRecord[], rowCount: number): Column {
  const damaged = (problem: string) => damagedError(id, `column "${schema.name}": ${problem}`);
  const lengths = parts.map(partLength);
  let rows = 0;
  parts.forEach((part, i) => {
    if (part.startRow !== rows || Number.isNaN(lengths[i])) throw damaged(`rows from ${rows} are missing`);
    rows += lengths[i];
  });
  if (rows !== rowCount) throw damaged(`${rows} of ${rowCount} rows are stored`);
  const kind = schema.dtype === 'category' ? 'int32' : schema.dtype === 'text' ? 'text' : 'float64';
  if (parts.some((part) => !(kind in part))) throw damaged(`a part is not stored as ${kind}`);
  if (schema.dtype === 'text') {
    const values: TextColumn['values'] = [];
    for (const part of parts) for (const value of (part as { text: (string | null)[] }).text) values.push(value);
    return { name: schema.name, dtype: 'text', values };
  }
  const typed = schema.dtype === 'category' ? new Int32Array(rowCount) : new Float64Array(rowCount);
  parts.forEach((part) => typed.set(schema.dtype === 'category' ? new Int32Array((part as { int32: ArrayBuffer }).int32) : new Float64Array((part as { float64: ArrayBuffer }).float64), part.startRow));
  if (schema.dtype === 'category') return { name: schema.name, dtype: 'category', codes: typed as Int32Array, categories: schema.categories ?? [] } satisfies CategoryColumn;
  return { name: schema.name, dtype: schema.dtype, values: typed as Float64Array } as Column;
}

/**
 * One dataset stored while it is parsed. Its operations run one after another (a write still
 * in flight when the parse is cancelled lands before `abort` drops everything); the entry is
 * listed only by `commit`, in one transaction with the check for the same content.
 */
class DexieDatasetWriter implements DatasetWriter {
  readonly rowsPerGroup = ROWS_PER_PART;
  private readonly id = newId('ds');
  /** Rows of every column written as numbers so far (row groups arrive in order from row 0). */
  private numberRows = 0;
  private queue: Promise<unknown>;

  constructor(
    private readonly db: PipelineStudioDb,
    private readonly name: string,
  ) {
    const startedAt = Date.now();
    this.queue = guardQuota(`dataset "${name}"`, async () => {
      // Best effort: a sweep that fails must not keep this dataset from being stored.
      await this.sweepAbandoned(startedAt).catch(() => undefined);
      await this.db.datasetWrites.put({ id: this.id, startedAt });
    });
    // Its failure reaches the caller through the next operation; until then it is not unhandled.
    this.queue.catch(() => undefined);
  }

  writeNumbers(startRow: number, columns: Float64Array[]): Promise<void> {
    return this.then(async () => {
      if (startRow !== this.numberRows) throw new Error(`Row group from row ${startRow} arrived after ${this.numberRows} rows`);
      const parts = columns.map((values, column): DatasetPartRecord => ({ datasetId: this.id, column, startRow, float64: bufferOf(values) }));
      // With the marker, renewed: a write that goes on is never taken for an abandoned one.
      await guardQuota(`dataset "${this.name}"`, () =>
        this.db.transaction('rw', this.db.datasetParts, this.db.datasetWrites, async () => {
          await this.ensureMarker();
          await this.db.datasetParts.bulkPut(parts);
          await this.db.datasetWrites.put({ id: this.id, startedAt: Date.now() });
        }),
      );
      this.numberRows += columns[0]?.length ?? 0;
    });
  }

  commit(hash: string, table: Table): Promise<StoredDatasetMeta> {
    return this.then(async () => {
      const known = await findValidByHash(this.db, hash);
      if (known) {
        await this.drop();
        return known;
      }
      await guardQuota(`dataset "${this.name}"`, () => this.writeColumns(table));
      const meta = datasetMeta(this.id, this.name, hash, table);
      // Listed in one transaction with the check: two tabs importing the same file end up with one entry.
      return guardQuota(`dataset "${this.name}"`, () =>
        this.db.transaction('rw', [this.db.datasets, this.db.datasetData, this.db.datasetParts, this.db.datasetWrites], async () => {
          const existing = await this.db.datasets.where('hash').equals(hash).first();
          if (existing) {
            const checked = checkWith(datasetMetaSchema, existing);
            if (checked.ok) {
              await this.drop();
              return checked.value;
            }
            // A damaged entry for the same content: this complete copy replaces it.
            await deleteEntry(this.db, existing.id);
          }
          // Its parts are all there only while its marker is: never list a swept write.
          await this.ensureMarker();
          await this.db.datasets.add(meta);
          await this.db.datasetWrites.delete(this.id);
          return meta;
        }),
      );
    });
  }

  abort(): Promise<void> {
    return this.then(() => this.drop());
  }

  private then<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation);
    // The next operation runs after this one however it ends; its caller sees its failure.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Columns not already stored in final form by the row groups (every column when there were none). */
  private async writeColumns(table: Table): Promise<void> {
    for (const [index, column] of table.columns.entries()) {
      if (column.dtype === 'number' && this.numberRows === table.rowCount) continue;
      await partsOf(this.db, this.id, index).delete();
      for (let start = 0; start < table.rowCount; start += ROWS_PER_PART) {
        await this.db.datasetParts.put(partOf(this.id, index, column, start, Math.min(table.rowCount, start + ROWS_PER_PART)));
      }
    }
  }

  /** Throws when another writer swept this one's parts as abandoned (it sat idle for an hour). */
  private async ensureMarker(): Promise<void> {
    if (!(await this.db.datasetWrites.get(this.id))) throw new Error('the parts stored so far were removed as abandoned (the import sat idle for over an hour)');
  }

  private async drop(): Promise<void> {
    await this.db.transaction('rw', this.db.datasetParts, this.db.datasetWrites, async () => {
      await partsOf(this.db, this.id).delete();
      await this.db.datasetWrites.delete(this.id);
    });
  }

  /** Parts of writes started over an hour ago and never listed (a tab closed mid-import). */
  private async sweepAbandoned(now: number): Promise<void> {
    const abandoned = await this.db.datasetWrites.where('startedAt').below(now - ABANDONED_WRITE_MS).toArray();
    for (const write of abandoned) {
      await this.db.transaction('rw', this.db.datasets, this.db.datasetParts, this.db.datasetWrites, async () => {
        if (!(await this.db.datasets.get(write.id))) await partsOf(this.db, write.id).delete();
        await this.db.datasetWrites.delete(write.id);
      });
    }
  }
}

async function findValidByHash(db: PipelineStudioDb, hash: string): Promise<StoredDatasetMeta | undefined> {
  const found = await db.datasets.where('hash').equals(hash).first();
  const checked = found && checkWith(datasetMetaSchema, found);
  return checked && checked.ok ? checked.value : undefined;
}

/** Removes an entry whole: its metadata and its columns in either layout. */
async function deleteEntry(db: PipelineStudioDb, id: string): Promise<void> {
  await db.datasets.delete(id);
  await db.datasetData.delete(id);
  await partsOf(db, id).delete();
}

export class DexieDatasetStore implements DatasetStore {
  constructor(private readonly db: PipelineStudioDb) {}

  begin(name: string): DatasetWriter {
    return new DexieDatasetWriter(this.db, name);
  }

  /** A table parsed already: stored in parts like a streamed one, in one go. */
  async put(name: string, hash: string, table: Table): Promise<StoredDatasetMeta> {
    const known = await this.findByHash(hash);
    if (known) return known;
    const writer = this.begin(name);
    try {
      return await writer.commit(hash, table);
    } catch (error) {
      await writer.abort().catch(() => undefined);
      throw error;
    }
  }

  async get(id: string): Promise<{ meta: StoredDatasetMeta; table: Table } | undefined> {
    return this.db.transaction('r', [this.db.datasets, this.db.datasetData, this.db.datasetParts], async () => {
      const meta = await this.db.datasets.get(id);
      const legacy = meta && (await this.db.datasetData.get(id));
      // Metadata without any columns is no dataset (as a half-written entry was before v5).
      if (!meta || (!legacy && (await partsOf(this.db, id).count()) === 0)) return undefined;
      const checked = checkWith(datasetMetaSchema, meta);
      if (!checked.ok) throw damagedError(id, checked.problem);
      if (legacy) return { meta: checked.value, table: { rowCount: legacy.rowCount, columns: legacy.columns.map(decodeColumn) } };
      // Column by column: only one column's parts are held beside the columns built so far.
      const columns: Column[] = [];
      for (const [index, schema] of checked.value.columns.entries()) {
        columns.push(columnFromParts(id, schema, await partsOf(this.db, id, index).toArray(), checked.value.rowCount));
      }
      return { meta: checked.value, table: { rowCount: checked.value.rowCount, columns } };
    });
  }

  /**
   * The first `rows` rows (a preview): only the parts that hold them are read, so a
   * million-row entry previews without loading its columns. Entries from before v5 are read whole.
   */
  async head(id: string, rows: number): Promise<{ meta: StoredDatasetMeta; table: Table } | undefined> {
    if ((await this.db.datasetData.where('id').equals(id).count()) > 0) {
      const entry = await this.get(id);
      return entry && { meta: entry.meta, table: selectRows(entry.table, Array.from({ length: Math.min(rows, entry.table.rowCount) }, (_, i) => i)) };
    }
    return this.db.transaction('r', [this.db.datasets, this.db.datasetParts], async () => {
      const meta = await this.db.datasets.get(id);
      if (!meta) return undefined;
      const checked = checkWith(datasetMetaSchema, meta);
      if (!checked.ok) throw damagedError(id, checked.problem);
      const wanted = Math.min(rows, checked.value.rowCount);
      const columns: Column[] = [];
      for (const [index, schema] of checked.value.columns.entries()) {
        const parts = await this.db.datasetParts.where('[datasetId+column+startRow]').between([id, index, 0], [id, index, wanted], true, false).toArray();
        const stored = parts.reduce((n, part) => n + partLength(part), 0);
        if (!(stored >= wanted)) throw damagedError(id, `column "${schema.name}": its first rows are missing`);
        columns.push(selectColumnRows(columnFromParts(id, schema, parts, stored), Array.from({ length: wanted }, (_, i) => i)));
      }
      return { meta: checked.value, table: { rowCount: wanted, columns } };
    });
  }

  /** The entry holding this content; a damaged entry counts as none (a new copy replaces it). */
  findByHash(hash: string): Promise<StoredDatasetMeta | undefined> {
    return findValidByHash(this.db, hash);
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
    await this.db.transaction('rw', [this.db.datasets, this.db.datasetData, this.db.datasetParts], () => deleteEntry(this.db, id));
  }
}
