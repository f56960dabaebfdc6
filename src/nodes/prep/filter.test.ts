import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import { cellValue, getColumn } from '../../data/table';
import type { Dataset } from '../../data/types';
import { runNode, sampleTable } from '../data/testing';
import { prepFilter } from './filter';

async function penguins(): Promise<Dataset> {
  const table = await sampleTable('penguins.csv');
  return createDataset(table, 'Species', table.columns.map((c) => c.name).filter((n) => n !== 'Species'));
}

describe('prep.filter', () => {
  it('keeps rows matching a numeric condition', async () => {
    const { outputs, summary } = await runNode(prepFilter, { inputs: { data: await penguins() }, params: { column: 'Body Mass (g)', op: '>=', value: '5000' } });
    const data = outputs.data as Dataset;
    const mass = getColumn(data.table, 'Body Mass (g)');
    for (let r = 0; r < data.table.rowCount; r++) expect(cellValue(mass, r)).toBeGreaterThanOrEqual(5000);
    expect(summary?.text).toBe(`kept ${data.table.rowCount} of 344 rows (Body Mass (g) >= 5000)`);
  });

  it('compares categories as text and finds missing values', async () => {
    const data = await penguins();
    const dream = (await runNode(prepFilter, { inputs: { data }, params: { column: 'Island', op: '==', value: 'Dream' } })).outputs.data as Dataset;
    expect(dream.table.rowCount).toBe(124);
    const missing = (await runNode(prepFilter, { inputs: { data }, params: { column: 'Sex', op: 'is missing' } })).outputs.data as Dataset;
    expect(missing.table.rowCount).toBe(11);
  });

  it('refuses a non-number for a numeric column and an empty result', async () => {
    const data = await penguins();
    await expect(runNode(prepFilter, { inputs: { data }, params: { column: 'Body Mass (g)', op: '>', value: 'heavy' } })).rejects.toThrow(/"heavy" is not a number/);
    await expect(runNode(prepFilter, { inputs: { data }, params: { column: 'Island', op: '==', value: 'Atlantis' } })).rejects.toThrow(/result would be empty/);
  });
});
