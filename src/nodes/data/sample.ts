import { defineNode } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';
import { dataSummary, loadTable, readSalt } from './load';

/** Bundled samples, read from `samples/<file>` (app origin in the browser, public/ in the CLI). */
export const SAMPLES = {
  iris: { file: 'iris.csv', about: 'Iris flowers: 150 rows, 4 measurements, 3 species (classification)' },
  penguins: { file: 'penguins.csv', about: 'Palmer penguins: 344 rows with missing values and categories (classification)' },
  digits: { file: 'digits.csv', about: 'Handwritten digits: 1797 8×8 images as 64 pixel columns (classification)' },
  cars: { file: 'cars.json', about: 'Cars 1970–82: 406 rows, predict Miles_per_Gallon (regression)' },
  'seattle-weather': { file: 'seattle-weather.csv', about: 'Seattle daily weather 2012–15: 1461 rows (classification of weather, or regression)' },
} as const;
export type SampleName = keyof typeof SAMPLES;

export const dataSample = defineNode({
  type: 'data.sample',
  version: 1,
  title: 'Sample dataset',
  stage: 'data',
  description: 'A bundled dataset: iris, penguins, digits, cars, seattle-weather.',
  inputs: {},
  outputs: { table: port('table') },
  params: { name: p.select(Object.keys(SAMPLES) as SampleName[], 'iris', { label: 'Sample' }) },
  // Bundled files change with an app update; the salt keeps a long-lived cache honest.
  cacheSalt: async (params, services, signal) => {
    const sample = SAMPLES[params.name as SampleName];
    return sample && services.readFile ? readSalt(services, `samples/${sample.file}`, signal) : undefined;
  },
  run: async ({ params, services, signal, progress }) => {
    const sample = SAMPLES[params.name as SampleName];
    if (!sample) throw new Error(`Unknown sample "${params.name}" (choose ${Object.keys(SAMPLES).join(', ')})`);
    if (!services.readFile) throw new Error('This runtime cannot read files (no readFile service)');
    const bytes = await services.readFile(`samples/${sample.file}`, signal);
    const table = await loadTable({ services, signal, progress }, sample.file, bytes, { format: 'auto', delimiter: '', header: true, typeOverrides: {}, maxMB: 150 });
    return { table };
  },
  summarize: ({ table }, params) => dataSummary(params.name, table),
});
