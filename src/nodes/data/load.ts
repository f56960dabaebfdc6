/** Shared by the data nodes: bytes → parsed table (with progress), stored by content hash when a store is present. */
import { contentHash } from '../../data/hash';
import { checkTypeOverrides } from '../../data/infer';
import { type DataFormat, parseData } from '../../data/parse';
import type { Table } from '../../data/types';
import type { NodeServices } from '../../engine/services';
import type { ProgressUpdate } from '../../engine/node';
import { p } from '../../engine/params';

export const FORMATS = ['auto', 'csv', 'tsv', 'json', 'jsonl'] as const;

/** Params every file-reading node shares. */
export const parseParams = {
  format: p.select(FORMATS, 'auto', { help: 'auto: from the file name, else from the content' }),
  delimiter: p.text('', { label: 'Delimiter', help: 'empty: detect comma, semicolon, tab or pipe' }),
  header: p.boolean(true, { label: 'First row is the header' }),
  typeOverrides: p.json({}, { label: 'Column types', help: '{"column": "number" | "category" | "boolean" | "text" | "datetime"}' }),
  maxMB: p.number(150, { min: 1, max: 2048, label: 'Size limit (MB)' }),
};

export interface ParseParamValues {
  format: string;
  delimiter: string;
  header: boolean;
  typeOverrides: unknown;
  maxMB: number;
}

export interface LoadContext {
  services: NodeServices;
  signal: AbortSignal;
  progress(update: ProgressUpdate): void;
}

function isDefaultParse(params: ParseParamValues, overrides: Record<string, unknown>): boolean {
  return params.format === 'auto' && params.delimiter === '' && params.header && Object.keys(overrides).length === 0;
}

/**
 * Parses `bytes` into a table whose `source` names the file and its hash. With a dataset
 * store, a file read with default options is stored once and reused by hash (no re-parse).
 */
export async function loadTable(ctx: LoadContext, name: string, bytes: Uint8Array, params: ParseParamValues): Promise<Table> {
  const overrides = checkTypeOverrides(params.typeOverrides);
  const hash = contentHash(bytes);
  const store = ctx.services.datasets;
  const storable = store !== undefined && isDefaultParse(params, overrides);
  if (storable) {
    const existing = await store.findByHash(hash);
    const stored = existing ? await store.get(existing.id) : undefined;
    if (existing && stored) {
      ctx.progress({ fraction: 1, message: `reused stored dataset ${existing.name}` });
      return { ...stored.table, source: { name, hash, datasetId: existing.id } };
    }
  }
  ctx.progress({ fraction: 0, message: `parsing ${name}` });
  const { table, warnings } = await parseData(bytes, params.format as DataFormat, name, {
    delimiter: params.delimiter,
    header: params.header,
    typeOverrides: overrides,
    signal: ctx.signal,
    maxBytes: params.maxMB * 1024 * 1024,
    onProgress: (fraction) => ctx.progress({ fraction, message: `parsing ${name}` }),
  });
  for (const warning of warnings) ctx.progress({ message: warning });
  let datasetId: string | undefined;
  if (storable) datasetId = (await store.put(name, hash, table)).id;
  return { ...table, source: { name, hash, ...(datasetId ? { datasetId } : {}) } };
}

/** "150 rows × 5 cols" (+ warnings). */
export function tableSummary(table: Table): string {
  const warnings = table.warnings?.length ?? 0;
  return `${table.rowCount} rows × ${table.columns.length} cols${warnings > 0 ? ` (${warnings} warning${warnings > 1 ? 's' : ''})` : ''}`;
}

export function fileName(path: string): string {
  const clean = path.split(/[?#]/)[0];
  return clean.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
