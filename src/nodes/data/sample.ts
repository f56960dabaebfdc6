import { implement } from '../../engine/node';
import { dataSummary, loadTable, readSalt } from './load';
import { dataSampleSpec, SAMPLES } from '../../catalog/data/sample';
import { DEFAULT_PARSE } from '../../catalog/data/parse';

export const dataSample = implement(dataSampleSpec, {
  // Bundled files change with an app update; the salt keeps a long-lived cache honest.
  cacheSalt: async (params, services, signal) => {
    const sample = SAMPLES[params.name];
    return sample && services.readFile ? readSalt(services, `samples/${sample.file}`, signal) : undefined;
  },
  run: async ({ params, services, signal, progress }) => {
    const sample = SAMPLES[params.name];
    if (!sample) throw new Error(`Unknown sample "${params.name}" (choose ${Object.keys(SAMPLES).join(', ')})`);
    if (!services.readFile) throw new Error('This runtime cannot read files (no readFile service)');
    const bytes = await services.readFile(`samples/${sample.file}`, signal);
    const table = await loadTable({ services, signal, progress }, sample.file, bytes, DEFAULT_PARSE);
    return { table };
  },
  summarize: ({ table }, params) => dataSummary(params.name, table),
});
