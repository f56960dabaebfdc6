/**
 * Column type inference while rows stream in. A column keeps a Float64Array while its
 * values parse as numbers (8 bytes a cell instead of a string object), and starts a
 * dictionary of labels only when the first non-numeric value appears. The dtype is
 * decided at `finish`, where a user override wins.
 */
import type { CategoryColumn, Column, DType, TextColumn } from './types';

/** Cell texts read as missing in every column ('.' is the SAS/Stata placeholder; penguins.csv has one). */
export const MISSING_TOKENS = new Set(['', '.', 'NA', 'N/A', 'n/a', 'na', 'NaN', 'nan', 'null', 'NULL', 'None', '?']);
/** Longer cells skip the set lookup (hashing every cell's text costs more than this check). */
const LONGEST_MISSING_TOKEN = Math.max(...[...MISSING_TOKENS].map((t) => t.length));

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const BOOLEAN_LABELS: Record<string, number> = { true: 1, false: 0, TRUE: 1, FALSE: 0, True: 1, False: 0 };
/** A column with more distinct labels than this is text, not category. */
const MAX_CATEGORIES = 1000;

export const DTYPES: readonly DType[] = ['number', 'category', 'boolean', 'text', 'datetime'];

/** Parses a cell as a finite decimal number; NaN when it is not one (hex/octal/binary literals included). */
export function parseNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n)) return NaN;
  const second = text.charCodeAt(1);
  // Number() accepts 0x/0o/0b literals; a data file never means those.
  if (text.length > 1 && (second === 120 || second === 88 || second === 98 || second === 66 || second === 111 || second === 79)) return NaN;
  return n;
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * `text.slice(start, end)` as a number when it is a plain decimal (`-12.375`, `.5`, `7.`:
 * an optional sign, digits, at most one point, at most 15 digits in all), else NaN. Exact:
 * the digits make an integer below 2^53 and 10^k (k ≤ 15) is a double too, so one IEEE
 * division gives the correctly rounded value, the same double as Number() (Clinger's fast
 * path). Anything else (exponents, spaces, longer numbers) is NaN here and goes the slow way.
 */
export function plainDecimal(text: string, start: number, end: number): number {
  let at = start;
  let negative = false;
  const first = text.charCodeAt(at);
  if (first === 45 || first === 43) {
    negative = first === 45;
    at++;
  }
  let mantissa = 0;
  let digits = 0;
  let point = -1;
  for (; at < end; at++) {
    const c = text.charCodeAt(at);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 && point < 0) {
      point = at;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || digits > 15) return NaN;
  const value = point < 0 ? mantissa : mantissa / POWERS_OF_TEN[end - point - 1];
  return negative ? -value : value;
}

export function parseDateMs(text: string): number {
  if (!DATE_PATTERN.test(text)) return NaN;
  return Date.parse(text);
}

/** Cells of a mostly numeric column that are not numbers: each distinct text, how often, and its first rows (1-based). */
export interface StrayCells {
  label: string;
  count: number;
  rows: number[];
}

/** At most this many rows are named per stray text, and this many texts per message. */
const ROWS_NAMED = 3;
const LABELS_NAMED = 5;

/** `"five" (row 8)`, `"1e999" (rows 4, 9; not a finite number)`, `"x" (rows 1, 2, 3 and 4 more)`. */
function describeStray({ label, count, rows }: StrayCells): string {
  const more = count > rows.length ? ` and ${count - rows.length} more` : '';
  const where = `row${count > 1 ? 's' : ''} ${rows.join(', ')}${more}`;
  // "Infinity", "1e999": written as numbers, but no finite value can hold them.
  const overflow = Number.isNaN(Number(label)) ? '' : '; not a finite number';
  return `${JSON.stringify(label)} (${where}${overflow})`;
}

/** The stray cells of a column, named with their rows: `3 cells are not numbers: "five" (row 8), …`. */
export function describeStrayCells(stray: readonly StrayCells[], total = stray.reduce((sum, s) => sum + s.count, 0)): string {
  const named = stray.slice(0, LABELS_NAMED).map(describeStray).join(', ');
  const rest = stray.length > LABELS_NAMED ? ` and ${stray.length - LABELS_NAMED} other text(s)` : '';
  return `${total} cell${total > 1 ? 's are' : ' is'} not ${total > 1 ? 'numbers' : 'a number'}: ${named}${rest}`;
}

/**
 * When a category or text column holds numbers in most of its cells (a typo, an `Infinity`
 * or an overflowing `1e999` made it non-numeric), its non-numeric cells with their rows
 * (1-based, in table order). null when the column is not like that.
 */
export function strayCells(column: Column): StrayCells[] | null {
  if (column.dtype !== 'category' && column.dtype !== 'text') return null;
  const n = column.dtype === 'category' ? column.codes.length : column.values.length;
  const labelAt = labelReader(column);
  const stray = new Map<string, StrayCells>();
  let numeric = 0;
  let text = 0;
  for (let i = 0; i < n; i++) {
    const label = labelAt(i);
    if (label === null) continue;
    if (!Number.isNaN(parseNumber(label))) {
      numeric++;
      continue;
    }
    text++;
    let entry = stray.get(label);
    if (!entry) stray.set(label, (entry = { label, count: 0, rows: [] }));
    entry.count++;
    if (entry.rows.length < ROWS_NAMED) entry.rows.push(i + 1);
  }
  return text > 0 && numeric >= text ? [...stray.values()] : null;
}

function labelReader(column: CategoryColumn | TextColumn): (row: number) => string | null {
  if (column.dtype === 'text') return (row) => column.values[row];
  return (row) => {
    const code = column.codes[row];
    return code < 0 ? null : column.categories[code];
  };
}

/**
 * Why a column cannot be used where numbers are needed, and what to do: for a mostly numeric
 * column, its stray cells (so a typo is fixed in the file, not one-hot encoded); else `otherwise`.
 */
export function notNumericReason(column: Column, otherwise: string): string {
  const stray = strayCells(column);
  if (!stray) return otherwise;
  return `was read as ${column.dtype} because ${describeStrayCells(stray)}. Fix them in the file, or set the column's type to number in the data node's Column types (they become missing values).`;
}

export interface FinishedColumn {
  column: Column;
  warnings: string[];
}

export class ColumnBuilder {
  private numbers: Float64Array;
  private codes: Int32Array | null = null;
  private labelCodes: Map<string, number> | null = null;
  private labels: string[] = [];
  /** Non-numeric texts by label code: how often and first rows, for messages that name them. */
  private readonly strayByCode: (StrayCells | undefined)[] = [];
  private strayKinds = 0;
  length = 0;
  numericCount = 0;
  textCount = 0;
  missingCount = 0;

  /** `expectedRows`: room made up front (a file's size says about how many rows it holds), so a big import does not grow and copy its columns. */
  constructor(expectedRows = 256) {
    this.numbers = new Float64Array(Math.max(256, Math.ceil(expectedRows)));
  }

  push(raw: unknown): void {
    const row = this.length;
    if (row === this.numbers.length) this.grow();
    this.length++;
    if (raw === null || raw === undefined) return this.pushMissing(row);
    if (typeof raw === 'number') {
      if (!Number.isFinite(raw)) return this.pushMissing(row);
      this.numbers[row] = raw;
      this.numericCount++;
      if (this.codes) this.codes[row] = this.codeOf(String(raw));
      return;
    }
    let text: string;
    if (typeof raw === 'string') text = raw.trim();
    else if (typeof raw === 'boolean') text = raw ? 'true' : 'false';
    else text = JSON.stringify(raw);
    if (text.length <= LONGEST_MISSING_TOKEN && MISSING_TOKENS.has(text)) return this.pushMissing(row);
    const n = parseNumber(text);
    if (!Number.isNaN(n)) {
      this.numbers[row] = n;
      this.numericCount++;
      if (this.codes) this.codes[row] = this.codeOf(text);
      return;
    }
    if (!this.codes) this.startLabels(row);
    this.numbers[row] = NaN;
    const code = this.codeOf(text);
    this.codes![row] = code;
    this.textCount++;
    this.noteStray(code, row);
  }

  /**
   * The cell `text.slice(start, end)`, as `push` reads it, without making the substring when
   * the cell is empty or a plain decimal (the bulk of a numeric column): the ingest hot path.
   */
  pushSpan(text: string, start: number, end: number): void {
    if (start === end) {
      const row = this.length;
      if (row === this.numbers.length) this.grow();
      this.length++;
      return this.pushMissing(row);
    }
    const n = plainDecimal(text, start, end);
    if (Number.isNaN(n) || this.codes) return this.push(text.slice(start, end));
    const row = this.length;
    if (row === this.numbers.length) this.grow();
    this.length++;
    this.numbers[row] = n;
    this.numericCount++;
  }

  /** Rows [start, end) read as numbers (NaN where missing or not a number): a number column's final values. */
  numbersBetween(start: number, end: number): Float64Array {
    return this.numbers.slice(start, end);
  }

  /** Decides the dtype (or applies `override`) and builds the column. */
  finish(name: string, override?: DType): FinishedColumn {
    const warnings: string[] = [];
    const dtype = override ?? this.inferType(name, warnings);
    const n = this.length;
    switch (dtype) {
      case 'number': {
        if (override === 'number' && this.textCount > 0) {
          warnings.push(`Column "${name}" set to number: ${this.textCount} text value(s) (${this.textExamples()}) became missing.`);
        }
        return { column: { name, dtype, values: this.numbers.slice(0, n) }, warnings };
      }
      case 'boolean':
      case 'datetime': {
        const values = new Float64Array(n).fill(NaN);
        let unreadable = 0;
        if (this.codes) {
          const read = this.labels.map((label) => (dtype === 'boolean' ? (BOOLEAN_LABELS[label] ?? parseNumberAsBoolean(label)) : parseDateMs(label)));
          for (let i = 0; i < n; i++) {
            const code = this.codes[i];
            if (code < 0) continue;
            values[i] = read[code];
            if (Number.isNaN(values[i])) unreadable++;
          }
        } else {
          for (let i = 0; i < n; i++) {
            const v = this.numbers[i];
            values[i] = dtype === 'boolean' ? parseNumberAsBoolean(String(v)) : v;
            if (Number.isNaN(values[i]) && !Number.isNaN(v)) unreadable++;
          }
        }
        if (unreadable > 0) warnings.push(`Column "${name}" set to ${dtype}: ${unreadable} value(s) could not be read and became missing.`);
        return { column: { name, dtype, values }, warnings };
      }
      case 'category': {
        const { codes, labels } = this.sortedLabels();
        return { column: { name, dtype, codes, categories: labels }, warnings };
      }
      case 'text': {
        const { codes, labels } = this.rawLabels();
        const values: (string | null)[] = new Array(n);
        for (let i = 0; i < n; i++) values[i] = codes[i] < 0 ? null : labels[codes[i]];
        return { column: { name, dtype, values }, warnings };
      }
    }
  }

  /** Drops the buffers (after `finish`): a 1M-row import holds each column once, not twice, while the table is built. */
  release(): void {
    this.numbers = new Float64Array(0);
    this.codes = null;
    this.labelCodes = null;
    this.length = 0;
  }

  private inferType(name: string, warnings: string[]): DType {
    if (this.textCount === 0) return 'number';
    if (this.numericCount === 0) {
      if (this.labels.every((l) => l in BOOLEAN_LABELS)) return 'boolean';
      if (this.labels.every((l) => !Number.isNaN(parseDateMs(l)))) return 'datetime';
    }
    const kind = this.labelCount() <= MAX_CATEGORIES && (this.labelCount() <= 50 || this.labelCount() <= 0.5 * (this.numericCount + this.textCount)) ? 'category' : 'text';
    if (this.numericCount >= this.textCount) {
      warnings.push(
        `Column "${name}" looks numeric but ${describeStrayCells(this.strayCells(), this.textCount)}: read as ${kind}. ` +
          `Fix those cells, or set the column's type to number to read them as missing.`,
      );
    }
    return kind;
  }

  /** Kept by label code (one lookup per cell, shared with the label's): codes follow first appearance, so the order is the texts'. */
  private noteStray(code: number, row: number): void {
    let entry = this.strayByCode[code];
    if (!entry) {
      // A column of free text has as many texts as rows: keep only what a message can name.
      if (this.strayKinds >= MAX_CATEGORIES) return;
      this.strayKinds++;
      this.strayByCode[code] = entry = { label: this.labels[code], count: 0, rows: [] };
    }
    entry.count++;
    if (entry.rows.length < ROWS_NAMED) entry.rows.push(row + 1);
  }

  private strayCells(): StrayCells[] {
    return this.strayByCode.filter((entry): entry is StrayCells => entry !== undefined);
  }

  private labelCount(): number {
    return this.labels.length;
  }

  private textExamples(): string {
    const examples: string[] = [];
    for (const label of this.labels) {
      if (Number.isNaN(parseNumber(label))) examples.push(JSON.stringify(label));
      if (examples.length === 5) break;
    }
    return examples.join(', ');
  }

  private pushMissing(row: number): void {
    this.numbers[row] = NaN;
    if (this.codes) this.codes[row] = -1;
    this.missingCount++;
  }

  private grow(): void {
    const numbers = new Float64Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    this.numbers = numbers;
    if (this.codes) {
      const codes = new Int32Array(numbers.length);
      codes.set(this.codes);
      this.codes = codes;
    }
  }

  /** First non-numeric value: from here on every cell also gets a label code; earlier numbers are labelled by their value. */
  private startLabels(upToRow: number): void {
    this.codes = new Int32Array(this.numbers.length);
    this.labelCodes = new Map();
    for (let i = 0; i < upToRow; i++) {
      const v = this.numbers[i];
      this.codes[i] = Number.isNaN(v) ? -1 : this.codeOf(String(v));
    }
  }

  private codeOf(label: string): number {
    const map = this.labelCodes!;
    let code = map.get(label);
    if (code === undefined) {
      code = this.labels.length;
      map.set(label, code);
      this.labels.push(label);
    }
    return code;
  }

  /** Labels in order of appearance with codes; builds them from numbers when the column never saw text. */
  private rawLabels(): { codes: Int32Array; labels: string[] } {
    if (!this.codes) {
      this.startLabels(this.length);
    }
    return { codes: this.codes!.slice(0, this.length), labels: this.labels };
  }

  /** Categories sorted (numerically when all look numeric) so encodings do not depend on row order. */
  private sortedLabels(): { codes: Int32Array; labels: string[] } {
    const { codes, labels } = this.rawLabels();
    const allNumeric = labels.every((l) => !Number.isNaN(parseNumber(l)));
    const order = labels.map((_, i) => i);
    order.sort((a, b) => (allNumeric ? parseNumber(labels[a]) - parseNumber(labels[b]) : labels[a] < labels[b] ? -1 : labels[a] > labels[b] ? 1 : 0));
    const newCode = new Int32Array(labels.length);
    order.forEach((oldCode, i) => (newCode[oldCode] = i));
    for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) codes[i] = newCode[codes[i]];
    return { codes, labels: order.map((i) => labels[i]) };
  }
}

function parseNumberAsBoolean(label: string): number {
  if (label === '1') return 1;
  if (label === '0') return 0;
  return NaN;
}

/** Validates user type overrides ({"col": "category"}); throws naming the bad entry. */
export function checkTypeOverrides(value: unknown): Record<string, DType> {
  if (value === null || value === undefined || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error('Type overrides must be an object like {"column": "category"}');
  const out: Record<string, DType> = {};
  for (const [column, dtype] of Object.entries(value as Record<string, unknown>)) {
    if (typeof dtype !== 'string' || !DTYPES.includes(dtype as DType)) {
      throw new Error(`Type override for "${column}" must be one of ${DTYPES.join(', ')} (got ${JSON.stringify(dtype)})`);
    }
    out[column] = dtype as DType;
  }
  return out;
}
