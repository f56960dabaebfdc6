/**
 * From a dataset to the numbers a network sees: the feature matrix (rows × features,
 * already transformed by the dataset's chain), the task, the class list and the target
 * vector. Train, evaluate and tune share this code so they always agree.
 */
import { toFeatureMatrix } from '../data/dataset';
import type { Column, Dataset, Partitions, TargetInfo, TaskKind } from '../data/types';

/** Regression targets are standardised for training; the network's output is mapped back. */
export interface TargetScale {
  mean: number;
  std: number;
}
/** TargetInfo as stored by this project's models (scale is an added, optional field). */
export type ModelTarget = TargetInfo & { scale?: TargetScale };

export interface FeatureMatrix {
  /** Row-major rows × cols. */
  values: Float32Array;
  rows: number;
  cols: number;
  featureNames: string[];
}

export type PartitionName = keyof Partitions;

function columnByName(dataset: Dataset, name: string): Column {
  const column = dataset.table.columns.find((c) => c.name === name);
  if (!column) throw new Error(`column "${name}" is not in the dataset`);
  return column;
}

/**
 * Feature values for the given rows (src/data's matrix code: every feature must be numeric
 * and complete, and its error names the node that fixes it).
 */
export function featureMatrix(dataset: Dataset, rows: ArrayLike<number>): FeatureMatrix {
  const { x, nRows, nFeatures, featureNames } = toFeatureMatrix(dataset, rows);
  return { values: x, rows: nRows, cols: nFeatures, featureNames };
}

export function partitionRows(dataset: Dataset, partition: PartitionName): Uint32Array {
  if (!dataset.partitions) {
    // No split node: every row is training data; other partitions are empty.
    return partition === 'train' ? Uint32Array.from({ length: dataset.table.rowCount }, (_, i) => i) : new Uint32Array(0);
  }
  return dataset.partitions[partition];
}

/** Rows whose target value is present (missing targets cannot be learned from or scored). */
export function rowsWithTarget(dataset: Dataset, rows: ArrayLike<number>): Uint32Array {
  const column = columnByName(dataset, targetName(dataset));
  const kept: number[] = [];
  for (let i = 0; i < rows.length; i++) if (!isMissing(column, rows[i])) kept.push(rows[i]);
  return Uint32Array.from(kept);
}

function targetName(dataset: Dataset): string {
  const name = dataset.roles.target;
  if (!name) throw new Error('the dataset has no target column: choose one in a "set target" (roles) node');
  return name;
}

function isMissing(column: Column, row: number): boolean {
  if (column.dtype === 'category') return column.codes[row] < 0;
  if (column.dtype === 'text') return column.values[row] === null;
  return Number.isNaN(column.values[row]);
}

function rawLabel(column: Column, row: number): string {
  if (column.dtype === 'category') return column.categories[column.codes[row]];
  if (column.dtype === 'text') return column.values[row] as string;
  if (column.dtype === 'boolean') return column.values[row] ? 'true' : 'false';
  return String(column.values[row]);
}

/** auto: category/text/boolean → classification; ≤ 20 distinct whole numbers → classification; else regression. */
export function detectTask(dataset: Dataset, requested: 'auto' | TaskKind): TaskKind {
  const column = columnByName(dataset, targetName(dataset));
  if (requested === 'regression') {
    if (column.dtype !== 'number') {
      throw new Error(`regression needs a numeric target, but "${column.name}" is ${column.dtype}: choose classification`);
    }
    return 'regression';
  }
  if (requested === 'classification') return 'classification';
  if (column.dtype !== 'number' && column.dtype !== 'datetime') return 'classification';
  if (column.dtype === 'datetime') return 'regression';
  const distinct = new Set<number>();
  for (const v of column.values) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return 'regression';
    distinct.add(v);
    if (distinct.size > 20) return 'regression';
  }
  return 'classification';
}

/**
 * The target description for training. Classes are the labels present in any partition
 * (in category order, or sorted); every one of them must appear in the training rows.
 */
export function resolveTarget(dataset: Dataset, task: TaskKind, trainRows: ArrayLike<number>): ModelTarget {
  const name = targetName(dataset);
  const column = columnByName(dataset, name);
  if (task === 'regression') {
    if (column.dtype !== 'number' && column.dtype !== 'datetime') {
      throw new Error(`regression needs a numeric target, but "${name}" is ${column.dtype}`);
    }
    let sum = 0;
    let count = 0;
    for (let i = 0; i < trainRows.length; i++) {
      const v = column.values[trainRows[i]];
      if (!Number.isNaN(v)) {
        sum += v;
        count++;
      }
    }
    if (count === 0) throw new Error(`target "${name}" has no values in the training partition`);
    const mean = sum / count;
    let sq = 0;
    for (let i = 0; i < trainRows.length; i++) {
      const v = column.values[trainRows[i]];
      if (!Number.isNaN(v)) sq += (v - mean) ** 2;
    }
    const std = Math.sqrt(sq / count) || 1;
    return { name, task, scale: { mean, std } };
  }

  const present = new Set<string>();
  for (let r = 0; r < dataset.table.rowCount; r++) if (!isMissing(column, r)) present.add(rawLabel(column, r));
  let classes: string[];
  if (column.dtype === 'category') classes = column.categories.filter((c) => present.has(c));
  else if (column.dtype === 'number') classes = [...present].sort((a, b) => Number(a) - Number(b));
  else classes = [...present].sort();
  if (classes.length < 2) {
    throw new Error(`classification needs at least two classes, but target "${name}" has ${classes.length === 0 ? 'none' : `only "${classes[0]}"`}`);
  }
  const inTrain = new Set<string>();
  for (let i = 0; i < trainRows.length; i++) if (!isMissing(column, trainRows[i])) inTrain.add(rawLabel(column, trainRows[i]));
  const missing = classes.filter((c) => !inTrain.has(c));
  if (missing.length > 0) {
    throw new Error(
      `class${missing.length > 1 ? 'es' : ''} ${missing.map((c) => `"${c}"`).join(', ')} of "${name}" never appear${missing.length > 1 ? '' : 's'} in the training partition: use a stratified split or more data`,
    );
  }
  return { name, task, classes };
}

/**
 * Target values for rows: class indices (classification, -1 for a label the model does
 * not know) or raw numbers (regression, unscaled).
 */
export function targetValues(dataset: Dataset, target: ModelTarget, rows: ArrayLike<number>): Float32Array {
  const column = columnByName(dataset, target.name);
  const out = new Float32Array(rows.length);
  if (target.task === 'regression') {
    if (column.dtype === 'category' || column.dtype === 'text') throw new Error(`target "${target.name}" is ${column.dtype}, not numeric`);
    for (let i = 0; i < rows.length; i++) out[i] = column.values[rows[i]];
    return out;
  }
  const index = new Map((target.classes ?? []).map((c, i) => [c, i]));
  for (let i = 0; i < rows.length; i++) out[i] = isMissing(column, rows[i]) ? -1 : (index.get(rawLabel(column, rows[i])) ?? -1);
  return out;
}
