import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import { applyToRecord } from '../../data/transforms';
import { getColumn } from '../../data/table';
import type { Dataset, NumericColumn } from '../../data/types';
import { runNode, sampleTable } from '../data/testing';
import { prepScale } from './scale';
import { prepSplit } from './split';

async function splitIris(): Promise<{ raw: Dataset; split: Dataset }> {
  const table = await sampleTable('iris.csv');
  const raw = createDataset(table, 'species', table.columns.slice(0, 4).map((c) => c.name));
  return { raw, split: (await runNode(prepSplit, { inputs: { data: raw } })).outputs.data as Dataset };
}

describe('prep.scale', () => {
  it("learns the train rows' mean, not all rows'", async () => {
    const { raw, split } = await splitIris();
    const { outputs, summary } = await runNode(prepScale, { inputs: { data: split } });
    const data = outputs.data as Dataset;
    const step = data.transforms[0];
    expect(step).toMatchObject({ kind: 'scale', fittedOn: 'train', nodeId: 'node-1' });
    const values = (getColumn(raw.table, 'sepal length (cm)') as NumericColumn).values;
    const train = Array.from(split.partitions!.train);
    const trainMean = train.reduce((a, r) => a + values[r], 0) / train.length;
    const allMean = values.reduce((a, b) => a + b, 0) / values.length;
    expect((step.state.centers as number[])[0]).toBeCloseTo(trainMean, 12);
    expect((step.state.centers as number[])[0]).not.toBeCloseTo(allMean, 6);
    // Train rows now have mean 0 and std 1; the scaled values of other rows use the same centre.
    const scaled = (getColumn(data.table, 'sepal length (cm)') as NumericColumn).values;
    expect(train.reduce((a, r) => a + scaled[r], 0) / train.length).toBeCloseTo(0, 10);
    expect(summary?.text).toBe('scaled 4 columns (standard, fitted on train)');
    // One raw record through the chain equals the batch row.
    const row = split.partitions!.test[0];
    const record = Object.fromEntries(raw.table.columns.map((c) => [c.name, c.dtype === 'category' ? c.categories[c.codes[row]] : (c as NumericColumn).values[row]]));
    const { features } = applyToRecord(data.transforms, data.rawSchema, record, data.roles.features);
    expect(Array.from(features)).toEqual(data.roles.features.map((f) => (getColumn(data.table, f) as NumericColumn).values[row]));
  });

  it('before a split, fits on all rows and says so', async () => {
    const { raw } = await splitIris();
    const { outputs, summary } = await runNode(prepScale, { inputs: { data: raw }, params: { method: 'minmax' } });
    expect((outputs.data as Dataset).transforms[0].fittedOn).toBe('all');
    expect(summary?.text).toMatch(/fitted on ALL rows: no split yet/);
  });

  it('refuses a category column and the target', async () => {
    const { split } = await splitIris();
    await expect(runNode(prepScale, { inputs: { data: split }, params: { columns: ['species'] } })).rejects.toThrow(/is the target/);
    const table = await sampleTable('penguins.csv');
    const penguins = createDataset(table, 'Species', ['Island', 'Beak Length (mm)']);
    await expect(runNode(prepScale, { inputs: { data: penguins }, params: { columns: ['Island'] } })).rejects.toThrow(/"Island" is category, but scaling needs numbers/);
  });

  it('scales datetime features by default (epoch ms would swamp the rest) but leaves one-hot booleans alone', async () => {
    const table = await sampleTable('cars.json');
    const cars = createDataset(table, 'Miles_per_Gallon', ['Horsepower', 'Year']);
    const { outputs } = await runNode(prepScale, { inputs: { data: cars } });
    const year = getColumn((outputs.data as Dataset).table, 'Year') as NumericColumn;
    expect(year.dtype).toBe('number');
    expect(Math.max(...Array.from(year.values).map(Math.abs))).toBeLessThan(5);
  });
});

