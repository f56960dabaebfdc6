/**
 * A schema probe: the columns (names and inferred types) a data node will output, read from
 * the head of its file or from its stored copy's metadata, without running it. The inspector's
 * column pickers use it before the first run. Only the first PROBE_BYTES of a file are parsed.
 */
import { checkTypeOverrides } from '../../data/infer';
import { type DataFormat, detectFormat, parseData } from '../../data/parse';
import type { ColumnSchema } from '../../data/types';
import type { NodeServices } from '../../engine/services';
import { DEFAULT_PARSE, FORMATS, type ParseParamValues } from '../../catalog/data/parse';
import { storedCopyKey } from '../../catalog/data/stored-copy';
import { SAMPLES, type SampleName } from '../../catalog/data/sample';
import { pickedSource } from './load';

/** How much of a file the probe reads: enough rows to infer types, cheap for any file size. */
export const PROBE_BYTES = 64 * 1024;
/** JSON (one document) cannot be read in part: it is probed only when the whole file is this small. */
const JSON_PROBE_LIMIT = 4 * 1024 * 1024;

/** The data node types the probe understands. */
export const PROBED_TYPES: ReadonlySet<string> = new Set(['data.sample', 'data.file', 'data.stored']);

/** A data node's parse settings; a missing or ill-typed one falls back to its spec default. */
function parseValues(params: Record<string, unknown>): ParseParamValues {
  return {
    format: FORMATS.includes(params.format as never) ? String(params.format) : DEFAULT_PARSE.format,
    delimiter: typeof params.delimiter === 'string' ? params.delimiter : DEFAULT_PARSE.delimiter,
    header: typeof params.header === 'boolean' ? params.header : DEFAULT_PARSE.header,
    typeOverrides: params.typeOverrides ?? DEFAULT_PARSE.typeOverrides,
    maxMB: typeof params.maxMB === 'number' ? params.maxMB : DEFAULT_PARSE.maxMB,
  };
}

/** The head of a file's text, cut after its last complete line (the whole text when it fits). */
function headLines(bytes: Uint8Array, total: number): Uint8Array {
  if (total <= bytes.byteLength) return bytes;
  const end = bytes.lastIndexOf(0x0a);
  return end > 0 ? bytes.subarray(0, end + 1) : bytes;
}

/** Columns of the first rows of `head` (the first bytes of a `total`-byte file), or null when they cannot be told apart. */
export async function probeBytes(name: string, head: Uint8Array, total: number, params: ParseParamValues, signal?: AbortSignal): Promise<ColumnSchema[] | null> {
  const format = (params.format === 'auto' ? detectFormat(name, head) : params.format) as Exclude<DataFormat, 'auto'>;
  if (format === 'json' && total > head.byteLength) return null;
  const text = headLines(head, total);
  try {
    const { table } = await parseData(text, format, name, {
      delimiter: params.delimiter,
      header: params.header,
      typeOverrides: checkTypeOverrides(params.typeOverrides),
      signal,
    });
    return table.columns.map((c) => ({ name: c.name, dtype: c.dtype }));
  } catch {
    // A head that ends inside a quoted field, or a file the node itself will refuse with a
    // clear message when it runs: no columns yet.
    return null;
  }
}

/** Bytes to read from a file: a JSON document whole (up to a limit), anything else its head. */
function probeLimit(name: string, format: string): number {
  return format === 'json' || (format === 'auto' && name.toLowerCase().endsWith('.json')) ? JSON_PROBE_LIMIT : PROBE_BYTES;
}

async function headOfBlob(blob: Blob, bytes: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, bytes).arrayBuffer());
}

/**
 * The columns `node` (a data node) will output, or null when the probe cannot tell (another
 * node type, no file chosen yet, a file it cannot read in part).
 */
export async function probeSourceColumns(node: { type: string; params: Record<string, unknown> }, services: NodeServices, signal?: AbortSignal): Promise<ColumnSchema[] | null> {
  const params = node.params;
  switch (node.type) {
    case 'data.sample': {
      const sample = SAMPLES[params.name as SampleName];
      if (!sample || !services.readFile) return null;
      const bytes = await services.readFile(`samples/${sample.file}`, signal);
      return probeBytes(sample.file, bytes.subarray(0, probeLimit(sample.file, 'auto')), bytes.byteLength, DEFAULT_PARSE, signal);
    }
    case 'data.stored': {
      const id = typeof params.datasetId === 'string' ? params.datasetId.trim() : '';
      if (!id || !services.datasets) return null;
      const meta = (await services.datasets.list()).find((m) => m.id === id);
      return meta ? meta.columns.map((c) => ({ name: c.name, dtype: c.dtype })) : null;
    }
    case 'data.file': {
      const parse = parseValues(params);
      const hash = typeof params.hash === 'string' ? params.hash.trim() : '';
      const token = typeof params.token === 'string' ? params.token.trim() : '';
      const path = typeof params.path === 'string' ? params.path.trim() : '';
      if (hash && services.datasets) {
        let key: string | null = null;
        try {
          key = storedCopyKey(hash, parse);
        } catch {
          return null; // invalid type overrides: the form says so
        }
        const meta = await services.datasets.findByHash(key);
        if (meta) return meta.columns.map((c) => ({ name: c.name, dtype: c.dtype }));
      }
      if (token) {
        const picked = await pickedSource(services, token).catch(() => null);
        if (!picked) return null;
        const limit = probeLimit(picked.name, parse.format);
        if ('blob' in picked) return probeBytes(picked.name, await headOfBlob(picked.blob, limit), picked.blob.size, parse, signal);
        return probeBytes(picked.name, picked.bytes.subarray(0, limit), picked.bytes.byteLength, parse, signal);
      }
      if (path && services.readFile) {
        const bytes = await services.readFile(path, signal).catch(() => null);
        if (!bytes) return null;
        const name = path.split(/[\\/]/).pop() ?? path;
        return probeBytes(name, bytes.subarray(0, probeLimit(name, parse.format)), bytes.byteLength, parse, signal);
      }
      return null;
    }
    default:
      return null;
  }
}
