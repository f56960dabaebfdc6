import { implement } from '../../engine/node';
import { dataSummary, fileName, loadPickedByHash, loadTable, loadTableFromBlob, pickedSalt, pickedSource, readSalt } from './load';
import { dataFileSpec } from '../../catalog/data/file';

export const dataFile = implement(dataFileSpec, {
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
