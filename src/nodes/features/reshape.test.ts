import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import type { Dataset } from '../../data/types';
import { runNode, sampleTable } from '../data/testing';
import { featuresReshape, imageShape } from './reshape';

describe('features.reshape', () => {
  it('marks the 64 digit pixels as 8×8×1 images', async () => {
    const table = await sampleTable('digits.csv');
    const data = createDataset(table, 'target', table.columns.slice(0, 64).map((c) => c.name));
    const { outputs, summary } = await runNode(featuresReshape, { inputs: { data } });
    expect((outputs.data as Dataset).featureShape).toEqual([8, 8, 1]);
    expect(summary?.text).toBe('64 features → 8×8×1 images');
  });

  it('checks explicit shapes and refuses non-square or non-numeric features', async () => {
    expect(imageShape(12, 3, 4, 1)).toEqual([3, 4, 1]);
    expect(imageShape(48, 0, 0, 3)).toEqual([4, 4, 3]);
    expect(() => imageShape(12, 3, 3, 1)).toThrow(/3×3×1 = 9, but there are 12 features/);
    expect(() => imageShape(10, 0, 0, 1)).toThrow(/not a square image/);
    const penguins = await sampleTable('penguins.csv');
    await expect(runNode(featuresReshape, { inputs: { data: createDataset(penguins, 'Species', ['Island']) } })).rejects.toThrow(/"Island" is category/);
  });
});
