/**
 * Ingest: delimited text (PapaParse, chunked), JSON and JSON lines → columnar Table.
 * Delimited text is decoded and parsed piece by piece (from bytes, a string, or a byte
 * stream) straight into typed column builders, so only one piece of text and its row
 * arrays are alive at a time; between pieces the parser yields so progress is reported
 * and a cancel is seen.
 */
import Papa from 'papaparse';
import { ColumnBuilder } from './infer';
import { DataError, finishColumns, tableFromRows, uniqueNames } from './table';
import type { DType, Table } from './types';
import { yieldToEventLoop } from '../engine/event-loop';

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
  /** Delimited text only: sees the rows as they are parsed, a group at a time (to store while parsing). */
  rowGroups?: RowGroupSink;
}

/**
 * Receives every column's cells read as numbers (NaN where missing or not a number), in
 * groups of `rowsPerGroup` rows (the last one shorter), in order, while the parse goes on.
 * For a column that ends up a number column these are its final values; other columns are
 * decided at the end. The parse waits for a group's write only before it hands over the
 * next one (one write in flight), and stops with the write's error if one fails.
 */
export interface RowGroupSink {
  rowsPerGroup: number;
  write(startRow: number, columns: Float64Array[]): Promise<void>;
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

/** Refuses a file over `maxBytes` with a size message (callers check a File's size before reading it). */
export function checkSize(size: number, maxBytes: number): void {
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
  const decoder = new StreamTextDecoder();
  const text = decoder.push(input) + decoder.end();
  return { text, encoding: decoder.encoding, warnings: decoder.warnings };
}

const NOT_UTF8_WARNING = 'The file is not valid UTF-8: read it as windows-1252 (Western European). Check accented characters.';

/** Where the last complete UTF-8 character of `bytes` ends (a multi-byte character may be cut at the end). */
function utf8Boundary(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = bytes[i];
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return n - i >= size ? n : i;
    }
  }
  return n;
}

/**
 * Bytes → text, piece by piece, with the same rules as decodeText: a UTF-16 BOM picks
 * UTF-16 (TextDecoder in stream mode); otherwise each piece is cut at a UTF-8 character
 * boundary and decoded strictly, so when the first invalid byte shows up, that piece and
 * everything after it is read as windows-1252 (what came before was valid UTF-8 and is kept).
 */
export class StreamTextDecoder {
  encoding: TextEncodingName = 'utf-8';
  readonly warnings: string[] = [];
  private head: Uint8Array | null = new Uint8Array(0);
  private carry: Uint8Array = new Uint8Array(0);
  private utf16: TextDecoder | null = null;
  private readonly strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly western = new TextDecoder('windows-1252');
  private started = false;

  push(bytes: Uint8Array): string {
    if (this.head) {
      // The byte order mark decides the encoding: wait for the first 3 bytes.
      const joined = concatBytes(this.head, bytes);
      if (joined.length < 3) {
        this.head = joined;
        return '';
      }
      this.head = null;
      this.pickEncoding(joined);
      bytes = joined;
    }
    return this.decode(bytes, false);
  }

  end(): string {
    if (this.head) {
      const rest = this.head;
      this.head = null;
      this.pickEncoding(rest);
      return this.decode(rest, true);
    }
    return this.decode(new Uint8Array(0), true);
  }

  private pickEncoding(first: Uint8Array): void {
    if (first[0] === 0xff && first[1] === 0xfe) this.encoding = 'utf-16le';
    else if (first[0] === 0xfe && first[1] === 0xff) this.encoding = 'utf-16be';
    if (this.encoding !== 'utf-8') this.utf16 = new TextDecoder(this.encoding);
  }

  private decode(bytes: Uint8Array, last: boolean): string {
    if (this.utf16) return this.utf16.decode(bytes, { stream: !last });
    if (this.encoding === 'windows-1252') return this.western.decode(bytes);
    const joined = concatBytes(this.carry, bytes);
    const cut = last ? joined.length : utf8Boundary(joined);
    this.carry = joined.slice(cut);
    let text: string;
    try {
      text = this.strict.decode(joined.subarray(0, cut));
    } catch {
      this.encoding = 'windows-1252';
      this.warnings.push(NOT_UTF8_WARNING);
      text = this.western.decode(joined);
      this.carry = new Uint8Array(0);
    }
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Picks the candidate that splits the first lines into the same number (>1) of fields, preferring more fields. */
export function detectDelimiter(text: string, complete = true): string {
  const sample = text.slice(0, 64 * 1024);
  let best = ',';
  let bestScore = 0;
  for (const delimiter of DELIMITER_CANDIDATES) {
    const rows = Papa.parse<string[]>(sample, { delimiter, preview: 30, skipEmptyLines: true }).data;
    // The last sampled row may be cut in half by the sample window.
    const cut = sample.length < text.length || !complete;
    const rowsWhole = cut ? rows.slice(0, -1) : rows;
    if (rowsWhole.length === 0) continue;
    const width = rowsWhole[0].length;
    if (width < 2 || !rowsWhole.every((r) => r.length === width)) continue;
    if (width > bestScore) {
      best = delimiter;
      bestScore = width;
    }
  }
  return best;
}

/** '\n', '\r\n' or '\r', judged from line ends outside quoted fields (as PapaParse guesses). */
function detectNewline(text: string): '\n' | '\r\n' | '\r' {
  const sample = text.slice(0, 1024 * 1024).replace(/"[^]*?"/g, '');
  const byCr = sample.split('\r');
  const byLf = sample.split('\n');
  if (byCr.length === 1 || (byLf.length > 1 && byLf[0].length < byCr[0].length)) return '\n';
  const crlf = byCr.filter((part) => part[0] === '\n').length;
  return crlf >= byCr.length / 2 ? '\r\n' : '\r';
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('Import cancelled', 'AbortError');
}

export interface StreamParseOptions extends ParseOptions {
  /** The stream's length when known (a File's size): checked against maxBytes before reading, and used for progress. */
  totalBytes?: number;
  /** Sees every byte chunk as it is read (e.g. to hash the file in the same pass). */
  onBytes?: (chunk: Uint8Array) => void;
}

/** One piece of decoded text and how far into the input (bytes, or chars for string input) it reaches. */
interface TextPiece {
  text: string;
  consumed: number;
}

/** Rows → typed column builders, with the checks every delimited import shares. */
class DelimitedRows {
  names: string[] | null = null;
  builders: ColumnBuilder[] = [];
  dataRows = 0;
  /** Physical line of the next row: rows can span lines inside quotes. */
  private line = 1;

  constructor(
    private readonly header: boolean,
    private readonly maxColumns: number,
    private readonly delimiter: string,
    private readonly warnings: string[],
    /** Rows the input likely holds (from its size and the first lines' length): the builders' first capacity. */
    private readonly expectedRows = 256,
  ) {}

  consume(fields: string[]): void {
    const rowLine = this.line;
    for (const field of fields) for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) this.line++;
    this.line++;
    // A blank line (PapaParse's skipEmptyLines).
    if (fields.length === 1 && fields[0] === '') return;
    if (this.names === null) {
      this.start(fields);
      if (this.header) return;
    }
    if (fields.length !== this.builders.length) {
      throw new DataError(
        `Row ${this.dataRows + 1} (line ${rowLine}) has ${fields.length} field(s) but ${this.header ? 'the header has' : 'the first row has'} ${this.builders.length}. ` +
          `Check for an unquoted "${this.delimiter === '\t' ? '\\t' : this.delimiter}" or a missing value.`,
      );
    }
    for (let j = 0; j < fields.length; j++) this.builders[j].push(fields[j]);
    this.dataRows++;
  }

  /**
   * Rows of `text` up to `end` (just after a line ending, or the text's end), read straight
   * into the builders: the caller has checked that this text holds no quote character, so a
   * row is a line and a field is what lies between delimiters (as PapaParse reads it), and
   * cells are read in place without building row arrays. The header row goes through `consume`.
   */
  consumeUnquoted(text: string, end: number, newline: string): void {
    const delimiter = this.delimiter;
    let at = 0;
    while (at < end) {
      let lineEnd = text.indexOf(newline, at);
      if (lineEnd < 0 || lineEnd > end) lineEnd = end;
      const next = lineEnd === end ? end : lineEnd + newline.length;
      if (this.names === null || lineEnd === at) {
        this.consume(text.slice(at, lineEnd).split(delimiter));
        at = next;
        continue;
      }
      const builders = this.builders;
      const width = builders.length;
      let field = 0;
      let start = at;
      for (;;) {
        let cut = text.indexOf(delimiter, start);
        if (cut < 0 || cut > lineEnd) cut = lineEnd;
        if (field < width) builders[field].pushSpan(text, start, cut);
        field++;
        if (cut === lineEnd) break;
        start = cut + delimiter.length;
      }
      // A ragged row: `consume` names it and stops the import.
      if (field !== width) this.consume(text.slice(at, lineEnd).split(delimiter));
      this.line++;
      this.dataRows++;
      at = next;
    }
  }

  /** Rows [from, to) of every column as numbers, for a RowGroupSink. */
  numbersBetween(from: number, to: number): Float64Array[] {
    return this.builders.map((builder) => builder.numbersBetween(from, to));
  }

  private start(raw: string[]): void {
    if (raw.length > this.maxColumns) {
      throw new DataError(`The file has ${raw.length} columns; at most ${this.maxColumns} are supported. Select fewer columns before importing.`);
    }
    const unique = this.header ? uniqueNames(raw) : { names: raw.map((_, i) => `column_${i + 1}`), warnings: [] };
    this.warnings.push(...unique.warnings);
    this.names = unique.names;
    this.builders = this.names.map(() => new ColumnBuilder(this.expectedRows));
  }
}

/**
 * About how many rows a `total`-long input holds, from the length of the lines in `sample`
 * (its start), with 5 % to spare: the column builders start that big instead of doubling up
 * to it (each doubling holds the old and the new column at once). 256 when unknown.
 */
function expectedRows(sample: string, newline: string, delimiter: string, total: number | undefined): number {
  const lines = sample.split(newline).length - 1;
  if (!total || lines < 2) return 256;
  const cut = sample.lastIndexOf(newline) + newline.length;
  // A row takes at least one byte per field (its delimiters and line end): never more rows than that.
  const fields = sample.slice(0, sample.indexOf(newline)).split(delimiter).length;
  return Math.min(total / fields, Math.ceil((total / (cut / lines)) * 1.05));
}

/** Hands a RowGroupSink each full group of rows as they arrive, with one write in flight at a time. */
class RowGroupFlusher {
  private written = 0;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly sink: RowGroupSink) {}

  /** Writes the groups `rows` has filled; `last`: also the short last group, and waits for every write. */
  async flush(rows: DelimitedRows, last: boolean): Promise<void> {
    const size = this.sink.rowsPerGroup;
    while (rows.dataRows - this.written >= size || (last && rows.dataRows > this.written)) {
      const to = Math.min(rows.dataRows, this.written + size);
      const columns = rows.numbersBetween(this.written, to);
      await this.inFlight;
      this.inFlight = this.sink.write(this.written, columns);
      // Awaited later (before the next write or at the end); marked handled so a failure is not reported twice.
      this.inFlight.catch(() => undefined);
      this.written = to;
    }
    if (last) await this.inFlight;
  }
}

/** Text wanted before the delimiter and line ending are guessed. */
const DETECT_CHARS = 64 * 1024;

/**
 * The one delimited-text pipeline: text pieces go to PapaParse's core parser, which returns
 * the complete rows and where the unfinished last row starts; that tail is kept and joined
 * to the next piece. Only the current piece, the tail and the column builders are alive.
 */
async function parsePieces(
  pieces: AsyncIterable<TextPiece> | Iterable<TextPiece>,
  total: number | undefined,
  options: ParseOptions,
  warnings: string[],
): Promise<{ table: Table; delimiter: string }> {
  const maxColumns = options.maxColumns ?? DEFAULT_MAX_COLUMNS;
  const header = options.header ?? true;
  let pending = '';
  let rows: DelimitedRows | null = null;
  let parser: Papa.Parser | null = null;
  let delimiter = options.delimiter || ',';
  let newline: '\n' | '\r\n' | '\r' = '\n';
  let sinceYield = 0;
  const flusher = options.rowGroups ? new RowGroupFlusher(options.rowGroups) : null;

  const begin = (complete: boolean) => {
    delimiter = options.delimiter ? options.delimiter : detectDelimiter(pending, complete);
    newline = detectNewline(pending);
    parser = new Papa.Parser({ delimiter, newline });
    rows = new DelimitedRows(header, maxColumns, delimiter, warnings, expectedRows(pending, newline, delimiter, total));
  };
  const feed = (last: boolean) => {
    if (pending.indexOf('"') < 0) {
      // No quotes: rows are lines; read the cells in place (the bulk of real files).
      const cut = pending.lastIndexOf(newline);
      const end = last ? pending.length : cut < 0 ? 0 : cut + newline.length;
      rows!.consumeUnquoted(pending, end, newline);
      pending = last ? '' : pending.slice(end);
      return;
    }
    const results = parser!.parse(pending, 0, !last) as Papa.ParseResult<string[]>;
    pending = last ? '' : pending.slice(results.meta.cursor);
    for (const fields of results.data) rows!.consume(fields);
  };

  for await (const piece of pieces) {
    if (options.signal?.aborted) throw abortError(options.signal);
    pending += piece.text;
    if (!parser) {
      if (pending.length < DETECT_CHARS) continue;
      begin(false);
    }
    feed(false);
    await flusher?.flush(rows!, false);
    if (total) options.onProgress?.(Math.min(1, piece.consumed / total));
    sinceYield += piece.text.length;
    if (sinceYield >= CHUNK_CHARS) {
      sinceYield = 0;
      // Let the event loop run (progress messages out, cancel messages in).
      await yieldToEventLoop();
    }
  }
  if (options.signal?.aborted) throw abortError(options.signal);
  if (!parser) {
    if (pending.trim() === '') throw new DataError('The file is empty.');
    begin(true);
  }
  feed(true);
  const done = rows as DelimitedRows | null;
  if (!done || done.names === null) throw new DataError('The file is empty.');
  const names = done.names;
  if (done.dataRows === 0) {
    throw new DataError(`The file has a header row (${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}) but no data rows.`);
  }
  await flusher?.flush(done, true);
  const { table, warnings: typeWarnings } = finishColumns(names, done.builders, done.dataRows, options.typeOverrides ?? {});
  warnings.push(...typeWarnings);
  options.onProgress?.(1);
  return { table, delimiter };
}

/** Bytes pieces → decoded text pieces (with the bytes consumed so far). */
async function* decodePieces(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, decoder: StreamTextDecoder, limit: number): AsyncGenerator<TextPiece> {
  let consumed = 0;
  for await (const chunk of source) {
    consumed += chunk.byteLength;
    // A stream without a known length (or one longer than it said) is refused when it passes the limit.
    checkSize(consumed, limit);
    yield { text: decoder.push(chunk), consumed };
  }
  yield { text: decoder.end(), consumed };
}

function* slicesOf(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

function* stringPieces(text: string): Generator<TextPiece> {
  for (let at = 0; at < text.length; at += CHUNK_CHARS) yield { text: text.slice(at, at + CHUNK_CHARS), consumed: Math.min(text.length, at + CHUNK_CHARS) };
}

export async function parseDelimited(input: Uint8Array | string, options: ParseOptions = {}): Promise<ParseResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = typeof input === 'string' ? input.length : input.byteLength;
  checkSize(size, maxBytes);
  const warnings: string[] = [];
  if (typeof input === 'string') {
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    const { table, delimiter } = await parsePieces(stringPieces(text), text.length, options, warnings);
    return { table: withWarnings(table, warnings), warnings, delimiter, encoding: 'utf-8' };
  }
  const decoder = new StreamTextDecoder();
  const { table, delimiter } = await parsePieces(decodePieces(slicesOf(input, CHUNK_CHARS), decoder, maxBytes), size, options, warnings);
  warnings.unshift(...decoder.warnings);
  return { table: withWarnings(table, warnings), warnings, delimiter, encoding: decoder.encoding };
}

/**
 * Delimited text from a byte stream (a picked File's `stream()`), parsed as it arrives:
 * memory holds one chunk, the unfinished row and the typed columns, never the whole text.
 * With `totalBytes` over `maxBytes` it refuses before reading a byte; without it, it stops
 * with the same size message once the limit is passed.
 */
export async function parseDelimitedStream(stream: ReadableStream<Uint8Array>, options: StreamParseOptions = {}): Promise<ParseResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (options.totalBytes !== undefined) checkSize(options.totalBytes, maxBytes);
  const reader = stream.getReader();
  const chunks = async function* () {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      options.onBytes?.(value);
      yield value;
    }
  };
  const decoder = new StreamTextDecoder();
  const warnings: string[] = [];
  try {
    const { table, delimiter } = await parsePieces(decodePieces(chunks(), decoder, maxBytes), options.totalBytes, options, warnings);
    warnings.unshift(...decoder.warnings);
    return { table: withWarnings(table, warnings), warnings, delimiter, encoding: decoder.encoding };
  } catch (error) {
    // Stop the source (a File read, a fetch) instead of leaving it reading into nothing.
    await reader.cancel(error).catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
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
