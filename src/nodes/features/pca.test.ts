import { describe, expect, it } from 'vitest';
import { createDataset, toFeatureMatrix } from '../../data/dataset';
import type { Dataset } from '../../data/types';
import { applyToRecord } from '../../data/transforms';
import { cellValue } from '../../data/table';
import { runNode, sampleTable } from '../data/testing';
import { prepSplit } from '../prep/split';
import { featuresPca } from './pca';

describe('features.pca', () => {
  it('reduces digits to the components keeping 90% of the train variance; a record matches its batch row', async () => {
    const table = await sampleTable('digits.csv');
    const pixels = table.columns.slice(0, 64).map((c) => c.name);
    const split = (await runNode(prepSplit, { inputs: { data: createDataset(table, 'target', pixels) }, params: { stratify: false } })).outputs.data as Dataset;
    const { outputs, summary } = await runNode(featuresPca, { inputs: { data: split }, params: { varianceKept: 0.9 } });
    const data = outputs.data as Dataset;
    const k = data.roles.features.length;
    expect(k).toBeGreaterThan(5);
    expect(k).toBeLessThan(64);
    expect(data.roles.features[0]).toBe('pc1');
    expect(summary?.text).toMatch(new RegExp(`^PCA 64 → ${k} components, 9\\d\\.\\d% of variance \\(fitted on train\\)$`));
    const row = data.partitions!.test[0];
    const record = Object.fromEntries(table.columns.map((c) => [c.name, cellValue(c, row)]));
    const { features } = applyToRecord(data.transforms, data.rawSchema, record, data.roles.features);
    const { x } = toFeatureMatrix(data, [row]);
    Array.from(features).forEach((v, j) => expect(v).toBeCloseTo(x[j], 3));
  });

  it('a fixed number of components; refuses missing values', async () => {
    const iris = await sampleTable('iris.csv');
    const data = createDataset(iris, 'species', iris.columns.slice(0, 4).map((c) => c.name));
    const { outputs } = await runNode(featuresPca, { inputs: { data }, params: { components: 2 } });
    expect((outputs.data as Dataset).roles.features).toEqual(['pc1', 'pc2']);
    const penguins = await sampleTable('penguins.csv');
    const gappy = createDataset(penguins, 'Species', ['Beak Length (mm)', 'Body Mass (g)']);
    await expect(runNode(featuresPca, { inputs: { data: gappy } })).rejects.toThrow(/"Beak Length \(mm\)" has missing values: impute them/);
  });
});
