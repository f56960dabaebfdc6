/**
 * Shared by the data nodes: bytes or a picked Blob → parsed table (with progress), stored by
 * content hash when a store is present, and the cache salts that make an edited file re-run.
 */
import { contentHashAsync, createContentHasher } from '../../data/hash';
import { checkTypeOverrides } from '../../data/infer';
import { checkSize, type DataFormat, detectFormat, parseData, parseDelimitedStream, type ParseResult, type RowGroupSink } from '../../data/parse';
import type { DType, Table } from '../../data/types';
import type { DatasetStore, DatasetWriter, NodeServices, StoredDatasetMeta } from '../../engine/services';
import type { NodeSummary, ProgressUpdate } from '../../engine/node';
import { isDefaultParse, type ParseParamValues } from '../../catalog/data/parse';
import { storedCopyKey } from '../../catalog/data/stored-copy';
import { errorMessage } from '../../engine/errors';

export interface LoadContext {
  services: NodeServices;
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
}

/** Shown on the node (summary) when the store refused the table for lack of space. */
export const STORAGE_FULL_WARNING = 'Storage is full: the dataset was not saved; free space in the Datasets panel';

/** src/storage's StorageFullError (matched by name: nodes sit below storage), or a raw quota error. */
function isStorageFull(error: unknown): boolean {
  return error instanceof Error && (error.name === 'StorageFullError' || error.name === 'QuotaExceededError');
}

/**
 * A dataset stored while it is parsed: the parse hands its row groups to the store's writer.
 * Storing is a convenience: a failed write (storage full, or anything else) does not stop the
 * parse; what was written is dropped and the table is output unsaved, with a warning.
 */
class StoringWhileParsing {
  private failure: unknown = undefined;
  readonly sink: RowGroupSink;

  constructor(
    private readonly store: DatasetStore,
    private readonly writer: DatasetWriter,
  ) {
    this.sink = {
      rowsPerGroup: writer.rowsPerGroup,
      write: async (startRow, columns) => {
        if (this.failure !== undefined) return;
        try {
          await writer.writeNumbers(startRow, columns);
        } catch (error) {
          this.failure = error;
        }
      },
    };
  }

  async commit(key: string, table: Table): Promise<StoredDatasetMeta> {
    try {
      if (this.failure !== undefined) {
        // The content may be stored already (the same file again): that entry is the answer.
        const known = await this.store.findByHash(key);
        if (known) {
          await this.abort();
          return known;
        }
        throw this.failure;
      }
      return await this.writer.commit(key, table);
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  abort(): Promise<void> {
    return this.writer.abort().catch(() => undefined);
  }
}

/** Starts storing as the parse goes when the table will be stored under a key and the store can. */
function storingWhileParsing(ctx: LoadContext, name: string, willStore: boolean): StoringWhileParsing | undefined {
  const store = ctx.services.datasets;
  return willStore && store?.begin ? new StoringWhileParsing(store, store.begin(name)) : undefined;
}

/** Runs the parse; a parse that fails or is cancelled leaves nothing of the table in the store. */
async function parsedWhileStoring<T>(storing: StoringWhileParsing | undefined, parse: () => Promise<T>): Promise<T> {
  try {
    return await parse();
  } catch (error) {
    await storing?.abort();
    throw error;
  }
}

/**
 * Stores the table under `storeAs` when a store is present (finishing what was stored while
 * parsing, if anything). When that fails the node still outputs the table, with a warning
 * saying it was not saved; the store's own transaction keeps what was already saved.
 */
async function stored(ctx: LoadContext, name: string, hash: string, table: Table, storeAs: string | undefined, storing?: StoringWhileParsing): Promise<Table> {
  const store = ctx.services.datasets;
  let datasetId: string | undefined;
  let warning: string | undefined;
  if (store && storeAs !== undefined) {
    ctx.progress({ fraction: 1, message: `saving ${name} to Datasets` });
    try {
      datasetId = (storing ? await storing.commit(storeAs, table) : await store.put(name, storeAs, table)).id;
    } catch (error) {
      warning = isStorageFull(error) ? STORAGE_FULL_WARNING : `The dataset was not saved: ${errorMessage(error)}`;
      ctx.progress({ message: warning });
    }
  }
  const warnings = warning ? [...(table.warnings ?? []), warning] : table.warnings;
  return { ...table, ...(warnings ? { warnings } : {}), source: { name, hash, ...(datasetId ? { datasetId } : {}) } };
}

/** `parsing data.csv: 12.3 of 72.9 MB` (KB under 1 MB): progress by bytes read, shown on the node. */
export function parsingMessage(name: string, fraction: number, totalBytes: number): string {
  const [unit, scale] = totalBytes >= 1024 * 1024 ? ['MB', 1024 * 1024] : ['KB', 1024];
  return `parsing ${name}: ${((fraction * totalBytes) / scale).toFixed(1)} of ${(totalBytes / scale).toFixed(1)} ${unit}`;
}

function parseOptions(ctx: LoadContext, name: string, params: ParseParamValues, overrides: Record<string, DType>, totalBytes: number, storing?: StoringWhileParsing) {
  return {
    rowGroups: storing?.sink,
    delimiter: params.delimiter,
    header: params.header,
    typeOverrides: overrides,
    signal: ctx.signal,
    maxBytes: params.maxMB * 1024 * 1024,
    onProgress: (fraction: number) => ctx.progress({ fraction, message: parsingMessage(name, fraction, totalBytes) }),
  };
}

function reportWarnings(ctx: LoadContext, result: ParseResult): void {
  for (const warning of result.warnings) ctx.progress({ message: warning });
}

/**
 * Parses `bytes` into a table whose `source` names the file and its hash. With a dataset
 * store, a file read with default options is stored once and reused by hash (no re-parse);
 * `storeAs` stores it under that key whatever the options (a picked file's stored copy).
 */
export async function loadTable(ctx: LoadContext, name: string, bytes: Uint8Array, params: ParseParamValues, storeAs?: string): Promise<Table> {
  const overrides = checkTypeOverrides(params.typeOverrides);
  checkSize(bytes.byteLength, params.maxMB * 1024 * 1024);
  const hash = await contentHashAsync(bytes);
  const store = ctx.services.datasets;
  const key = store === undefined ? undefined : (storeAs ?? (isDefaultParse(params, overrides) ? hash : undefined));
  if (store && key !== undefined) {
    const existing = await store.findByHash(key);
    const entry = existing ? await store.get(existing.id) : undefined;
    if (existing && entry) {
      ctx.progress({ fraction: 1, message: `reused stored dataset ${existing.name}` });
      return { ...entry.table, source: { name, hash, datasetId: existing.id } };
    }
  }
  ctx.progress({ fraction: 0, message: parsingMessage(name, 0, bytes.byteLength) });
  const storing = storingWhileParsing(ctx, name, key !== undefined);
  const result = await parsedWhileStoring(storing, () => parseData(bytes, params.format as DataFormat, name, parseOptions(ctx, name, params, overrides, bytes.byteLength, storing)));
  reportWarnings(ctx, result);
  return stored(ctx, name, hash, result.table, key, storing);
}

/**
 * A picked File/Blob: its size is checked before a byte is read; delimited text is parsed
 * from `blob.stream()` piece by piece (hashed in the same pass), so memory holds one chunk
 * and the typed columns, never the whole file. JSON needs the whole text and is read whole.
 */
export async function loadTableFromBlob(ctx: LoadContext, name: string, blob: Blob, params: ParseParamValues, storeAs?: string): Promise<Table> {
  const overrides = checkTypeOverrides(params.typeOverrides);
  checkSize(blob.size, params.maxMB * 1024 * 1024);
  const format = params.format === 'auto' ? detectFormat(name, new Uint8Array(await blob.slice(0, 256).arrayBuffer())) : (params.format as DataFormat);
  if (format === 'json' || format === 'jsonl') return loadTable(ctx, name, new Uint8Array(await blob.arrayBuffer()), { ...params, format }, storeAs);
  ctx.progress({ fraction: 0, message: parsingMessage(name, 0, blob.size) });
  const hasher = await createContentHasher();
  // The key is the file's hash, known once it is read: whether it will be stored is known now.
  const willStore = ctx.services.datasets !== undefined && (storeAs !== undefined || isDefaultParse(params, overrides));
  const storing = storingWhileParsing(ctx, name, willStore);
  const options = parseOptions(ctx, name, params, overrides, blob.size, storing);
  const result = await parsedWhileStoring(storing, () =>
    parseDelimitedStream(blob.stream(), {
      ...options,
      delimiter: format === 'tsv' ? options.delimiter || '\t' : options.delimiter,
      totalBytes: blob.size,
      onBytes: hasher.update,
    }),
  );
  reportWarnings(ctx, result);
  const hash = hasher.hex();
  return stored(ctx, name, hash, result.table, willStore ? (storeAs ?? hash) : undefined, storing);
}

/**
 * A picked file by its content hash: the stored copy when there is one (no re-read; it
 * survives a reload), else the file handed over this session under `token`, which is then
 * stored. Gone both ways (the stored copy deleted, or never stored before a reload): the
 * node says so and the inspector offers to choose the file again.
 */
export async function loadPickedByHash(ctx: LoadContext, params: ParseParamValues & { token: string; hash: string }): Promise<Table> {
  const hash = params.hash.trim();
  const key = storedCopyKey(hash, params);
  const store = ctx.services.datasets;
  if (store) {
    const known = await store.findByHash(key);
    const entry = known ? await store.get(known.id) : undefined;
    if (known && entry) {
      ctx.progress({ fraction: 1, message: `read the stored copy of ${known.name}` });
      return { ...entry.table, source: { name: known.name, hash, datasetId: known.id } };
    }
  }
  const token = params.token.trim();
  const picked = token === '' ? undefined : ((await ctx.services.pickedFileBlob?.(token)) ?? (await ctx.services.pickedFile?.(token)));
  if (!picked) throw new Error(`${PICKED_FILE_GONE}: choose the file again`);
  const table = 'blob' in picked ? await loadTableFromBlob(ctx, picked.name, picked.blob, params, key) : await loadTable(ctx, picked.name, picked.bytes, params, key);
  if (table.source?.hash !== hash) throw new Error('The file is not the one picked (its content differs): choose the file again');
  return table;
}

/** The start of the message of a `data.file` node whose file is neither stored nor picked this session. */
export const PICKED_FILE_GONE = 'The stored copy of this file is gone (deleted from Datasets, or the page was reloaded before the node first ran)';

/** A picked file by token: the Blob when the runtime offers one (streamed), else its bytes. */
export async function pickedSource(services: NodeServices, token: string): Promise<{ name: string; blob: Blob } | { name: string; bytes: Uint8Array }> {
  if (!services.pickedFileBlob && !services.pickedFile) throw new Error('Picked files are only available in the browser: give a path instead');
  // A runtime may hold some picks as Blobs and others as bytes: ask for both.
  const picked = (await services.pickedFileBlob?.(token)) ?? (await services.pickedFile?.(token));
  if (!picked) throw new Error('The picked file is no longer available (files are kept for this session only): pick it again');
  return picked;
}

const blobSerials = new WeakMap<Blob, number>();
let nextBlobSerial = 0;

/**
 * Cache salt of a picked file. Bytes: their sha-256. A Blob is immutable (a File is a
 * snapshot: reading it after the file changed on disk fails), so the same Blob object means
 * the same bytes: it is salted by identity and size without reading it; a new pick is a new Blob.
 */
export async function pickedSalt(picked: { blob: Blob } | { bytes: Uint8Array }): Promise<string> {
  if ('bytes' in picked) return `sha256:${await contentHashAsync(picked.bytes)}`;
  let serial = blobSerials.get(picked.blob);
  if (serial === undefined) {
    serial = ++nextBlobSerial;
    blobSerials.set(picked.blob, serial);
  }
  return `blob:${serial}:${picked.blob.size}`;
}

/** Cache salt of a path or URL: the sha-256 of what readFile returns now (so it reads the file once more). */
export async function readSalt(services: NodeServices, pathOrUrl: string, signal: AbortSignal): Promise<string> {
  if (!services.readFile) throw new Error('This runtime cannot read files (no readFile service)');
  return `sha256:${await contentHashAsync(await services.readFile(pathOrUrl, signal))}`;
}

/** "150 rows × 5 cols" (+ warnings). */
export function tableSummary(table: Table): string {
  const warnings = table.warnings?.length ?? 0;
  return `${table.rowCount} rows × ${table.columns.length} cols${warnings > 0 ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}`;
}

/**
 * A data node's summary: one line ("iris.csv: 150 rows × 5 cols", and the storage warning
 * when the table was not saved), and every ingest warning in full, which the node on the
 * canvas and `pipeline-studio run` show as they are (a count alone hides what went wrong).
 */
export function dataSummary(label: string, table: Table): NodeSummary {
  const full = table.warnings?.includes(STORAGE_FULL_WARNING) ? `. ${STORAGE_FULL_WARNING}` : '';
  const warnings = table.warnings ?? [];
  return { text: `${label}: ${tableSummary(table)}${full}`, ...(warnings.length > 0 ? { warnings: [...warnings] } : {}) };
}

export function fileName(path: string): string {
  const clean = path.split(/[?#]/)[0];
  return clean.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
