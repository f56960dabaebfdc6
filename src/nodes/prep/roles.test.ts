import { describe, expect, it } from 'vitest';
import { parseDelimited } from '../../data/parse';
import type { Dataset } from '../../data/types';
import { runNode, sampleTable } from '../data/testing';
import { prepRoles } from './roles';

describe('prep.roles', () => {
  it('turns iris into a dataset with target species and 4 features', async () => {
    const { outputs, summary } = await runNode(prepRoles, { inputs: { table: await sampleTable('iris.csv') }, params: { target: 'species' } });
    const data = outputs.data as Dataset;
    expect(data.roles.target).toBe('species');
    expect(data.roles.features).toHaveLength(4);
    expect(data.rawSchema.map((s) => s.name)).toEqual(data.roles.features);
    expect(data.partitions).toBeNull();
    expect(data.source.hash).toBe('');
    expect(summary?.text).toBe('target species (3 classes), 4 features, 150 rows');
  });

  it('keeps only the chosen features, in table order', async () => {
    const { outputs } = await runNode(prepRoles, { inputs: { table: await sampleTable('penguins.csv') }, params: { target: 'Species', features: ['Sex', 'Island'] } });
    expect((outputs.data as Dataset).roles.features).toEqual(['Island', 'Sex']);
  });

  it('refuses a single-class target', async () => {
    const { table } = await parseDelimited('x,y\n1,a\n2,a\n3,a\n');
    await expect(runNode(prepRoles, { inputs: { table }, params: { target: 'y' } })).rejects.toThrow(/Target "y" has a single value \("a"\) in every row/);
  });

  it('refuses a target with missing values unless told to drop those rows', async () => {
    const table = await sampleTable('penguins.csv');
    await expect(runNode(prepRoles, { inputs: { table }, params: { target: 'Sex' } })).rejects.toThrow(/Target "Sex" is missing in 11 rows/);
    const { outputs, summary } = await runNode(prepRoles, { inputs: { table }, params: { target: 'Sex', missingTarget: 'drop rows' } });
    expect((outputs.data as Dataset).table.rowCount).toBe(333);
    expect(summary?.text).toMatch(/dropped 11 rows without a target/);
  });

  it('refuses an all-missing feature column, naming it', async () => {
    const { table } = await parseDelimited('x,empty,y\n1,,a\n2,NA,b\n');
    await expect(runNode(prepRoles, { inputs: { table }, params: { target: 'y' } })).rejects.toThrow(/Feature "empty" has no values at all/);
  });

  it('refuses a missing or unknown target and a text target', async () => {
    const table = await sampleTable('cars.json');
    await expect(runNode(prepRoles, { inputs: { table }, params: { target: '' } })).rejects.toThrow(/choose the target/);
    await expect(runNode(prepRoles, { inputs: { table }, params: { target: 'mpg' } })).rejects.toThrow(/No column "mpg"/);
    await expect(runNode(prepRoles, { inputs: { table }, params: { target: 'Name' } })).rejects.toThrow(/free text/);
  });
});
