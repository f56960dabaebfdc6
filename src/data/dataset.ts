/** Dataset helpers: roles, the rows a fitted step learns from, appending fitted steps, row subsets. */
import { notNumericReason } from './infer';
import { applyTransform, chainInputs } from './transforms';
import { applierFor } from './transforms/registry';
import { DataError, columnSchema, getColumn, isMissing, isNumeric, selectRows } from './table';
import type { Dataset, FittedTransform, Partitions, Table, TaskKind } from './types';

/** Builds a dataset: the raw schema is the feature columns (what a deployed model asks for). */
export function createDataset(table: Table, target: string | null, features: string[]): Dataset {
  const featureSet = new Set(features);
  return {
    table,
    roles: { features: table.columns.map((c) => c.name).filter((n) => featureSet.has(n) && n !== target), target },
    partitions: null,
    transforms: [],
    rawSchema: table.columns.filter((c) => featureSet.has(c.name) && c.name !== target).map(columnSchema),
    source: table.source ?? { name: 'table', hash: '' },
  };
}

/** The rows a fitted step learns from: the train partition after a split, else all rows (said so in `fittedOn`). */
export function fitRows(dataset: Dataset): { rows: Uint32Array; fittedOn: 'train' | 'all' } {
  if (dataset.partitions) return { rows: dataset.partitions.train, fittedOn: 'train' };
  return { rows: Uint32Array.from({ length: dataset.table.rowCount }, (_, i) => i), fittedOn: 'all' };
}

/**
 * Applies a freshly fitted step to every row and records it in the chain. Columns the step
 * adds become features; columns it removes leave the features (and the raw schema, when no
 * step reads them any more).
 */
export function appendTransform(dataset: Dataset, transform: FittedTransform, notes: string[] = []): Dataset {
  const before = new Set(dataset.table.columns.map((c) => c.name));
  const nonFeatures = new Set([...before].filter((n) => !dataset.roles.features.includes(n)));
  const table = applyTransform(transform, dataset.table, notes);
  const features = table.columns.map((c) => c.name).filter((n) => !nonFeatures.has(n) && n !== dataset.roles.target);
  const transforms = [...dataset.transforms, transform];
  const present = new Set(table.columns.map((c) => c.name));
  const needed = chainInputs(transforms);
  // A raw column dropped before any step read it is no longer asked of a serving record.
  const rawSchema = dataset.rawSchema.filter((s) => needed.has(s.name) || (present.has(s.name) && features.includes(s.name)));
  return { ...dataset, table, roles: { ...dataset.roles, features }, transforms, rawSchema, base: dataset.base ?? dataset.table };
}

/**
 * The dataset as if every fitted step had learned on `trainRows` instead: the chain is
 * replayed from the table before the first step, each step refitted on those rows and
 * applied to every row. Cross-validation calls this per fold so no fold's statistics
 * include its own held-out rows. `partitions` replaces the dataset's.
 */
export function refitDataset(dataset: Dataset, trainRows: Uint32Array, partitions: Partitions): Dataset {
  if (dataset.transforms.length === 0) return { ...dataset, partitions };
  if (!dataset.base) throw new DataError('This dataset does not carry its rows from before the fitted steps (it was read back from a file), so they cannot be refitted per fold.');
  // Columns that were never features (the target, an id left out by the Roles node) stay out.
  const features = new Set(dataset.roles.features);
  const nonFeatures = new Set(dataset.table.columns.map((c) => c.name).filter((n) => !features.has(n)));
  let out: Dataset = {
    ...dataset,
    table: dataset.base,
    roles: { ...dataset.roles, features: dataset.base.columns.map((c) => c.name).filter((n) => !nonFeatures.has(n)) },
    transforms: [],
    base: undefined,
    partitions,
  };
  for (const step of dataset.transforms) {
    const state = applierFor(step.kind).refit(step.state, out.table, trainRows);
    out = appendTransform(out, { ...step, fittedOn: 'train', state });
  }
  return { ...out, rawSchema: dataset.rawSchema };
}

/** Keeps the rows at `keep` (ascending old indices) and renumbers the partitions to match. */
export function keepRows(dataset: Dataset, keep: Uint32Array): Dataset {
  const table = selectRows(dataset.table, keep);
  let partitions: Partitions | null = null;
  if (dataset.partitions) {
    const newIndex = new Int32Array(dataset.table.rowCount).fill(-1);
    keep.forEach((old, i) => (newIndex[old] = i));
    const remap = (rows: Uint32Array) => Uint32Array.from(Array.from(rows, (r) => newIndex[r]).filter((r) => r >= 0));
    partitions = { train: remap(dataset.partitions.train), validation: remap(dataset.partitions.validation), test: remap(dataset.partitions.test) };
  }
  return { ...dataset, table, partitions, ...(dataset.base ? { base: selectRows(dataset.base, keep) } : {}) };
}

/** Column names of `kind` among the features (the default when a node's column list is empty). */
export function featureColumns(dataset: Dataset, kind: 'numeric' | 'category' | 'any'): string[] {
  return dataset.roles.features.filter((name) => {
    const column = getColumn(dataset.table, name);
    // Datetimes (epoch ms) count as numeric: they need scaling most of all. Booleans (one-hot) do not.
    if (kind === 'numeric') return column.dtype === 'number' || column.dtype === 'datetime';
    if (kind === 'category') return column.dtype === 'category' || column.dtype === 'text';
    return true;
  });
}

/** Checks that chosen columns exist and are not the target. */
export function checkColumns(dataset: Dataset, columns: string[]): void {
  for (const name of columns) {
    getColumn(dataset.table, name);
    if (name === dataset.roles.target) throw new DataError(`"${name}" is the target: transforms apply to features only.`);
  }
}

function allRows(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

/**
 * The feature columns, checked for training at the given rows: every feature must be numeric
 * and present there; otherwise the error names the column and the node that fixes it.
 */
export function trainingFeatureColumns(dataset: Dataset, rows?: ArrayLike<number>): { columns: Float64Array[]; featureNames: string[] } {
  const picked = rows ?? allRows(dataset.table.rowCount);
  const featureNames = [...dataset.roles.features];
  if (featureNames.length === 0) throw new DataError('The dataset has no feature columns.');
  const columns = featureNames.map((name) => {
    const column = getColumn(dataset.table, name);
    if (!isNumeric(column)) throw new DataError(`Feature "${name}" ${notNumericReason(column, `is ${column.dtype}: add an Encode categories node (one-hot or ordinal) before training.`)}`);
    return column.values;
  });
  columns.forEach((values, j) => {
    for (let i = 0; i < picked.length; i++) {
      if (Number.isNaN(values[picked[i]])) throw new DataError(`Feature "${featureNames[j]}" has missing values (row ${picked[i] + 1}): add a Missing values node before training.`);
    }
  });
  return { columns, featureNames };
}

/**
 * Row-major float32 feature matrix for training. Every feature must be numeric and present;
 * otherwise the error names the column and the node that fixes it.
 */
export function toFeatureMatrix(dataset: Dataset, rows?: ArrayLike<number>): { x: Float32Array; nRows: number; nFeatures: number; featureNames: string[] } {
  const picked = rows ?? allRows(dataset.table.rowCount);
  const { columns, featureNames } = trainingFeatureColumns(dataset, picked);
  const nRows = picked.length;
  const nFeatures = featureNames.length;
  const x = new Float32Array(nRows * nFeatures);
  for (let j = 0; j < nFeatures; j++) {
    const values = columns[j];
    for (let i = 0; i < nRows; i++) x[i * nFeatures + j] = values[picked[i]];
  }
  return { x, nRows, nFeatures, featureNames };
}

/**
 * Target as float32: class indices into `classes` (category/text/boolean target) or the values (numeric).
 * `task` is classification for category-like targets, regression for numbers.
 */
export function targetVector(dataset: Dataset, rows?: ArrayLike<number>): { y: Float32Array; task: TaskKind; classes?: string[] } {
  const name = dataset.roles.target;
  if (!name) throw new DataError('The dataset has no target: set one with the Roles node.');
  const column = getColumn(dataset.table, name);
  const picked = rows ?? allRows(dataset.table.rowCount);
  const y = new Float32Array(picked.length);
  for (let i = 0; i < picked.length; i++) {
    if (isMissing(column, picked[i])) throw new DataError(`Target "${name}" is missing at row ${picked[i] + 1}.`);
  }
  if (column.dtype === 'category') {
    for (let i = 0; i < picked.length; i++) y[i] = column.codes[picked[i]];
    return { y, task: 'classification', classes: [...column.categories] };
  }
  if (column.dtype === 'boolean') {
    for (let i = 0; i < picked.length; i++) y[i] = column.values[picked[i]];
    return { y, task: 'classification', classes: ['false', 'true'] };
  }
  if (column.dtype === 'text') throw new DataError(`Target "${name}" is free text: set its type to category when importing.`);
  for (let i = 0; i < picked.length; i++) y[i] = column.values[picked[i]];
  return { y, task: 'regression' };
}
