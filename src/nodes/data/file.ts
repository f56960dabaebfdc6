import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { fileName, loadTable, parseParams, tableSummary } from './load';

export const dataFile = defineNode({
  type: 'data.file',
  version: 1,
  title: 'File',
  stage: 'data',
  description: 'A CSV/TSV/JSON/JSON-lines file: a path (CLI) or a file picked in the browser.',
  inputs: {},
  outputs: { table: port('table') },
  params: {
    path: p.text('', { label: 'Path', placeholder: 'data/train.csv' }),
    token: p.text('', { label: 'Picked file', help: 'set when you drop or pick a file in the browser' }),
    ...parseParams,
  },
  check: (params) => (params.path.trim() === '' && params.token.trim() === '' ? { path: 'choose a file (or give a path)' } : null),
  run: async ({ params, services, signal, progress }) => {
    let name: string;
    let bytes: Uint8Array;
    if (params.token.trim() !== '') {
      if (!services.pickedFile) throw new Error('Picked files are only available in the browser: give a path instead');
      const picked = await services.pickedFile(params.token);
      if (!picked) throw new Error('The picked file is no longer available (files are kept for this session only): pick it again');
      ({ name, bytes } = picked);
    } else if (params.path.trim() !== '') {
      if (!services.readFile) throw new Error('This runtime cannot read files (no readFile service)');
      name = fileName(params.path);
      bytes = await services.readFile(params.path.trim(), signal);
    } else {
      throw new Error('No file chosen: pick a file or give a path');
    }
    return { table: await loadTable({ services, signal, progress }, name, bytes, params) };
  },
  summarize: ({ table }) => ({ text: `${table.source?.name ?? 'file'}: ${tableSummary(table)}` }),
});
