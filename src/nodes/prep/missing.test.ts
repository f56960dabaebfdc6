import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import { parseDelimited } from '../../data/parse';
import { getColumn } from '../../data/table';
import type { Dataset, NumericColumn } from '../../data/types';
import { applyTransforms, recordToTable } from '../../data/transforms';
import { runNode, sampleTable } from '../data/testing';
import { prepMissing } from './missing';
import { prepSplit } from './split';

async function penguins(): Promise<Dataset> {
  const table = await sampleTable('penguins.csv');
  return createDataset(table, 'Species', table.columns.map((c) => c.name).filter((n) => n !== 'Species'));
}

describe('prep.missing', () => {
  it('imputes the median of the train rows into every feature with gaps', async () => {
    const split = (await runNode(prepSplit, { inputs: { data: await penguins() } })).outputs.data as Dataset;
    const { outputs, summary } = await runNode(prepMissing, { inputs: { data: split }, params: { columns: ['Body Mass (g)'] } });
    const data = outputs.data as Dataset;
    const mass = (getColumn(split.table, 'Body Mass (g)') as NumericColumn).values;
    const train = Array.from(split.partitions!.train).map((r) => mass[r]).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const median = train.length % 2 ? train[(train.length - 1) / 2] : (train[train.length / 2 - 1] + train[train.length / 2]) / 2;
    expect(data.transforms[0].state.fills).toEqual([median]);
    expect(Array.from((getColumn(data.table, 'Body Mass (g)') as NumericColumn).values).some(Number.isNaN)).toBe(false);
    expect(summary?.text).toBe('imputed 1 column (median, fitted on train)');
    // A serving record may now leave that field out.
    const record = { Island: 'Dream', 'Beak Length (mm)': 40, 'Beak Depth (mm)': 18, 'Flipper Length (mm)': 190, Sex: 'MALE' };
    const served = applyTransforms(data.transforms, recordToTable(data.transforms, data.rawSchema, record));
    expect((getColumn(served, 'Body Mass (g)') as NumericColumn).values[0]).toBe(median);
  });

  it('defaults to the features that have gaps; most frequent fills categories', async () => {
    const { outputs, summary } = await runNode(prepMissing, { inputs: { data: await penguins() }, params: { strategy: 'most frequent' } });
    const data = outputs.data as Dataset;
    expect(data.transforms[0].state.columns).toEqual(['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex']);
    expect(data.transforms[0].state.fills).toContain('MALE');
    expect(summary?.text).toMatch(/imputed 5 columns \(most frequent, fitted on ALL rows/);
  });

  it('drops rows with missing values and renumbers partitions', async () => {
    const split = (await runNode(prepSplit, { inputs: { data: await penguins() } })).outputs.data as Dataset;
    const { outputs, summary } = await runNode(prepMissing, { inputs: { data: split }, params: { strategy: 'drop rows' } });
    const data = outputs.data as Dataset;
    expect(data.table.rowCount).toBe(333);
    expect(data.partitions!.train.length + data.partitions!.validation.length + data.partitions!.test.length).toBe(333);
    expect(data.transforms).toEqual([]);
    expect(summary?.text).toBe('dropped 11 rows with missing values; 333 left');
  });

  it('refuses to impute an all-missing column or the mean of a category', async () => {
    const { table } = await parseDelimited('x,empty,c,y\n1,,a,p\n2,,,q\n');
    const data = createDataset(table, 'y', ['x', 'empty', 'c']);
    await expect(runNode(prepMissing, { inputs: { data }, params: { strategy: 'mean', columns: ['empty'] } })).rejects.toThrow(/"empty" has no values on the training rows/);
    await expect(runNode(prepMissing, { inputs: { data }, params: { strategy: 'mean', columns: ['c'] } })).rejects.toThrow(/"c" is category: mean needs numbers/);
    await expect(runNode(prepMissing, { inputs: { data }, params: { strategy: 'constant', columns: ['x'] } })).rejects.toThrow(/give the fill value/);
  });
});
