import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appendTransform, createDataset, keepRows, targetVector, toFeatureMatrix } from '../dataset';
import { parseDelimited, parseJson } from '../parse';
import { cellValue, getColumn, selectRows } from '../table';
import type { Dataset, NumericColumn, Table } from '../types';
import {
  applyToRecord,
  applyTransforms,
  fitBins,
  fitEncode,
  fitImpute,
  fitPca,
  fitScale,
  polynomialTerms,
  RecordError,
  symmetricEigen,
  UNKNOWN_CODE,
} from './index';

const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../../../public/samples/${name}`, import.meta.url)));

async function penguins(): Promise<Dataset> {
  const { table } = await parseDelimited(sample('penguins.csv'));
  const features = table.columns.map((c) => c.name).filter((n) => n !== 'Species');
  return createDataset(table, 'Species', features);
}

function withTrain(dataset: Dataset, train: number[]): Dataset {
  return { ...dataset, partitions: { train: Uint32Array.from(train), validation: new Uint32Array(), test: new Uint32Array() } };
}

describe('fitted steps learn on the training rows only', () => {
  it('the standard scaler mean equals the train rows mean, not all rows', async () => {
    const { table } = await parseDelimited(sample('iris.csv'));
    const train = Array.from({ length: 50 }, (_, i) => i); // setosa only
    const state = fitScale(table, Uint32Array.from(train), ['petal length (cm)'], 'standard');
    const values = (getColumn(table, 'petal length (cm)') as NumericColumn).values;
    const trainMean = train.reduce((a, r) => a + values[r], 0) / train.length;
    const allMean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(state.centers[0]).toBeCloseTo(trainMean, 12);
    expect(Math.abs(state.centers[0] - allMean)).toBeGreaterThan(1);
    const scaled = applyTransforms([{ kind: 'scale', fittedOn: 'train', state: { ...state } }], selectRows(table, Uint32Array.from(train)));
    const out = (getColumn(scaled, 'petal length (cm)') as NumericColumn).values;
    expect(out.reduce((a, b) => a + b, 0) / out.length).toBeCloseTo(0, 10);
  });

  it('min-max and robust scalers use train extremes / quartiles', () => {
    const table: Table = { rowCount: 5, columns: [{ name: 'x', dtype: 'number', values: Float64Array.of(1, 2, 3, 4, 100) }] };
    const minmax = fitScale(table, Uint32Array.of(0, 1, 2, 3), ['x'], 'minmax');
    expect([minmax.centers[0], minmax.scales[0]]).toEqual([1, 3]);
    const robust = fitScale(table, Uint32Array.of(0, 1, 2, 3, 4), ['x'], 'robust');
    expect([robust.centers[0], robust.scales[0]]).toEqual([3, 2]);
  });

  it('mean imputation uses the train rows and fills every row', () => {
    const table: Table = { rowCount: 4, columns: [{ name: 'x', dtype: 'number', values: Float64Array.of(1, 3, NaN, 100) }] };
    const state = fitImpute(table, Uint32Array.of(0, 1, 2), ['x'], 'mean', '');
    expect(state.fills).toEqual([2]);
    const out = applyTransforms([{ kind: 'impute', fittedOn: 'train', state: { ...state } }], table);
    expect(Array.from((getColumn(out, 'x') as NumericColumn).values)).toEqual([1, 3, 2, 100]);
  });

  it('imputation refuses an all-missing column and mean of a category', async () => {
    const table: Table = {
      rowCount: 2,
      columns: [
        { name: 'x', dtype: 'number', values: Float64Array.of(NaN, NaN) },
        { name: 'c', dtype: 'category', codes: Int32Array.of(0, -1), categories: ['a'] },
      ],
    };
    expect(() => fitImpute(table, Uint32Array.of(0, 1), ['x'], 'median', '')).toThrow(/"x" has no values on the training rows/);
    expect(() => fitImpute(table, Uint32Array.of(0, 1), ['c'], 'mean', '')).toThrow(/"c" is category: mean needs numbers/);
    expect(fitImpute(table, Uint32Array.of(0, 1), ['c'], 'most_frequent', '').fills).toEqual(['a']);
  });

  it('encoders learn categories from train rows only', async () => {
    const ds = await penguins();
    const islands = getColumn(ds.table, 'Island');
    const train = Array.from({ length: ds.table.rowCount }, (_, i) => i).filter((r) => cellValue(islands, r) !== 'Biscoe');
    const state = fitEncode(ds.table, Uint32Array.from(train), ['Island'], 'onehot');
    expect(state.categories[0]).toEqual(['Dream', 'Torgersen']);
  });
});

describe('transform chain: one raw record equals the batch result for that row', () => {
  it('impute → one-hot → scale → polynomial → PCA on penguins', async () => {
    let ds = withTrain(await penguins(), Array.from({ length: 200 }, (_, i) => i * 1 + 40));
    const numeric = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'];
    ds = appendTransform(ds, { kind: 'impute', fittedOn: 'train', state: { ...fitImpute(ds.table, ds.partitions!.train, numeric, 'median', '') } });
    ds = appendTransform(ds, { kind: 'impute', fittedOn: 'train', state: { ...fitImpute(ds.table, ds.partitions!.train, ['Sex'], 'most_frequent', '') } });
    ds = appendTransform(ds, { kind: 'onehot', fittedOn: 'train', state: { ...fitEncode(ds.table, ds.partitions!.train, ['Island', 'Sex'], 'onehot') } });
    ds = appendTransform(ds, { kind: 'scale', fittedOn: 'train', state: { ...fitScale(ds.table, ds.partitions!.train, numeric, 'standard') } });
    ds = appendTransform(ds, { kind: 'polynomial', fittedOn: 'train', state: { columns: numeric.slice(0, 2), degree: 2, interactionOnly: false } });
    ds = appendTransform(ds, { kind: 'bin', fittedOn: 'train', state: { ...fitBins(ds.table, ds.partitions!.train, ['Body Mass (g)'], 4, 'quantile') } });
    ds = appendTransform(ds, { kind: 'pca', fittedOn: 'train', state: { ...fitPca(ds.table, ds.partitions!.train, numeric.slice(0, 3), 2, 0) } });
    expect(ds.rawSchema.map((s) => s.name)).toEqual(['Island', ...numeric, 'Sex']);
    const { x, nFeatures, featureNames } = toFeatureMatrix(ds);
    const { table: raw } = await parseDelimited(sample('penguins.csv'));
    for (const row of [0, 3, 100, 343]) {
      const record: Record<string, unknown> = {};
      for (const column of raw.columns) record[column.name] = cellValue(column, row);
      const { features, names } = applyToRecord(ds.transforms, ds.rawSchema, record, featureNames);
      expect(names).toEqual(featureNames);
      const batch = Array.from(x.subarray(row * nFeatures, (row + 1) * nFeatures));
      Array.from(features).forEach((v, j) => expect(v).toBeCloseTo(batch[j], 4));
    }
    // Without featureNames the output columns are exactly the features, in order.
    const record = { Island: 'Dream', 'Beak Length (mm)': 40, 'Beak Depth (mm)': 18, 'Flipper Length (mm)': 190, 'Body Mass (g)': 3800, Sex: 'MALE' };
    expect(applyToRecord(ds.transforms, ds.rawSchema, record).names).toEqual(featureNames);
  });

  it('an unseen category: one-hot gives all zeros with a warning; ordinal gives the unknown code', async () => {
    const ds = await penguins();
    const rows = Uint32Array.from({ length: ds.table.rowCount }, (_, i) => i);
    const onehot = [{ kind: 'onehot', fittedOn: 'train' as const, state: { ...fitEncode(ds.table, rows, ['Island'], 'onehot') } }];
    const schema = [{ name: 'Island', dtype: 'category' as const }];
    const seen = applyToRecord(onehot, schema, { Island: 'Dream' });
    expect(Array.from(seen.features)).toEqual([0, 1, 0]);
    const unseen = applyToRecord(onehot, schema, { Island: 'Atlantis' });
    expect(Array.from(unseen.features)).toEqual([0, 0, 0]);
    expect(unseen.warnings.join(' ')).toMatch(/"Atlantis"/);
    const ordinal = [{ kind: 'ordinal', fittedOn: 'train' as const, state: { ...fitEncode(ds.table, rows, ['Island'], 'ordinal') } }];
    expect(Array.from(applyToRecord(ordinal, schema, { Island: 'Torgersen' }).features)).toEqual([2]);
    expect(Array.from(applyToRecord(ordinal, schema, { Island: 'Atlantis' }).features)).toEqual([UNKNOWN_CODE]);
  });

  it('missing or mistyped fields throw a RecordError naming each field', () => {
    const schema = [
      { name: 'a', dtype: 'number' as const },
      { name: 'b', dtype: 'number' as const },
      { name: 'when', dtype: 'datetime' as const },
      { name: 'ok', dtype: 'boolean' as const },
    ];
    try {
      applyToRecord([], schema, { a: 'abc', when: 'yesterday', ok: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RecordError);
      expect((error as RecordError).fields).toEqual({
        a: 'must be a number (got "abc")',
        b: 'is required',
        when: 'must be a date like 2024-01-31 (got "yesterday")',
        ok: 'must be true or false (got "maybe")',
      });
    }
    // Numeric strings are accepted (form fields arrive as text).
    expect(Array.from(applyToRecord([], schema, { a: '1.5', b: 2, when: '2020-01-01', ok: true }).features)).toEqual([1.5, 2, Date.UTC(2020, 0, 1), 1]);
  });

  it('a field an impute step covers may be left out of a record', () => {
    const chain = [{ kind: 'impute', fittedOn: 'train' as const, state: { columns: ['a'], strategy: 'mean', fills: [7] } }];
    expect(Array.from(applyToRecord(chain, [{ name: 'a', dtype: 'number' }], {}).features)).toEqual([7]);
  });
});

describe('feature matrix and target', () => {
  it('refuses a category feature, naming it and the Encode node', async () => {
    const ds = await penguins();
    expect(() => toFeatureMatrix(ds)).toThrow(/Feature "Island" is category: add an Encode categories node/);
  });

  it('refuses missing feature values, naming the column', async () => {
    const ds = await penguins();
    const numericOnly = { ...ds, roles: { ...ds.roles, features: ['Beak Length (mm)'] } };
    expect(() => toFeatureMatrix(numericOnly)).toThrow(/"Beak Length \(mm\)" has missing values .*Missing values node/);
  });

  it('builds row-major float32 rows for the selected rows and class targets', async () => {
    const { table } = await parseDelimited(sample('iris.csv'));
    const ds = createDataset(table, 'species', table.columns.slice(0, 4).map((c) => c.name));
    const { x, nRows, nFeatures } = toFeatureMatrix(ds, [0, 149]);
    expect([nRows, nFeatures]).toEqual([2, 4]);
    expect(Array.from(x.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    const target = targetVector(ds, [0, 149]);
    expect(target.task).toBe('classification');
    expect(target.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(target.y)).toEqual([0, 2]);
  });

  it('gives a regression target for cars mpg and refuses missing targets', async () => {
    const { table } = await parseJson(sample('cars.json'));
    const ds = createDataset(table, 'Miles_per_Gallon', ['Horsepower']);
    expect(() => targetVector(ds)).toThrow(/Target "Miles_per_Gallon" is missing at row/);
    expect(targetVector(ds, [0]).task).toBe('regression');
  });

  it('keepRows renumbers partitions', async () => {
    const { table } = await parseDelimited(sample('iris.csv'));
    const ds = { ...createDataset(table, 'species', []), partitions: { train: Uint32Array.of(0, 2, 4), validation: Uint32Array.of(1), test: Uint32Array.of(3) } };
    const kept = keepRows(ds, Uint32Array.of(1, 2, 3));
    expect(kept.table.rowCount).toBe(3);
    expect(Array.from(kept.partitions!.train)).toEqual([1]);
    expect(Array.from(kept.partitions!.validation)).toEqual([0]);
    expect(Array.from(kept.partitions!.test)).toEqual([2]);
  });
});

describe('math helpers', () => {
  it('symmetricEigen recovers the eigenvalues of a known matrix', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    expect([...values].sort()).toEqual([expect.closeTo(1, 10), expect.closeTo(3, 10)]);
    const i = values[0] > values[1] ? 0 : 1;
    expect(Math.abs(vectors[0][i])).toBeCloseTo(Math.SQRT1_2, 10);
  });

  it('PCA on digits keeps the fewest components reaching the variance target', async () => {
    const { table } = await parseDelimited(sample('digits.csv'));
    const pixels = table.columns.slice(0, 64).map((c) => c.name);
    const rows = Uint32Array.from({ length: table.rowCount }, (_, i) => i);
    const state = fitPca(table, rows, pixels, 0, 0.8);
    const kept = state.explained.reduce((a, b) => a + b, 0);
    expect(kept).toBeGreaterThanOrEqual(0.8);
    expect(kept - state.explained.at(-1)!).toBeLessThan(0.8);
    expect(state.components.length).toBeLessThan(30);
    // Components are orthonormal.
    const dot = state.components[0].reduce((a, v, j) => a + v * state.components[1][j], 0);
    expect(dot).toBeCloseTo(0, 8);
  });

  it('polynomial terms of 3 columns, degree 2', () => {
    expect(polynomialTerms(3, 2, false)).toHaveLength(6);
    expect(polynomialTerms(3, 2, true)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });
});
