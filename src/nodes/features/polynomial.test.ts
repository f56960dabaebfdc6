import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import { getColumn } from '../../data/table';
import type { Dataset, NumericColumn } from '../../data/types';
import { applyToRecord } from '../../data/transforms';
import { runNode, sampleTable } from '../data/testing';
import { featuresPolynomial } from './polynomial';

async function iris(): Promise<Dataset> {
  const table = await sampleTable('iris.csv');
  return createDataset(table, 'species', table.columns.slice(0, 4).map((c) => c.name));
}

describe('features.polynomial', () => {
  it('adds squares and products; a record gets the same terms', async () => {
    const { outputs, summary } = await runNode(featuresPolynomial, { inputs: { data: await iris() }, params: { columns: ['sepal length (cm)', 'petal width (cm)'] } });
    const data = outputs.data as Dataset;
    expect(data.roles.features.slice(4)).toEqual(['sepal length (cm)^2', 'sepal length (cm)*petal width (cm)', 'petal width (cm)^2']);
    expect((getColumn(data.table, 'sepal length (cm)*petal width (cm)') as NumericColumn).values[0]).toBeCloseTo(5.1 * 0.2, 12);
    expect(summary?.text).toBe('added 3 polynomial terms (degree 2); 7 features');
    const { features } = applyToRecord(data.transforms, data.rawSchema, { 'sepal length (cm)': 5.1, 'sepal width (cm)': 3.5, 'petal length (cm)': 1.4, 'petal width (cm)': 0.2 });
    expect(features[5]).toBeCloseTo(5.1 * 0.2, 12);
  });

  it('interaction-only degree 3 over 4 columns adds 6 + 4 terms', async () => {
    const { outputs } = await runNode(featuresPolynomial, { inputs: { data: await iris() }, params: { degree: 3, interactionOnly: true } });
    expect((outputs.data as Dataset).roles.features).toHaveLength(14);
  });

  it('refuses a category column and a single interaction column', async () => {
    const table = await sampleTable('penguins.csv');
    const penguins = createDataset(table, 'Species', ['Island', 'Body Mass (g)']);
    await expect(runNode(featuresPolynomial, { inputs: { data: penguins }, params: { columns: ['Island'] } })).rejects.toThrow(/"Island" is category, but polynomial terms needs numbers/);
    await expect(runNode(featuresPolynomial, { inputs: { data: penguins }, params: { columns: ['Body Mass (g)'], interactionOnly: true } })).rejects.toThrow(/at least 2 columns/);
  });
});
