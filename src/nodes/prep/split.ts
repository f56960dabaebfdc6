import { DataError, getColumn, isMissing } from '../../data/table';
import type { Column, Partitions } from '../../data/types';
import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

/** mulberry32: small, fast, seedable; the same seed gives the same split everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(rows: number[], random: () => number): number[] {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

export function splitRows(groups: number[][], ratios: { train: number; validation: number }, seed: number): Partitions {
  const random = seededRandom(seed);
  const parts = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  for (const group of groups) {
    const rows = shuffle([...group], random);
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

export const prepSplit = defineNode({
  type: 'prep.split',
  version: 1,
  title: 'Split train / validation / test',
  stage: 'prep',
  description: 'Seeded, optionally stratified split. Fitted steps after it learn on the train rows only.',
  inputs: { data: port('dataset') },
  outputs: { data: port('dataset') },
  params: {
    train: p.number(0.7, { min: 0.05, max: 1, step: 0.05, label: 'Train fraction' }),
    validation: p.number(0.15, { min: 0, max: 0.9, step: 0.05, label: 'Validation fraction' }),
    test: p.number(0.15, { min: 0, max: 0.9, step: 0.05, label: 'Test fraction' }),
    stratify: p.boolean(true, { label: 'Stratify by target', help: 'keep class proportions in every part (classification targets)' }),
  },
  check: (params) => (Math.abs(params.train + params.validation + params.test - 1) > 1e-6 ? { train: `fractions must add up to 1 (now ${+(params.train + params.validation + params.test).toFixed(4)})` } : null),
  run: async ({ inputs, params, seed }) => {
    const dataset = inputs.data;
    if (dataset.partitions) throw new DataError('This dataset is already split: use one Split node per pipeline.');
    const total = params.train + params.validation + params.test;
    if (Math.abs(total - 1) > 1e-6) throw new DataError(`Train, validation and test fractions must add up to 1 (they add up to ${+total.toFixed(4)}).`);
    const n = dataset.table.rowCount;
    const target = dataset.roles.target ? getColumn(dataset.table, dataset.roles.target) : null;
    const byClass = params.stratify && target && looksLikeClasses(target);
    let groups: number[][];
    if (byClass) {
      const map = new Map<string | number, number[]>();
      for (let r = 0; r < n; r++) {
        const key = isMissing(target, r) ? 'missing' : target.dtype === 'category' ? target.codes[r] : target.dtype === 'text' ? target.values[r]! : target.values[r];
        const group = map.get(key) ?? [];
        group.push(r);
        map.set(key, group);
      }
      // Groups in a fixed order (first appearance) so the split depends only on data + seed.
      groups = [...map.values()];
    } else {
      groups = [Array.from({ length: n }, (_, i) => i)];
    }
    const partitions = splitRows(groups, params, seed);
    if (partitions.train.length === 0) throw new DataError(`Only ${n} rows: the train part would be empty.`);
    if (params.test > 0 && partitions.test.length === 0) throw new DataError(`Only ${n} rows: the test part would be empty; lower the train fraction or add rows.`);
    return { data: { ...dataset, partitions } };
  },
  summarize: ({ data }, params) => {
    // "(stratified)" only when it was: a numeric (regression) target is split at random.
    const target = data.roles.target ? getColumn(data.table, data.roles.target) : null;
    const stratified = params.stratify && target !== null && looksLikeClasses(target);
    return {
      text: `train ${data.partitions!.train.length} / validation ${data.partitions!.validation.length} / test ${data.partitions!.test.length}${stratified ? ' (stratified)' : ''}`,
    };
  },
});
