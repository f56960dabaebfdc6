import { implement } from '../../engine/node';
import { dataSummary } from './load';
import { dataStoredSpec } from '../../catalog/data/stored';

export const dataStored = implement(dataStoredSpec, {
  run: async ({ params, services }) => {
    if (!services.datasets) throw new Error('No dataset store in this runtime');
    const id = params.datasetId.trim();
    if (id === '') throw new Error('No dataset chosen');
    const entry = await services.datasets.get(id);
    if (!entry) throw new Error(`No stored dataset with id "${id}": it may have been deleted`);
    return { table: { ...entry.table, source: { name: entry.meta.name, hash: entry.meta.hash, datasetId: entry.meta.id } } };
  },
  summarize: ({ table }) => dataSummary(table.source?.name ?? 'stored', table),
});
