/** Table helpers: column access, row selection, building tables from records. */
import { ColumnBuilder } from './infer';
import type { Column, ColumnSchema, DType, NumericColumn, Table } from './types';

export class DataError extends Error {
  override name = 'DataError';
}

export function columnNames(table: Table): string[] {
  return table.columns.map((c) => c.name);
}

export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

/** The named column; throws listing the available names when it is absent. */
export function getColumn(table: Table, name: string): Column {
  const column = findColumn(table, name);
  if (!column) {
    const names = columnNames(table);
    const shown = names.slice(0, 20).map((n) => `"${n}"`).join(', ');
    throw new DataError(`No column "${name}" (columns: ${shown}${names.length > 20 ? ', …' : ''})`);
  }
  return column;
}

export function isNumeric(column: Column): column is NumericColumn {
  return column.dtype === 'number' || column.dtype === 'boolean' || column.dtype === 'datetime';
}

export function isMissing(column: Column, row: number): boolean {
  if (column.dtype === 'category') return column.codes[row] < 0;
  if (column.dtype === 'text') return column.values[row] === null;
  return Number.isNaN(column.values[row]);
}

export function missingCount(column: Column, rows?: ArrayLike<number>): number {
  let count = 0;
  const n = rows ? rows.length : rowCountOf(column);
  for (let i = 0; i < n; i++) if (isMissing(column, rows ? rows[i] : i)) count++;
  return count;
}

export function rowCountOf(column: Column): number {
  return column.dtype === 'category' ? column.codes.length : column.values.length;
}

/** A cell as a plain value: number, category label / text, or null when missing. */
export function cellValue(column: Column, row: number): string | number | null {
  if (column.dtype === 'category') return column.codes[row] < 0 ? null : column.categories[column.codes[row]];
  if (column.dtype === 'text') return column.values[row];
  const v = column.values[row];
  return Number.isNaN(v) ? null : v;
}

/** A cell formatted for display: datetimes as ISO strings, booleans as true/false. */
export function displayValue(column: Column, row: number): string | number | null {
  const value = cellValue(column, row);
  if (value === null) return null;
  if (column.dtype === 'datetime') return new Date(value as number).toISOString().replace('T00:00:00.000Z', '');
  if (column.dtype === 'boolean') return value === 1 ? 'true' : 'false';
  return value;
}

export function selectColumnRows(column: Column, rows: ArrayLike<number>): Column {
  const n = rows.length;
  if (column.dtype === 'category') {
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = column.codes[rows[i]];
    return { ...column, codes };
  }
  if (column.dtype === 'text') {
    const values: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) values[i] = column.values[rows[i]];
    return { ...column, values };
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = column.values[rows[i]];
  return { ...column, values };
}

/** The rows at `rows` (in that order), every column. */
export function selectRows(table: Table, rows: ArrayLike<number>): Table {
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] < 0 || rows[i] >= table.rowCount || !Number.isInteger(rows[i])) throw new DataError(`Row index ${rows[i]} is outside 0..${table.rowCount - 1}`);
  }
  return { ...table, columns: table.columns.map((c) => selectColumnRows(c, rows)), rowCount: rows.length };
}

/** Same rows, these columns (in this order). */
export function selectColumns(table: Table, names: string[]): Table {
  return { ...table, columns: names.map((n) => getColumn(table, n)) };
}

/** Replaces the column(s) named `replaced` by `added`, at the position of the first replaced one (else appended). */
export function replaceColumns(table: Table, replaced: string[], added: Column[]): Table {
  const drop = new Set(replaced);
  const columns: Column[] = [];
  let inserted = false;
  for (const column of table.columns) {
    if (drop.has(column.name)) {
      if (!inserted) columns.push(...added);
      inserted = true;
    } else columns.push(column);
  }
  if (!inserted) columns.push(...added);
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new DataError(`A column named "${c.name}" already exists`);
    names.add(c.name);
  }
  return { ...table, columns };
}

export function columnSchema(column: Column): ColumnSchema {
  return column.dtype === 'category' ? { name: column.name, dtype: column.dtype, categories: [...column.categories] } : { name: column.name, dtype: column.dtype };
}

export interface TableFromRowsOptions {
  /** Column order; defaults to keys in order of first appearance (records) or `column_1…` (arrays). */
  columns?: string[];
  typeOverrides?: Record<string, DType>;
}

/**
 * Builds a table from records (`{col: value}`) or row arrays, inferring each column's type.
 * Returns the inference warnings beside the table.
 */
export function tableFromRows(rows: readonly (Record<string, unknown> | readonly unknown[])[], options: TableFromRowsOptions = {}): { table: Table; warnings: string[] } {
  let names = options.columns;
  if (!names) {
    const seen = new Set<string>();
    let width = 0;
    for (const row of rows) {
      if (Array.isArray(row)) width = Math.max(width, row.length);
      else for (const key of Object.keys(row)) seen.add(key);
    }
    names = seen.size > 0 ? [...seen] : Array.from({ length: width }, (_, i) => `column_${i + 1}`);
  }
  const builders = names.map(() => new ColumnBuilder());
  for (const row of rows) {
    if (Array.isArray(row)) names.forEach((_, j) => builders[j].push(row[j]));
    else names.forEach((name, j) => builders[j].push((row as Record<string, unknown>)[name]));
  }
  return finishColumns(names, builders, rows.length, options.typeOverrides ?? {});
}

export function finishColumns(names: string[], builders: ColumnBuilder[], rowCount: number, overrides: Record<string, DType>): { table: Table; warnings: string[] } {
  for (const column of Object.keys(overrides)) {
    if (!names.includes(column)) throw new DataError(`Type override names a column that does not exist: "${column}"`);
  }
  const warnings: string[] = [];
  const columns = names.map((name, j) => {
    const done = builders[j].finish(name, overrides[name]);
    // Each builder's buffers go as soon as its column is built: at most one column is held twice.
    builders[j].release();
    warnings.push(...done.warnings);
    return done.column;
  });
  return { table: { columns, rowCount }, warnings };
}

/** Unique column names: an empty name becomes `column_<n>`, a repeated one `name_2`, `name_3`… */
export function uniqueNames(raw: string[]): { names: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const used = new Set<string>();
  const names = raw.map((name, i) => {
    let base = name.trim();
    if (base === '') {
      base = `column_${i + 1}`;
      warnings.push(`Column ${i + 1} has no name: called it "${base}".`);
    }
    let candidate = base;
    for (let k = 2; used.has(candidate); k++) candidate = `${base}_${k}`;
    if (candidate !== base) warnings.push(`Duplicate column name "${base}": renamed the repeat to "${candidate}".`);
    used.add(candidate);
    return candidate;
  });
  return { names, warnings };
}
