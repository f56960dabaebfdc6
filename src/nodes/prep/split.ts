import { implement } from '../../engine/node';
import { DataError, getColumn, isMissing } from '../../data/table';
import { seededRandom, shuffled } from '../../data/random';
import type { Column, Dataset, Partitions } from '../../data/types';
import { prepSplitSpec } from '../../catalog/prep/split';

export function splitRows(groups: number[][], ratios: { train: number; validation: number }, seed: number): Partitions {
  const random = seededRandom(seed);
  const parts = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  for (const group of groups) {
    const rows = shuffled(group, random);
    const nTrain = Math.round(rows.length * ratios.train);
    const nValidation = Math.round(rows.length * ratios.validation);
    parts.train.push(...rows.slice(0, nTrain));
    parts.validation.push(...rows.slice(nTrain, nTrain + nValidation));
    parts.test.push(...rows.slice(nTrain + nValidation));
  }
  const sorted = (rows: number[]) => Uint32Array.from(rows).sort();
  return { train: sorted(parts.train), validation: sorted(parts.validation), test: sorted(parts.test) };
}

/** Class-like targets get stratified: categories, booleans, and ≤ 20 distinct whole numbers (digits' 0–9), as training's task detection does. */
export function looksLikeClasses(column: Column): boolean {
  if (column.dtype === 'category' || column.dtype === 'boolean') return true;
  if (column.dtype !== 'number') return false;
  const distinct = new Set<number>();
  for (const v of column.values) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return false;
    distinct.add(v);
    if (distinct.size > 20) return false;
  }
  return true;
}

/** Cell values a "by column" split accepts, per part (compared case-insensitively). */
const PART_NAMES: Record<keyof Partitions, string[]> = {
  train: ['train', 'training'],
  validation: ['validation', 'valid', 'val', 'dev'],
  test: ['test', 'testing', 'holdout'],
};

function cellKey(column: Column, row: number): string | number | null {
  if (isMissing(column, row)) return null;
  if (column.dtype === 'category') return column.categories[column.codes[row]];
  if (column.dtype === 'text') return column.values[row]!;
  return column.values[row];
}

function sortedParts(parts: { train: number[]; validation: number[]; test: number[] }): Partitions {
  const sorted = (rows: number[]) => Uint32Array.from(rows).sort();
  return { train: sorted(parts.train), validation: sorted(parts.validation), test: sorted(parts.test) };
}

/** Predefined parts: each row's cell names its part (train / validation / test). */
export function splitByColumn(column: Column, n: number): Partitions {
  const parts = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  const unknown = new Set<string>();
  let missing = 0;
  for (let r = 0; r < n; r++) {
    const key = cellKey(column, r);
    if (key === null) {
      missing++;
      continue;
    }
    const label = String(key).trim().toLowerCase();
    const part = (Object.keys(PART_NAMES) as (keyof Partitions)[]).find((k) => PART_NAMES[k].includes(label));
    if (part) parts[part].push(r);
    else unknown.add(String(key));
  }
  if (missing > 0) throw new DataError(`Column "${column.name}" is empty in ${missing} row(s): every row must say train, validation or test.`);
  if (unknown.size > 0) {
    const shown = [...unknown].slice(0, 5).map((v) => JSON.stringify(v)).join(', ');
    throw new DataError(`Column "${column.name}" holds ${shown}${unknown.size > 5 ? ' …' : ''}: a split column may only hold train, validation or test.`);
  }
  return sortedParts(parts);
}

/** Time-ordered: the earliest rows train, the next validate, the latest test (by `column`, or file order). */
export function splitByTime(column: Column | null, n: number, ratios: { train: number; validation: number }): Partitions {
  const order = Array.from({ length: n }, (_, i) => i);
  if (column) {
    if (column.dtype !== 'number' && column.dtype !== 'datetime') throw new DataError(`Column "${column.name}" is ${column.dtype}: a time order needs dates or numbers.`);
    const values = column.values;
    const missing = order.filter((r) => Number.isNaN(values[r])).length;
    if (missing > 0) throw new DataError(`Column "${column.name}" is missing in ${missing} row(s): they have no place in time. Drop them first (Filter or Missing values node).`);
    // Stable: ties keep file order.
    order.sort((a, b) => values[a] - values[b] || a - b);
  }
  const nTrain = Math.round(n * ratios.train);
  const nValidation = Math.round(n * ratios.validation);
  return sortedParts({ train: order.slice(0, nTrain), validation: order.slice(nTrain, nTrain + nValidation), test: order.slice(nTrain + nValidation) });
}

/**
 * Grouped: rows sharing a group id land in the same part. Groups are shuffled (seeded) and
 * dealt to train until it holds its share of rows, then to validation, then to test.
 */
export function splitByGroup(column: Column, n: number, ratios: { train: number; validation: number }, seed: number): { partitions: Partitions; groups: number } {
  const byGroup = new Map<string | number, number[]>();
  for (let r = 0; r < n; r++) {
    const key = cellKey(column, r);
    if (key === null) throw new DataError(`Column "${column.name}" is empty at row ${r + 1}: every row needs a group id.`);
    const rows = byGroup.get(key) ?? [];
    rows.push(r);
    byGroup.set(key, rows);
  }
  const groups = shuffled([...byGroup.values()], seededRandom(seed));
  const parts = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  const trainGoal = n * ratios.train;
  const validationGoal = n * (ratios.train + ratios.validation);
  let dealt = 0;
  for (const rows of groups) {
    // A group goes where the middle of its rows falls, so parts land near their shares.
    const middle = dealt + rows.length / 2;
    const part = middle <= trainGoal ? 'train' : middle <= validationGoal ? 'validation' : 'test';
    parts[part].push(...rows);
    dealt += rows.length;
  }
  return { partitions: sortedParts(parts), groups: groups.length };
}

/** Rows grouped by class (first appearance order), or one group when not stratified. */
function classGroups(dataset: Dataset, stratify: boolean): { groups: number[][]; stratified: boolean } {
  const n = dataset.table.rowCount;
  const target = dataset.roles.target ? getColumn(dataset.table, dataset.roles.target) : null;
  if (!stratify || !target || !looksLikeClasses(target)) return { groups: [Array.from({ length: n }, (_, i) => i)], stratified: false };
  const map = new Map<string | number, number[]>();
  for (let r = 0; r < n; r++) {
    const key = isMissing(target, r) ? 'missing' : target.dtype === 'category' ? target.codes[r] : target.dtype === 'text' ? target.values[r]! : target.values[r];
    const group = map.get(key) ?? [];
    group.push(r);
    map.set(key, group);
  }
  // Groups in a fixed order (first appearance) so the split depends only on data + seed.
  return { groups: [...map.values()], stratified: true };
}

/** Split-by and group columns are bookkeeping, not features: they leave the features and the raw schema. */
function withoutFeature(dataset: Dataset, name: string): Dataset {
  if (!dataset.roles.features.includes(name)) return dataset;
  return {
    ...dataset,
    roles: { ...dataset.roles, features: dataset.roles.features.filter((f) => f !== name) },
    rawSchema: dataset.rawSchema.filter((s) => s.name !== name),
  };
}

/** How each split was made, for the summary (which sees outputs only). */
const howSplit = new WeakMap<object, string>();

export const prepSplit = implement(prepSplitSpec, {
  run: async ({ inputs, params, seed }) => {
    let dataset = inputs.data;
    if (dataset.partitions) throw new DataError('This dataset is already split: use one Split node per pipeline.');
    const mode = params.mode;
    const total = params.train + params.validation + params.test;
    if (mode !== 'column' && Math.abs(total - 1) > 1e-6) throw new DataError(`Train, validation and test fractions must add up to 1 (they add up to ${+total.toFixed(4)}).`);
    const n = dataset.table.rowCount;
    const column = params.column === '' ? null : getColumn(dataset.table, params.column);
    if (column && column.name === dataset.roles.target) throw new DataError(`"${column.name}" is the target: split by another column.`);
    let partitions: Partitions;
    let how: string;
    if (mode === 'column') {
      if (!column) throw new DataError('Choose the column that says train, validation or test for each row.');
      partitions = splitByColumn(column, n);
      dataset = withoutFeature(dataset, column.name);
      how = `by column "${column.name}"`;
    } else if (mode === 'time') {
      partitions = splitByTime(column, n, params);
      how = column ? `time-ordered by "${column.name}"` : 'time-ordered by row order';
    } else if (mode === 'group') {
      if (!column) throw new DataError('Choose the group id column.');
      const grouped = splitByGroup(column, n, params, seed);
      partitions = grouped.partitions;
      dataset = withoutFeature(dataset, column.name);
      how = `grouped by "${column.name}": ${grouped.groups} groups`;
    } else {
      const { groups, stratified } = classGroups(dataset, params.stratify);
      partitions = splitRows(groups, params, seed);
      // "(stratified)" only when it was: a numeric (regression) target is split at random.
      how = stratified ? 'stratified' : '';
    }
    if (partitions.train.length === 0) throw new DataError(`Only ${n} rows: the train part would be empty.`);
    if (mode !== 'column' && params.test > 0 && partitions.test.length === 0) throw new DataError(`Only ${n} rows: the test part would be empty; lower the train fraction or add rows.`);
    const out = { ...dataset, partitions };
    howSplit.set(out, how);
    return { data: out };
  },
  summarize: ({ data }, params) => {
    const target = data.roles.target ? getColumn(data.table, data.roles.target) : null;
    const stratified = params.stratify && target !== null && looksLikeClasses(target);
    const how = howSplit.get(data) ?? (params.mode !== 'random' ? `${params.mode} split` : stratified ? 'stratified' : '');
    return { text: `train ${data.partitions!.train.length} / validation ${data.partitions!.validation.length} / test ${data.partitions!.test.length}${how ? ` (${how})` : ''}` };
  },
});
