import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import type { Dataset } from '../../data/types';
import { applyToRecord } from '../../data/transforms';
import { runNode, sampleTable } from '../data/testing';
import { prepColumns } from './columns';

async function cars(): Promise<Dataset> {
  const table = await sampleTable('cars.json');
  return createDataset(table, 'Miles_per_Gallon', table.columns.map((c) => c.name).filter((n) => n !== 'Miles_per_Gallon'));
}

describe('prep.columns', () => {
  it('drops columns from the features and from what a serving record must carry', async () => {
    const { outputs, summary } = await runNode(prepColumns, { inputs: { data: await cars() }, params: { columns: ['Name', 'Year', 'Origin'] } });
    const data = outputs.data as Dataset;
    expect(data.roles.features).toEqual(['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration']);
    expect(data.rawSchema.map((s) => s.name)).toEqual(data.roles.features);
    expect(summary?.text).toBe('dropped 3 columns; 5 features left');
    const { names } = applyToRecord(data.transforms, data.rawSchema, { Cylinders: 4, Displacement: 100, Horsepower: 90, Weight_in_lbs: 2000, Acceleration: 15 });
    expect(names).toEqual(data.roles.features);
  });

  it('keep mode keeps only the listed features (and the target)', async () => {
    const { outputs } = await runNode(prepColumns, { inputs: { data: await cars() }, params: { mode: 'keep', columns: ['Horsepower', 'Weight_in_lbs'] } });
    const data = outputs.data as Dataset;
    expect(data.table.columns.map((c) => c.name)).toEqual(['Miles_per_Gallon', 'Horsepower', 'Weight_in_lbs']);
    expect(data.roles.features).toEqual(['Horsepower', 'Weight_in_lbs']);
  });

  it('refuses dropping the target, every feature, or an unknown column', async () => {
    const data = await cars();
    await expect(runNode(prepColumns, { inputs: { data }, params: { columns: ['Miles_per_Gallon'] } })).rejects.toThrow(/is the target/);
    await expect(runNode(prepColumns, { inputs: { data }, params: { mode: 'keep', columns: [] } })).rejects.toThrow(/drop every feature/);
    await expect(runNode(prepColumns, { inputs: { data }, params: { columns: ['mpg'] } })).rejects.toThrow(/No column "mpg"/);
  });
});
