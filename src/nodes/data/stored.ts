import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { dataSummary } from './load';

export const dataStored = defineNode({
  type: 'data.stored',
  version: 1,
  title: 'Stored dataset',
  stage: 'data',
  description: 'A dataset already imported into this browser (or the CLI store), by id.',
  inputs: {},
  outputs: { table: port('table') },
  params: { datasetId: p.text('', { label: 'Dataset id' }) },
  check: (params) => (params.datasetId.trim() === '' ? { datasetId: 'choose a stored dataset' } : null),
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
