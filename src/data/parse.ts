/**
 * Ingest: delimited text (PapaParse, chunked), JSON and JSON lines → columnar Table.
 * Rows are consumed chunk by chunk straight into typed column builders, so only one
 * chunk of row arrays is alive at a time; between chunks the parser yields so progress
 * is reported and a cancel is seen.
 */
import Papa from 'papaparse';
import { ColumnBuilder } from './infer';
import { DataError, finishColumns, tableFromRows, uniqueNames } from './table';
import type { DType, Table } from './types';

export const DEFAULT_MAX_BYTES = 150 * 1024 * 1024;
export const DEFAULT_MAX_COLUMNS = 2000;
const CHUNK_CHARS = 2 * 1024 * 1024;
const DELIMITER_CANDIDATES = [',', ';', '\t', '|'];

export type DataFormat = 'auto' | 'csv' | 'tsv' | 'json' | 'jsonl';

export interface ParseOptions {
  /** '' or undefined: detect (comma, semicolon, tab, pipe). */
  delimiter?: string;
  /** First row holds column names (default true). */
  header?: boolean;
  typeOverrides?: Record<string, DType>;
  /** 0..1 as the text is consumed. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Larger inputs are refused with a size message (default 150 MB). */
  maxBytes?: number;
  /** Wider inputs are refused (default 2000). */
  maxColumns?: number;
}

export interface ParseResult {
  table: Table;
  warnings: string[];
  /** The delimiter used (delimited text only). */
  delimiter?: string;
  encoding: TextEncodingName;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;
}

function checkSize(size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new DataError(`The file is ${formatBytes(size)}; the limit is ${formatBytes(maxBytes)}. Sample it down or split it before importing.`);
  }
}

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * UTF-16 when a UTF-16 byte order mark says so (Excel's "Unicode text" export), UTF-8 when
 * the bytes are valid UTF-8 (BOM dropped), else windows-1252 with a warning.
 */
export function decodeText(input: Uint8Array | string): { text: string; encoding: TextEncodingName; warnings: string[] } {
  if (typeof input === 'string') return { text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, encoding: 'utf-8', warnings: [] };
  const utf16 = input[0] === 0xff && input[1] === 0xfe ? 'utf-16le' : input[0] === 0xfe && input[1] === 0xff ? 'utf-16be' : null;
  if (utf16) return { text: new TextDecoder(utf16).decode(input), encoding: utf16, warnings: [] };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(input), encoding: 'utf-8', warnings: [] };
  } catch {
    return {
      text: new TextDecoder('windows-1252').decode(input),
      encoding: 'windows-1252',
      warnings: ['The file is not valid UTF-8: read it as windows-1252 (Western European). Check accented characters.'],
    };
  }
}

/** Picks the candidate that splits the first lines into the same number (>1) of fields, preferring more fields. */
export function detectDelimiter(text: string): string {
  const sample = text.slice(0, 64 * 1024);
  let best = ',';
  let bestScore = 0;
  for (const delimiter of DELIMITER_CANDIDATES) {
    const rows = Papa.parse<string[]>(sample, { delimiter, preview: 30, skipEmptyLines: true }).data;
    // The last sampled row may be cut in half by the sample window.
    const complete = sample.length < text.length ? rows.slice(0, -1) : rows;
    if (complete.length === 0) continue;
    const width = complete[0].length;
    if (width < 2 || !complete.every((r) => r.length === width)) continue;
    if (width > bestScore) {
      best = delimiter;
      bestScore = width;
    }
  }
  return best;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Import cancelled', 'AbortError');
}

export async function parseDelimited(input: Uint8Array | string, options: ParseOptions = {}): Promise<ParseResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxColumns = options.maxColumns ?? DEFAULT_MAX_COLUMNS;
  const header = options.header ?? true;
  checkSize(typeof input === 'string' ? input.length : input.byteLength, maxBytes);
  const decoded = decodeText(input);
  const text = decoded.text;
  const warnings = [...decoded.warnings];
  if (text.trim() === '') throw new DataError('The file is empty.');
  const delimiter = options.delimiter ? options.delimiter : detectDelimiter(text);

  let names: string[] | null = null;
  let builders: ColumnBuilder[] = [];
  let dataRows = 0;
  // Physical line of the next row: rows can span lines inside quotes.
  let line = 1;
  let consumed = 0;
  let failure: unknown = null;

  const startColumns = (raw: string[]) => {
    if (raw.length > maxColumns) {
      throw new DataError(`The file has ${raw.length} columns; at most ${maxColumns} are supported. Select fewer columns before importing.`);
    }
    const unique = header ? uniqueNames(raw) : { names: raw.map((_, i) => `column_${i + 1}`), warnings: [] };
    warnings.push(...unique.warnings);
    names = unique.names;
    builders = names.map(() => new ColumnBuilder());
  };

  const consumeRow = (fields: string[]) => {
    const rowLine = line;
    for (const field of fields) for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) line++;
    line++;
    if (names === null) {
      startColumns(fields);
      if (header) return;
    }
    if (fields.length !== builders.length) {
      throw new DataError(
        `Row ${dataRows + 1} (line ${rowLine}) has ${fields.length} field(s) but ${header ? 'the header has' : 'the first row has'} ${builders.length}. ` +
          `Check for an unquoted "${delimiter === '\t' ? '\\t' : delimiter}" or a missing value.`,
      );
    }
    for (let j = 0; j < fields.length; j++) builders[j].push(fields[j]);
    dataRows++;
  };

  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(text, {
      delimiter,
      skipEmptyLines: true,
      chunkSize: CHUNK_CHARS,
      chunk: (results: Papa.ParseResult<string[]>, parser: Papa.Parser) => {
        try {
          if (options.signal?.aborted) throw abortError(options.signal);
          for (const row of results.data) consumeRow(row);
          consumed += CHUNK_CHARS;
          options.onProgress?.(Math.min(1, consumed / text.length));
        } catch (error) {
          failure = error;
          parser.abort();
          return;
        }
        // Let the event loop run (progress messages out, cancel messages in) between chunks.
        parser.pause();
        void yieldToEventLoop().then(() => parser.resume());
      },
      complete: () => (failure ? reject(failure) : resolve()),
      error: (error: Error) => reject(new DataError(`Could not parse the file: ${error.message}`)),
    });
  });
  if (names === null) throw new DataError('The file is empty.');
  const finalNames: string[] = names;
  if (dataRows === 0) {
    throw new DataError(`The file has a header row (${finalNames.slice(0, 8).join(', ')}${finalNames.length > 8 ? ', …' : ''}) but no data rows.`);
  }
  const { table, warnings: typeWarnings } = finishColumns(finalNames, builders, dataRows, options.typeOverrides ?? {});
  warnings.push(...typeWarnings);
  options.onProgress?.(1);
  return { table: withWarnings(table, warnings), warnings, delimiter, encoding: decoded.encoding };
}

function withWarnings(table: Table, warnings: string[]): Table {
  return warnings.length > 0 ? { ...table, warnings: [...warnings] } : table;
}

/**
 * JSON: an array of records (`[{"a":1}, …]`), an array of row arrays with a header row
 * first, or an object of equal-length column arrays (`{"a": [1, 2]}`).
 */
export async function parseJson(input: Uint8Array | string, options: ParseOptions = {}): Promise<ParseResult> {
  checkSize(typeof input === 'string' ? input.length : input.byteLength, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const decoded = decodeText(input);
  if (decoded.text.trim() === '') throw new DataError('The file is empty.');
  let value: unknown;
  try {
    value = JSON.parse(decoded.text);
  } catch (error) {
    throw new DataError(`Not valid JSON: ${(error as Error).message}`);
  }
  let rows: (Record<string, unknown> | unknown[])[];
  let columns: string[] | undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new DataError('The JSON array is empty: no rows.');
    if (value.every((r) => Array.isArray(r))) {
      const [head, ...rest] = value as unknown[][];
      columns = uniqueNames(head.map((h) => String(h ?? ''))).names;
      rows = rest;
      if (rows.length === 0) throw new DataError('The JSON array has a header row but no data rows.');
      rest.forEach((r, i) => {
        if (r.length !== head.length) throw new DataError(`Row ${i + 1} has ${r.length} value(s) but the header has ${head.length}.`);
      });
    } else {
      const bad = value.findIndex((r) => r === null || typeof r !== 'object' || Array.isArray(r));
      if (bad >= 0) throw new DataError(`Item ${bad + 1} of the JSON array is not an object ({"column": value}).`);
      rows = value as Record<string, unknown>[];
    }
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 || !entries.every(([, v]) => Array.isArray(v))) {
      throw new DataError('JSON must be an array of records, or an object whose values are equal-length column arrays.');
    }
    const length = (entries[0][1] as unknown[]).length;
    const uneven = entries.find(([, v]) => (v as unknown[]).length !== length);
    if (uneven) throw new DataError(`Column "${uneven[0]}" has ${(uneven[1] as unknown[]).length} values but "${entries[0][0]}" has ${length}.`);
    columns = entries.map(([k]) => k);
    rows = Array.from({ length }, (_, i) => entries.map(([, v]) => (v as unknown[])[i]));
  } else {
    throw new DataError('JSON must be an array of records, or an object of column arrays.');
  }
  return finishRows(rows, columns, decoded, options);
}

/** JSON lines: one record object per line; blank lines skipped; a bad line is named. */
export async function parseJsonLines(input: Uint8Array | string, options: ParseOptions = {}): Promise<ParseResult> {
  checkSize(typeof input === 'string' ? input.length : input.byteLength, options.maxBytes ?? DEFAULT_MAX_BYTES);
  const decoded = decodeText(input);
  const rows: Record<string, unknown>[] = [];
  const lines = decoded.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DataError(`Line ${i + 1} is not valid JSON: ${(error as Error).message}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new DataError(`Line ${i + 1} is not a JSON object.`);
    rows.push(value as Record<string, unknown>);
    if (options.signal?.aborted) throw abortError(options.signal);
  }
  if (rows.length === 0) throw new DataError('The file is empty.');
  return finishRows(rows, undefined, decoded, options);
}

function finishRows(
  rows: (Record<string, unknown> | unknown[])[],
  columns: string[] | undefined,
  decoded: ReturnType<typeof decodeText>,
  options: ParseOptions,
): ParseResult {
  const maxColumns = options.maxColumns ?? DEFAULT_MAX_COLUMNS;
  const names = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (names.length > maxColumns) throw new DataError(`The file has ${names.length} columns; at most ${maxColumns} are supported.`);
  const { table, warnings } = tableFromRows(rows, { columns: names, typeOverrides: options.typeOverrides });
  const all = [...decoded.warnings, ...warnings];
  options.onProgress?.(1);
  return { table: withWarnings(table, all), warnings: all, encoding: decoded.encoding };
}

/** Format from the name's extension, else from the first non-blank character. */
export function detectFormat(name: string, input: Uint8Array | string): Exclude<DataFormat, 'auto'> {
  const lower = name.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.tsv')) return 'tsv';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  const head = typeof input === 'string' ? input.slice(0, 256) : new TextDecoder().decode(input.subarray(0, 256));
  const first = head.replace(/^\uFEFF/, '').trimStart();
  if (first.startsWith('[')) return 'json';
  if (first.startsWith('{')) return /^\{[^\n]*\}\s*\n\s*\{/.test(first) ? 'jsonl' : 'json';
  return 'csv';
}

/** Parses any supported format. */
export async function parseData(input: Uint8Array | string, format: DataFormat, name: string, options: ParseOptions = {}): Promise<ParseResult> {
  const chosen = format === 'auto' ? detectFormat(name, input) : format;
  switch (chosen) {
    case 'json':
      return parseJson(input, options);
    case 'jsonl':
      return parseJsonLines(input, options);
    case 'tsv':
      return parseDelimited(input, { ...options, delimiter: options.delimiter || '\t' });
    case 'csv':
      return parseDelimited(input, options);
  }
}
