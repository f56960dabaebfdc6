import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { dataSummary, fileName, loadPickedByHash, loadTable, loadTableFromBlob, parseParams, pickedSalt, pickedSource, readSalt } from './load';

export const dataFile = defineNode({
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
  // The path or token alone does not say what the file holds: an edited file must re-run.
  // A picked file's content hash is a param: the key says what it holds, and stays the same after a reload.
  cacheSalt: async (params, services, signal) => {
    if (params.hash.trim() !== '') return undefined;
    if (params.token.trim() !== '') return pickedSalt(await pickedSource(services, params.token));
    if (params.path.trim() !== '') return readSalt(services, params.path.trim(), signal);
    return undefined;
  },
  run: async ({ params, services, signal, progress }) => {
    const ctx = { services, signal, progress };
    if (params.hash.trim() !== '') return { table: await loadPickedByHash(ctx, params) };
    if (params.token.trim() !== '') {
      const picked = await pickedSource(services, params.token);
      return { table: 'blob' in picked ? await loadTableFromBlob(ctx, picked.name, picked.blob, params) : await loadTable(ctx, picked.name, picked.bytes, params) };
    }
    if (params.path.trim() !== '') {
      if (!services.readFile) throw new Error('This runtime cannot read files (no readFile service)');
      const bytes = await services.readFile(params.path.trim(), signal);
      return { table: await loadTable(ctx, fileName(params.path), bytes, params) };
    }
    throw new Error('No file chosen: pick a file or give a path');
  },
  summarize: ({ table }) => dataSummary(table.source?.name ?? 'file', table),
});
