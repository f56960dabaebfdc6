import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import { getColumn } from '../../data/table';
import type { CategoryColumn, Dataset, NumericColumn } from '../../data/types';
import { runNode, sampleTable } from '../data/testing';
import { looksLikeClasses, prepSplit } from './split';

async function iris(): Promise<Dataset> {
  const table = await sampleTable('iris.csv');
  return createDataset(table, 'species', table.columns.slice(0, 4).map((c) => c.name));
}

describe('prep.split', () => {
  it('splits 70/15/15, stratified: each class keeps its proportion and no row is in two parts', async () => {
    const { outputs, summary } = await runNode(prepSplit, { inputs: { data: await iris() } });
    const parts = (outputs.data as Dataset).partitions!;
    expect([parts.train.length, parts.validation.length, parts.test.length]).toEqual([105, 24, 21]);
    const all = new Set([...parts.train, ...parts.validation, ...parts.test]);
    expect(all.size).toBe(150);
    const species = getColumn((outputs.data as Dataset).table, 'species') as CategoryColumn;
    const perClass = [0, 1, 2].map((k) => Array.from(parts.train).filter((r) => species.codes[r] === k).length);
    expect(perClass).toEqual([35, 35, 35]);
    expect(summary?.text).toBe('train 105 / validation 24 / test 21 (stratified)');
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const data = await iris();
    const a = (await runNode(prepSplit, { inputs: { data }, seed: 7 })).outputs.data as Dataset;
    const b = (await runNode(prepSplit, { inputs: { data }, seed: 7 })).outputs.data as Dataset;
    const c = (await runNode(prepSplit, { inputs: { data }, seed: 8 })).outputs.data as Dataset;
    expect(Array.from(a.partitions!.test)).toEqual(Array.from(b.partitions!.test));
    expect(Array.from(a.partitions!.test)).not.toEqual(Array.from(c.partitions!.test));
  });

  it('refuses fractions that do not add up to 1, and a second split', async () => {
    const data = await iris();
    await expect(runNode(prepSplit, { inputs: { data }, params: { train: 0.8, validation: 0.3, test: 0 } })).rejects.toThrow(/add up to 1/);
    const once = (await runNode(prepSplit, { inputs: { data } })).outputs.data;
    await expect(runNode(prepSplit, { inputs: { data: once } })).rejects.toThrow(/already split/);
  });

  it('refuses a split that leaves the test part empty', async () => {
    const table = await sampleTable('iris.csv');
    const tiny = createDataset({ ...table, rowCount: 1, columns: table.columns.map((c) => (c.dtype === 'category' ? { ...c, codes: c.codes.slice(0, 1) } : c.dtype === 'text' ? c : { ...c, values: c.values.slice(0, 1) })) }, 'species', ['sepal length (cm)']);
    await expect(runNode(prepSplit, { inputs: { data: tiny }, params: { train: 0.5, validation: 0, test: 0.5 } })).rejects.toThrow(/test part would be empty/);
  });

  it('stratifies a whole-number class target (digits 0–9) and not a continuous one', async () => {
    const table = await sampleTable('digits.csv');
    const digits = createDataset(table, 'target', table.columns.slice(0, 64).map((c) => c.name));
    const parts = ((await runNode(prepSplit, { inputs: { data: digits } })).outputs.data as Dataset).partitions!;
    const target = getColumn(table, 'target') as NumericColumn;
    const perClass = Array.from({ length: 10 }, (_, k) => Array.from(parts.test).filter((r) => target.values[r] === k).length);
    for (const count of perClass) expect(count).toBeGreaterThanOrEqual(26);
    expect(looksLikeClasses(getColumn(await sampleTable('cars.json'), 'Acceleration'))).toBe(false);
  });

  it('does not call the split of a numeric (regression) target stratified', async () => {
    const table = await sampleTable('cars.json');
    const features = table.columns.filter((c) => c.dtype === 'number' && c.name !== 'Acceleration').map((c) => c.name);
    const cars = createDataset(table, 'Acceleration', features);
    const { summary } = await runNode(prepSplit, { inputs: { data: cars } });
    expect(summary?.text).toMatch(/^train \d+ \/ validation \d+ \/ test \d+$/);
  });
});
