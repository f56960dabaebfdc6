/**
 * The fitted transform chain: `applyTransforms` replays it on a table; `applyToRecord`
 * turns one raw record into the model's feature vector by building a 1-row table and
 * running the very same appliers (no second copy of the logic).
 */
import { parseDateMs, parseNumber } from '../infer';
import { DataError, isNumeric } from '../table';
import type { Column, ColumnSchema, FittedTransform, Table } from '../types';
import { applierFor } from './registry';
import './impute';
import './encode';
import './scale';
import './columns';
import './pca';

export { fitImpute, type ImputeState, type ImputeStrategy } from './impute';
export { fitEncode, UNKNOWN_CODE, type EncodeState } from './encode';
export { fitScale, type ScaleMethod, type ScaleState } from './scale';
export { fitBins, polynomialTerms, powerDomain, powerFunction, termName, type BinState, type DropState, type PolynomialState, type PowerMethod, type PowerState } from './columns';
export { fitPca, symmetricEigen, MAX_PCA_COLUMNS, type PcaState } from './pca';

/** A raw record that does not fit the model's input schema; `fields` maps field → problem. */
export class RecordError extends Error {
  override name = 'RecordError';
  constructor(readonly fields: Record<string, string>) {
    super(`Invalid record: ${Object.entries(fields).map(([f, m]) => `${f}: ${m}`).join('; ')}`);
  }
}

export function applyTransform(transform: FittedTransform, table: Table, notes: string[] = []): Table {
  return applierFor(transform.kind).apply(transform.state, table, notes);
}

/** Replays every step in order. Non-fatal notes (unseen categories…) are pushed to `notes`. */
export function applyTransforms(chain: readonly FittedTransform[], table: Table, notes: string[] = []): Table {
  let out = table;
  for (const step of chain) out = applyTransform(step, out, notes);
  return out;
}

export function describeTransform(transform: FittedTransform): string {
  const text = applierFor(transform.kind).describe(transform.state);
  return transform.fittedOn === 'all' ? `${text} (fitted on all rows)` : text;
}

/** Raw columns a chain reads (so they must stay in the raw schema). */
export function chainInputs(chain: readonly FittedTransform[]): Set<string> {
  const names = new Set<string>();
  for (const step of chain) for (const name of applierFor(step.kind).inputs(step.state)) names.add(name);
  return names;
}

/** Raw columns whose missing values some step fills: a record may leave them out. */
export function chainFills(chain: readonly FittedTransform[]): Set<string> {
  const names = new Set<string>();
  for (const step of chain) for (const name of applierFor(step.kind).fills?.(step.state) ?? []) names.add(name);
  return names;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** One record field → a 1-row column of the schema's dtype, or a problem message. */
function recordColumn(schema: ColumnSchema, value: unknown, optional: boolean): Column | string {
  const { name, dtype } = schema;
  if (isAbsent(value)) {
    if (!optional) return 'is required';
    if (dtype === 'category') return { name, dtype, codes: Int32Array.of(-1), categories: [] };
    if (dtype === 'text') return { name, dtype, values: [null] };
    return { name, dtype, values: Float64Array.of(NaN) };
  }
  switch (dtype) {
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? parseNumber(value.trim()) : NaN;
      if (!Number.isFinite(n)) return `must be a number (got ${JSON.stringify(value)})`;
      return { name, dtype, values: Float64Array.of(n) };
    }
    case 'boolean': {
      const b = value === true || value === 1 || value === 'true' || value === '1' ? 1 : value === false || value === 0 || value === 'false' || value === '0' ? 0 : NaN;
      if (Number.isNaN(b)) return `must be true or false (got ${JSON.stringify(value)})`;
      return { name, dtype, values: Float64Array.of(b) };
    }
    case 'datetime': {
      const ms = typeof value === 'number' ? value : typeof value === 'string' ? parseDateMs(value.trim()) : NaN;
      if (!Number.isFinite(ms)) return `must be a date like 2024-01-31 (got ${JSON.stringify(value)})`;
      return { name, dtype, values: Float64Array.of(ms) };
    }
    case 'category':
    case 'text': {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return `must be text (got ${JSON.stringify(value)})`;
      const label = String(value).trim();
      return dtype === 'category' ? { name, dtype, codes: Int32Array.of(0), categories: [label] } : { name, dtype, values: [label] };
    }
  }
}

/** A raw record as a 1-row table of the raw schema; throws RecordError listing every bad field. */
export function recordToTable(chain: readonly FittedTransform[], rawSchema: readonly ColumnSchema[], record: Record<string, unknown>): Table {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new RecordError({ record: 'must be an object of field values' });
  const optional = chainFills(chain);
  const problems: Record<string, string> = {};
  const columns: Column[] = [];
  for (const schema of rawSchema) {
    const column = recordColumn(schema, record[schema.name], optional.has(schema.name));
    if (typeof column === 'string') problems[schema.name] = column;
    else columns.push(column);
  }
  if (Object.keys(problems).length > 0) throw new RecordError(problems);
  return { columns, rowCount: 1 };
}

export interface RecordFeatures {
  features: Float64Array;
  names: string[];
  /** Non-fatal notes (an unseen category encoded as zeros / the unknown code). */
  warnings: string[];
}

/**
 * One raw record → the feature vector the model expects. `featureNames` (the model's
 * input order) picks and orders the output columns; by default every output column.
 */
export function applyToRecord(
  chain: readonly FittedTransform[],
  rawSchema: readonly ColumnSchema[],
  record: Record<string, unknown>,
  featureNames?: readonly string[],
): RecordFeatures {
  const warnings: string[] = [];
  const table = applyTransforms(chain, recordToTable(chain, rawSchema, record), warnings);
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const names = featureNames ? [...featureNames] : table.columns.map((c) => c.name);
  const features = new Float64Array(names.length);
  names.forEach((name, i) => {
    const column = byName.get(name);
    if (!column) throw new DataError(`The transform chain does not produce feature "${name}"`);
    if (!isNumeric(column)) throw new DataError(`Feature "${name}" is still ${column.dtype} after the chain: the pipeline needs an Encode categories step for it.`);
    features[i] = column.values[0];
  });
  const missing = names.filter((_, i) => Number.isNaN(features[i]));
  if (missing.length > 0) warnings.push(`Missing after preprocessing: ${missing.join(', ')}`);
  return { features, names, warnings };
}
