import { describe, expect, it } from 'vitest';
import { createDataset, toFeatureMatrix } from '../../data/dataset';
import { getColumn } from '../../data/table';
import type { Dataset, NumericColumn } from '../../data/types';
import { applyToRecord } from '../../data/transforms';
import { runNode, sampleTable } from '../data/testing';
import { prepEncode } from './encode';
import { prepMissing } from './missing';
import { prepSplit } from './split';

async function penguins(): Promise<Dataset> {
  const table = await sampleTable('penguins.csv');
  const data = createDataset(table, 'Species', table.columns.map((c) => c.name).filter((n) => n !== 'Species'));
  return (await runNode(prepSplit, { inputs: { data } })).outputs.data as Dataset;
}

describe('prep.encode', () => {
  it('one-hot encodes every category feature; the matrix is then trainable after imputing', async () => {
    const imputed = (await runNode(prepMissing, { inputs: { data: await penguins() }, params: { strategy: 'most frequent' } })).outputs.data as Dataset;
    const { outputs, summary } = await runNode(prepEncode, { inputs: { data: imputed } });
    const data = outputs.data as Dataset;
    expect(data.roles.features).toEqual([
      'Island=Biscoe',
      'Island=Dream',
      'Island=Torgersen',
      'Beak Length (mm)',
      'Beak Depth (mm)',
      'Flipper Length (mm)',
      'Body Mass (g)',
      'Sex=FEMALE',
      'Sex=MALE',
    ]);
    expect(summary?.text).toBe('one-hot encoded 2 columns: 6 → 9 features (fitted on train)');
    const { nFeatures, nRows } = toFeatureMatrix(data, data.partitions!.train);
    expect([nRows, nFeatures]).toEqual([data.partitions!.train.length, 9]);
    const unseen = applyToRecord(data.transforms, data.rawSchema, { Island: 'Atlantis', 'Beak Length (mm)': 40, 'Beak Depth (mm)': 18, 'Flipper Length (mm)': 190, 'Body Mass (g)': 4000, Sex: 'FEMALE' });
    expect(Array.from(unseen.features.slice(0, 3))).toEqual([0, 0, 0]);
    expect(unseen.warnings[0]).toMatch(/"Island": 1 value\(s\) not seen in training \("Atlantis"\): one-hot encoded as all zeros/);
  });

  it('ordinal replaces each category by its code (missing stays missing)', async () => {
    const { outputs } = await runNode(prepEncode, { inputs: { data: await penguins() }, params: { method: 'ordinal', columns: ['Sex'] } });
    const sex = getColumn((outputs.data as Dataset).table, 'Sex') as NumericColumn;
    expect(new Set(Array.from(sex.values).filter((v) => !Number.isNaN(v)))).toEqual(new Set([0, 1]));
    expect(Array.from(sex.values).filter(Number.isNaN).length).toBe(11);
  });

  it('passes through when there is nothing to encode, and refuses the target', async () => {
    const table = await sampleTable('iris.csv');
    const iris = createDataset(table, 'species', table.columns.slice(0, 4).map((c) => c.name));
    expect((await runNode(prepEncode, { inputs: { data: iris } })).summary?.text).toBe('no category columns to encode');
    await expect(runNode(prepEncode, { inputs: { data: iris }, params: { columns: ['species'] } })).rejects.toThrow(/is the target/);
  });
});
