/**
 * Tables and datasets as Apache Arrow IPC files (the file format: "ARROW1" magic at both ends),
 * the on-disk form of `table` and `dataset` port values between cluster tasks
 * (`pipeline-studio run-node`). Any Arrow reader (pyarrow, polars, DuckDB) opens them:
 *   number   → Float64          boolean  → Bool
 *   datetime → Timestamp(ms)    category → Dictionary<Int32, Utf8>
 *   text     → Utf8
 * Missing values are Arrow nulls. Each field's metadata keeps our dtype, so a round trip is
 * exact (category order included). A dataset's roles, partitions (row indices, in order),
 * fitted transform chain, raw schema and source ride in the schema metadata under
 * `pipeline-studio.dataset` as JSON; a table's source and ingest notes under `pipeline-studio.table`.
 */
import {
  Bool,
  type Data,
  Dictionary,
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table as ArrowTable,
  TimestampMillisecond,
  Utf8,
  tableFromIPC,
  tableToIPC,
  Type,
  Vector,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { DataError } from './table';
import type { Column, ColumnSchema, Dataset, DatasetSource, DType, FittedTransform, Table } from './types';
import { errorMessage } from '../engine/errors';

export const ARROW_TABLE_KEY = 'pipeline-studio.table';
export const ARROW_DATASET_KEY = 'pipeline-studio.dataset';
export const ARROW_DTYPE_KEY = 'pipeline-studio.dtype';
const FORMAT_VERSION = 1;
const MAGIC = 'ARROW1';
const DTYPES: readonly DType[] = ['number', 'category', 'boolean', 'text', 'datetime'];

/** An Arrow validity bitmap (bit set = present) from a per-row "is missing" test; null when nothing is missing. */
function validity(n: number, missing: (row: number) => boolean): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(n / 8));
  let nullCount = 0;
  for (let r = 0; r < n; r++) {
    if (missing(r)) nullCount++;
    else bitmap[r >> 3] |= 1 << (r & 7);
  }
  return { nullBitmap: nullCount > 0 ? bitmap : undefined, nullCount };
}

function columnData(column: Column, n: number, index: number): Data {
  switch (column.dtype) {
    case 'number': {
      const { nullBitmap, nullCount } = validity(n, (r) => Number.isNaN(column.values[r]));
      return makeData({ type: new Float64(), length: n, nullCount, nullBitmap, data: column.values });
    }
    case 'boolean':
      return vectorFromArray(Array.from(column.values, (v) => (Number.isNaN(v) ? null : v !== 0)), new Bool()).data[0];
    case 'datetime':
      return vectorFromArray(Array.from(column.values, (v) => (Number.isNaN(v) ? null : v)), new TimestampMillisecond()).data[0];
    case 'category': {
      const { nullBitmap, nullCount } = validity(n, (r) => column.codes[r] < 0);
      const dictionary = vectorFromArray(column.categories, new Utf8());
      // An explicit dictionary id (the column index): arrow's default is a process-wide counter, and the same table must give the same bytes.
      return makeData({ type: new Dictionary(new Utf8(), new Int32(), index), length: n, nullCount, nullBitmap, data: column.codes, dictionary });
    }
    case 'text':
      return vectorFromArray(column.values, new Utf8()).data[0];
  }
}

/** Arrow IPC file bytes for a table; `metadata` adds schema-level entries (JSON-encoded). */
export function tableToArrow(table: Table, metadata: Record<string, unknown> = {}): Uint8Array {
  const n = table.rowCount;
  const children = table.columns.map((column, i) => columnData(column, n, i));
  const fields = table.columns.map((column, i) => new Field(column.name, children[i].type, true, new Map([[ARROW_DTYPE_KEY, column.dtype]])));
  const tableMeta = { version: FORMAT_VERSION, ...(table.source ? { source: table.source } : {}), ...(table.warnings ? { warnings: table.warnings } : {}) };
  const schemaMeta = new Map<string, string>([[ARROW_TABLE_KEY, JSON.stringify(tableMeta)]]);
  for (const [key, value] of Object.entries(metadata)) schemaMeta.set(key, JSON.stringify(value));
  const schema = new Schema(fields, schemaMeta);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
  return tableToIPC(new ArrowTable(schema, [batch]), 'file');
}

function hasMagic(bytes: Uint8Array): boolean {
  const text = (from: number) => String.fromCharCode(...bytes.subarray(from, from + MAGIC.length));
  return bytes.byteLength >= 2 * MAGIC.length + 4 && text(0) === MAGIC && text(bytes.byteLength - MAGIC.length) === MAGIC;
}

function readIpc(bytes: Uint8Array, name: string): ArrowTable {
  if (!hasMagic(bytes)) throw new DataError(`${name} is not an Arrow IPC file (it does not start and end with "ARROW1")`);
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    throw new DataError(`${name} is a damaged Arrow IPC file: ${errorMessage(error)}`);
  }
}

function dtypeOf(field: Field): DType {
  const declared = field.metadata.get(ARROW_DTYPE_KEY) as DType | undefined;
  if (declared && DTYPES.includes(declared)) return declared;
  // A file from another tool: map the Arrow type.
  switch (field.type.typeId) {
    case Type.Bool:
      return 'boolean';
    case Type.Dictionary:
      return 'category';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'text';
    case Type.Timestamp:
    case Type.Date:
      return 'datetime';
    case Type.Int:
    case Type.Float:
    case Type.Decimal:
      return 'number';
    default:
      throw new DataError(`Column "${field.name}" has Arrow type ${String(field.type)}, which has no column type here (numbers, booleans, dates, categories and text do)`);
  }
}

function readColumn(name: string, dtype: DType, vector: Vector<DataType>, n: number): Column {
  if (dtype === 'category') {
    const codes = new Int32Array(n);
    const categories: string[] = [];
    const index = new Map<string, number>();
    let row = 0;
    for (const chunk of vector.data) {
      // Each batch may carry its own dictionary: map its codes onto one category list.
      const labels = chunk.dictionary ? (chunk.dictionary.toArray() as (string | null)[]) : [];
      const map = labels.map((label) => {
        if (label === null) return -1;
        let code = index.get(label);
        if (code === undefined) {
          code = categories.length;
          categories.push(label);
          index.set(label, code);
        }
        return code;
      });
      const values = chunk.values as ArrayLike<number>;
      for (let i = 0; i < chunk.length; i++, row++) codes[row] = chunk.getValid(i) ? (map[Number(values[i])] ?? -1) : -1;
    }
    return { name, dtype, codes, categories };
  }
  if (dtype === 'text') {
    const values: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = vector.get(i) as unknown;
      values[i] = v === null || v === undefined ? null : String(v);
    }
    return { name, dtype, values };
  }
  const values = new Float64Array(n);
  let row = 0;
  for (const chunk of vector.data) {
    // Float64/Float32 and 8–32-bit integers are read straight from the buffer; other types (64-bit ints, booleans, dates) through the vector.
    const direct = chunk.values instanceof Float64Array || chunk.values instanceof Float32Array || chunk.values instanceof Int32Array || chunk.values instanceof Uint32Array || chunk.values instanceof Int16Array || chunk.values instanceof Uint16Array || chunk.values instanceof Int8Array;
    const one = direct ? null : new Vector([chunk]);
    for (let i = 0; i < chunk.length; i++, row++) {
      if (!chunk.getValid(i)) {
        values[row] = NaN;
        continue;
      }
      if (direct) {
        values[row] = (chunk.values as ArrayLike<number>)[i];
        continue;
      }
      const v = one!.get(i) as unknown;
      values[row] = typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.getTime() : Number(v);
    }
  }
  return { name, dtype, values };
}

function parseMeta<T>(schema: Schema, key: string, name: string): T | undefined {
  const text = schema.metadata.get(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new DataError(`${name}: the "${key}" metadata is not valid JSON`);
  }
}

/** A table from Arrow IPC file bytes (ours or any tool's); `name` is used in messages. */
export function arrowToTable(bytes: Uint8Array, name = 'the file'): { table: Table; schema: Schema } {
  const arrow = readIpc(bytes, name);
  const n = arrow.numRows;
  const columns = arrow.schema.fields.map((field, i) => readColumn(field.name, dtypeOf(field), arrow.getChildAt(i)!, n));
  const meta = parseMeta<{ source?: DatasetSource; warnings?: string[] }>(arrow.schema, ARROW_TABLE_KEY, name) ?? {};
  const table: Table = { columns, rowCount: n, ...(meta.source ? { source: meta.source } : {}), ...(meta.warnings ? { warnings: meta.warnings } : {}) };
  return { table, schema: arrow.schema };
}

interface DatasetMeta {
  version: number;
  roles: Dataset['roles'];
  partitions: { train: number[]; validation: number[]; test: number[] } | null;
  transforms: FittedTransform[];
  rawSchema: ColumnSchema[];
  source: DatasetSource;
  featureShape?: number[];
  /**
   * The table before the fitted steps (cross-validation refits the chain on it), per column
   * in order: `stored` names the extra Arrow field holding it, absent when the dataset's own
   * column of that name is the very same (a column no step replaced).
   */
  base?: { name: string; stored?: string }[];
}

/** Arrow field name of a stored base column: a NUL prefix no CSV/JSON header can carry. */
const baseField = (name: string) => `\u0000base\u0000${name}`;

export function datasetToArrow(dataset: Dataset): Uint8Array {
  const { partitions } = dataset;
  const meta: DatasetMeta = {
    version: FORMAT_VERSION,
    roles: dataset.roles,
    partitions: partitions ? { train: Array.from(partitions.train), validation: Array.from(partitions.validation), test: Array.from(partitions.test) } : null,
    transforms: dataset.transforms,
    rawSchema: dataset.rawSchema,
    source: dataset.source,
    ...(dataset.featureShape ? { featureShape: dataset.featureShape } : {}),
  };
  let table = dataset.table;
  if (dataset.base) {
    const own = new Map(dataset.table.columns.map((c) => [c.name, c]));
    const extra = dataset.base.columns.filter((c) => own.get(c.name) !== c);
    meta.base = dataset.base.columns.map((c) => (own.get(c.name) === c ? { name: c.name } : { name: c.name, stored: baseField(c.name) }));
    table = { ...table, columns: [...table.columns, ...extra.map((c) => ({ ...c, name: baseField(c.name) }))] };
  }
  return tableToArrow(table, { [ARROW_DATASET_KEY]: meta });
}

function rowIndices(values: unknown, n: number, what: string, name: string): Uint32Array {
  if (!Array.isArray(values) || !values.every((v) => Number.isInteger(v) && v >= 0 && v < n)) {
    throw new DataError(`${name}: the ${what} partition is not a list of row numbers below ${n}`);
  }
  return Uint32Array.from(values as number[]);
}

/** A dataset from Arrow IPC file bytes written by `datasetToArrow`. */
export function arrowToDataset(bytes: Uint8Array, name = 'the file'): Dataset {
  const { table, schema } = arrowToTable(bytes, name);
  const meta = parseMeta<DatasetMeta>(schema, ARROW_DATASET_KEY, name);
  if (!meta || typeof meta !== 'object' || !meta.roles || !Array.isArray(meta.transforms) || !Array.isArray(meta.rawSchema)) {
    throw new DataError(`${name} holds a table, not a dataset (no "${ARROW_DATASET_KEY}" metadata with roles, transforms and raw schema)`);
  }
  const n = table.rowCount;
  const p = meta.partitions;
  const fields = new Map(table.columns.map((c) => [c.name, c]));
  const isBase = (c: Column) => c.name.startsWith(baseField(''));
  let base: Table | undefined;
  if (Array.isArray(meta.base)) {
    const columns = meta.base.map(({ name: column, stored }) => {
      const found = fields.get(stored ?? column);
      if (!found) throw new DataError(`${name}: the column "${column}" from before the fitted steps is missing`);
      return stored ? { ...found, name: column } : found;
    });
    base = { columns, rowCount: n };
  }
  const own: Table = { ...table, columns: table.columns.filter((c) => !isBase(c)) };
  return {
    table: own,
    roles: meta.roles,
    partitions: p ? { train: rowIndices(p.train, n, 'train', name), validation: rowIndices(p.validation, n, 'validation', name), test: rowIndices(p.test, n, 'test', name) } : null,
    transforms: meta.transforms,
    rawSchema: meta.rawSchema,
    source: meta.source ?? table.source ?? { name: 'table', hash: '' },
    ...(meta.featureShape ? { featureShape: meta.featureShape } : {}),
    ...(base ? { base } : {}),
  };
}
