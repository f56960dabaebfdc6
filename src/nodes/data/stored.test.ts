import { describe, expect, it } from 'vitest';
import { parseDelimited } from '../../data/parse';
import type { Table } from '../../data/types';
import { MemoryDatasetStore } from '../../storage/memory';
import { dataStored } from './stored';
import { runNode } from './testing';

describe('data.stored', () => {
  it('outputs a stored table with its source', async () => {
    const datasets = new MemoryDatasetStore();
    const { table } = await parseDelimited('a,b\n1,x\n2,y\n');
    const meta = await datasets.put('small.csv', 'abc123', table);
    const { outputs, summary } = await runNode(dataStored, { params: { datasetId: meta.id }, services: { backend: 'cpu', datasets } });
    expect((outputs.table as Table).source).toEqual({ name: 'small.csv', hash: 'abc123', datasetId: meta.id });
    expect(summary?.text).toBe('small.csv: 2 rows × 2 cols');
  });

  it('says when the id is unknown or there is no store', async () => {
    await expect(runNode(dataStored, { params: { datasetId: 'ds_x' }, services: { backend: 'cpu', datasets: new MemoryDatasetStore() } })).rejects.toThrow(/No stored dataset with id "ds_x"/);
    await expect(runNode(dataStored, { params: { datasetId: 'ds_x' }, services: { backend: 'cpu' } })).rejects.toThrow(/No dataset store/);
  });
});
