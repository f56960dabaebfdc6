import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import { getColumn } from '../../data/table';
import type { Dataset, NumericColumn } from '../../data/types';
import { applyToRecord } from '../../data/transforms';
import { runNode, sampleTable } from '../data/testing';
import { prepSplit } from '../prep/split';
import { featuresBin } from './bin';

describe('features.bin', () => {
  it('quantile bins learned on train hold about equal counts; records fall into the same bins', async () => {
    const table = await sampleTable('penguins.csv');
    const raw = createDataset(table, 'Species', ['Body Mass (g)', 'Island']);
    const split = (await runNode(prepSplit, { inputs: { data: raw } })).outputs.data as Dataset;
    const { outputs, summary } = await runNode(featuresBin, { inputs: { data: split }, params: { bins: 4, columns: ['Body Mass (g)'] } });
    const data = outputs.data as Dataset;
    const binned = (getColumn(data.table, 'Body Mass (g)') as NumericColumn).values;
    const counts = [0, 0, 0, 0];
    for (const r of data.partitions!.train) if (!Number.isNaN(binned[r])) counts[binned[r]]++;
    for (const c of counts) expect(c).toBeGreaterThan(40);
    expect(summary?.text).toBe('binned 1 column into ≤ 4 quantile bins (fitted on train)');
    const edges = (data.transforms[0].state.edges as number[][])[0];
    const served = applyToRecord(data.transforms, data.rawSchema.filter((s) => s.name === 'Body Mass (g)'), { 'Body Mass (g)': edges[1] }, ['Body Mass (g)']);
    expect(served.features[0]).toBe(2);
    expect(applyToRecord(data.transforms, [{ name: 'Body Mass (g)', dtype: 'number' }], { 'Body Mass (g)': 1e9 }, ['Body Mass (g)']).features[0]).toBe(3);
  });

  it('requires columns', async () => {
    const table = await sampleTable('iris.csv');
    await expect(runNode(featuresBin, { inputs: { data: createDataset(table, 'species', ['sepal length (cm)']) } })).rejects.toThrow(/choose the columns to bin/);
  });
});
