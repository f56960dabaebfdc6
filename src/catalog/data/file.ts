import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { parseParams } from './parse';

export const dataFileSpec = defineSpec({
  type: 'data.file',
  version: 1,
  title: 'File',
  stage: 'data',
  description: 'A CSV/TSV/JSON/JSON-lines file: a path (CLI) or a file picked in the browser (read from its stored copy after a reload).',
  inputs: {},
  outputs: { table: port('table') },
  params: {
    path: p.text('', { label: 'Path', placeholder: 'data/train.csv' }),
    token: p.text('', { label: 'Picked file', help: 'set when you drop or pick a file in the browser' }),
    hash: p.text('', { label: 'Stored copy', help: 'sha-256 of the picked file: the node reads the stored dataset of this content, so it works after a reload' }),
    ...parseParams,
  },
  check: (params) => (params.path.trim() === '' && params.token.trim() === '' && params.hash.trim() === '' ? { path: 'choose a file (or give a path)' } : null),
});
