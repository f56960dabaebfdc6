import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

export const dataStoredSpec = defineSpec({
  type: 'data.stored',
  version: 1,
  title: 'Stored dataset',
  stage: 'data',
  description: 'A dataset already imported into this browser (or the CLI store), by id.',
  inputs: {},
  outputs: { table: port('table') },
  params: { datasetId: p.text('', { label: 'Dataset id' }) },
  check: (params) => (params.datasetId.trim() === '' ? { datasetId: 'choose a stored dataset' } : null),
});
