import { describe, expect, it } from 'vitest';
import { appendTransform, createDataset, fitRows } from '../data/dataset';
import { fitEncode, fitImpute, fitPca, fitScale } from '../data/transforms';
import type { Dataset, Table } from '../data/types';
import { buildReference } from './reference';
import { rawTable, trainingReference } from './train-reference';

function rawData(): Table {
  const n = 60;
  const x = Float64Array.from({ length: n }, (_, i) => (i * 7) % 23);
  const y = Float64Array.from({ length: n }, (_, i) => (i % 9 === 0 ? NaN : 100 + i * 3));
  const colours = ['red', 'green', 'blue'];
  return {
    rowCount: n,
    columns: [
      { name: 'x', dtype: 'number', values: x },
      { name: 'y', dtype: 'number', values: y },
      { name: 'colour', dtype: 'category', codes: Int32Array.from({ length: n }, (_, i) => (i * 5) % 3), categories: colours },
      { name: 'label', dtype: 'category', codes: Int32Array.from({ length: n }, (_, i) => i % 2), categories: ['no', 'yes'] },
    ],
  };
}

function withSplit(dataset: Dataset): Dataset {
  const train = Uint32Array.from({ length: 45 }, (_, i) => i);
  return { ...dataset, partitions: { train, validation: new Uint32Array(), test: Uint32Array.from({ length: 15 }, (_, i) => 45 + i) } };
}

function step(dataset: Dataset, kind: string, state: object): Dataset {
  return appendTransform(dataset, { kind, fittedOn: fitRows(dataset).fittedOn, state: state as Record<string, unknown> });
}

describe('trainingReference', () => {
  it('profiles raw values after scaling, imputing and one-hot encoding', () => {
    const raw = rawData();
    let dataset = withSplit(createDataset(raw, 'label', ['x', 'y', 'colour']));
    const rows = dataset.partitions!.train;
    dataset = step(dataset, 'impute', fitImpute(dataset.table, rows, ['y'], 'median', ''));
    dataset = step(dataset, 'scale', fitScale(dataset.table, rows, ['x', 'y'], 'standard'));
    dataset = step(dataset, 'onehot', fitEncode(dataset.table, rows, ['colour'], 'onehot'));
    expect(dataset.table.columns.map((c) => c.name)).toContain('colour=red');

    const restored = rawTable(dataset);
    const x = restored.columns.find((c) => c.name === 'x');
    expect(x?.dtype).toBe('number');
    if (x?.dtype === 'number') Array.from(x.values).forEach((v, i) => expect(v).toBeCloseTo((raw.columns[0] as { values: Float64Array }).values[i], 9));
    const colour = restored.columns.find((c) => c.name === 'colour');
    expect(colour?.dtype).toBe('category');
    if (colour?.dtype === 'category') expect(Array.from(colour.codes, (c) => colour.categories[c])).toEqual(Array.from((raw.columns[2] as { codes: Int32Array }).codes, (c) => ['red', 'green', 'blue'][c]));

    const profile = trainingReference(dataset);
    const expected = buildReference(raw, rows, dataset.rawSchema);
    expect(profile.features.map((f) => f.name)).toEqual(['x', 'y', 'colour', 'label']);
    const [px, , pc] = profile.features;
    const [ex, , ec] = expected.features;
    expect(px.kind === 'numeric' && ex.kind === 'numeric' && px.edges.map((e) => e.toFixed(6))).toEqual(ex.kind === 'numeric' && ex.edges.map((e) => e.toFixed(6)));
    expect(pc).toMatchObject({ kind: 'categorical', fractions: (ec as { fractions: number[] }).fractions });
    expect(profile.rowCount).toBe(45);
  });

  it('leaves out what PCA consumed instead of profiling components as raw fields', () => {
    let dataset = withSplit(createDataset(rawData(), 'label', ['x', 'y', 'colour']));
    const rows = dataset.partitions!.train;
    dataset = step(dataset, 'impute', fitImpute(dataset.table, rows, ['y'], 'mean', ''));
    dataset = step(dataset, 'pca', fitPca(dataset.table, rows, ['x', 'y'], 1, 1));
    const profile = trainingReference(dataset);
    expect(profile.features.map((f) => f.name)).toEqual(['colour', 'label']);
  });

  it('profiles every row when there is no split, and the target (for the prediction distribution)', () => {
    const dataset = createDataset(rawData(), 'label', ['x', 'y', 'colour']);
    const profile = trainingReference(dataset);
    expect(profile.rowCount).toBe(60);
    expect(profile.features.find((f) => f.name === 'label')).toMatchObject({ kind: 'categorical', categories: ['no', 'yes'], fractions: [0.5, 0.5] });
  });
});
