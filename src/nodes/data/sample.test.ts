import { describe, expect, it } from 'vitest';
import type { Table } from '../../data/types';
import { MemoryDatasetStore } from '../../storage/memory';
import { SAMPLES } from '../../catalog/data/sample';
import { dataSample } from './sample';
import { fileServices, runNode } from './testing';

describe('data.sample', () => {
  it.each(Object.keys(SAMPLES))('loads %s from samples/ with a one-line summary', async (name) => {
    const { outputs, summary } = await runNode(dataSample, { params: { name } });
    const table = outputs.table as Table;
    expect(table.rowCount).toBeGreaterThan(100);
    expect(table.source?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(summary?.text).toMatch(new RegExp(`^${name}: \\d+ rows × \\d+ cols`));
  });

  it('gives iris as 150 rows × 5 cols', async () => {
    const { summary } = await runNode(dataSample, { params: { name: 'iris' } });
    expect(summary?.text).toBe('iris: 150 rows × 5 cols');
  });

  it('stores the parsed table once and reuses it by hash', async () => {
    const datasets = new MemoryDatasetStore();
    const services = fileServices({ datasets });
    const first = (await runNode(dataSample, { params: { name: 'penguins' }, services })).outputs.table as Table;
    const second = await runNode(dataSample, { params: { name: 'penguins' }, services });
    expect((await datasets.list()).length).toBe(1);
    expect((second.outputs.table as Table).source?.datasetId).toBe(first.source?.datasetId);
    expect(second.progress.some((u) => /reused stored dataset/.test(u.message ?? ''))).toBe(true);
    expect((second.outputs.table as Table).rowCount).toBe(344);
  });

  it('says clearly when the runtime cannot read files', async () => {
    await expect(runNode(dataSample, { services: { backend: 'cpu' } })).rejects.toThrow(/cannot read files/);
  });
});
