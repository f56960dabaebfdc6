/**
 * The training reference of a dataset whose table has already been through the fitted
 * chain (scaled, encoded…). Serving requests carry RAW values, so the profile must be of
 * raw values: the chain is undone step by step, backwards, where a step can be undone
 * (scale, log/sqrt, one-hot, ordinal, imputation, added polynomial terms). Columns a step
 * cannot give back (PCA, binning, unknown steps) are left out of the profile, so drift is
 * simply not reported for them rather than reported against the wrong distribution.
 */
import type { Column, Dataset, FittedTransform, Table } from '../data/types';
import { columnSchema } from '../data/table';
import { polynomialTerms, termName } from '../data/transforms';
import { buildReference, type ReferenceProfile } from './reference';

type Columns = Map<string, Column>;

function numeric(columns: Columns, name: string): Float64Array | null {
  const column = columns.get(name);
  return column && column.dtype !== 'category' && column.dtype !== 'text' ? column.values : null;
}

function forget(columns: Columns, names: readonly string[]): void {
  for (const name of names) columns.delete(name);
}

function undoScale(state: Record<string, unknown>, columns: Columns): void {
  const names = state.columns as string[];
  const centers = state.centers as number[];
  const scales = state.scales as number[];
  names.forEach((name, j) => {
    const values = numeric(columns, name);
    if (!values) return;
    columns.set(name, { name, dtype: 'number', values: values.map((v) => v * scales[j] + centers[j]) });
  });
}

const POWER_INVERSE: Record<string, ((v: number) => number) | undefined> = {
  log1p: (v) => Math.expm1(v),
  log: (v) => Math.exp(v),
  sqrt: (v) => v * v,
};

function undoPower(state: Record<string, unknown>, columns: Columns): void {
  const names = state.columns as string[];
  const inverse = POWER_INVERSE[String(state.method)];
  // square and general powers lose the sign: no reliable way back.
  if (!inverse) return forget(columns, names);
  for (const name of names) {
    const values = numeric(columns, name);
    if (values) columns.set(name, { name, dtype: 'number', values: values.map(inverse) });
  }
}

function undoOneHot(state: Record<string, unknown>, columns: Columns, rowCount: number): void {
  const names = state.columns as string[];
  const categories = state.categories as string[][];
  names.forEach((name, j) => {
    const indicators = categories[j].map((category) => numeric(columns, `${name}=${category}`));
    if (indicators.some((values) => values === null)) return;
    const codes = new Int32Array(rowCount).fill(-1);
    for (let r = 0; r < rowCount; r++) {
      const k = indicators.findIndex((values) => values![r] === 1);
      codes[r] = k;
    }
    for (const category of categories[j]) columns.delete(`${name}=${category}`);
    columns.set(name, { name, dtype: 'category', codes, categories: [...categories[j]] });
  });
}

function undoOrdinal(state: Record<string, unknown>, columns: Columns): void {
  const names = state.columns as string[];
  const categories = state.categories as string[][];
  names.forEach((name, j) => {
    const values = numeric(columns, name);
    if (!values) return;
    const known = categories[j].length;
    const codes = Int32Array.from(values, (v) => (Number.isInteger(v) && v >= 0 && v < known ? v : -1));
    columns.set(name, { name, dtype: 'category', codes, categories: [...categories[j]] });
  });
}

function undoPolynomial(state: Record<string, unknown>, columns: Columns): void {
  // Terms were appended; the original columns are untouched.
  const names = state.columns as string[];
  for (const term of polynomialTerms(names.length, Number(state.degree), Boolean(state.interactionOnly))) columns.delete(termName(names, term));
}

/** Undoes one step in place; columns it cannot give back are removed. */
function undoStep(step: FittedTransform, columns: Columns, rowCount: number): void {
  const state = step.state;
  const inputs = Array.isArray(state.columns) ? (state.columns as string[]) : [];
  switch (step.kind) {
    case 'scale':
      return undoScale(state, columns);
    case 'power':
      return undoPower(state, columns);
    case 'onehot':
      return undoOneHot(state, columns, rowCount);
    case 'ordinal':
      return undoOrdinal(state, columns);
    case 'impute':
      // Filled values stand in for the missing ones: the distribution barely moves.
      return;
    case 'drop':
      return;
    case 'polynomial':
      return undoPolynomial(state, columns);
    default: {
      // pca, bin and steps this code does not know: their inputs are gone for good (and PCA's outputs are not raw).
      const outputs = Array.isArray(state.names) ? (state.names as string[]) : [];
      return forget(columns, [...inputs, ...outputs]);
    }
  }
}

/** The dataset's table with its chain undone where possible (raw values, same rows). */
export function rawTable(dataset: Dataset): Table {
  const columns: Columns = new Map(dataset.table.columns.map((c) => [c.name, c]));
  const rowCount = dataset.table.rowCount;
  for (let i = dataset.transforms.length - 1; i >= 0; i--) undoStep(dataset.transforms[i], columns, rowCount);
  return { rowCount, columns: [...columns.values()] };
}

/**
 * The reference profile of the raw training rows of a (transformed) dataset. The target is
 * profiled too (the monitor compares served predictions with it); drift checks skip it,
 * since requests never carry it.
 */
export function trainingReference(dataset: Dataset): ReferenceProfile {
  const target = dataset.roles.target;
  const targetColumn = target ? dataset.table.columns.find((c) => c.name === target) : undefined;
  const schema = targetColumn && !dataset.rawSchema.some((s) => s.name === target) ? [...dataset.rawSchema, columnSchema(targetColumn)] : dataset.rawSchema;
  return buildReference(rawTable(dataset), dataset.partitions?.train ?? null, schema);
}
