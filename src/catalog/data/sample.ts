import { defineSpec } from '../../engine/node';
import { p } from '../../engine/params';
import { port } from '../../engine/ports';

/** Bundled samples, read from `samples/<file>` (app origin in the browser, public/ in the CLI). */
export const SAMPLES = {
  iris: { file: 'iris.csv', about: 'Iris flowers: 150 rows, 4 measurements, 3 species (classification)' },
  penguins: { file: 'penguins.csv', about: 'Palmer penguins: 344 rows with missing values and categories (classification)' },
  digits: { file: 'digits.csv', about: 'Handwritten digits: 1797 8×8 images as 64 pixel columns (classification)' },
  cars: { file: 'cars.json', about: 'Cars 1970–82: 406 rows, predict Miles_per_Gallon (regression)' },
  'seattle-weather': { file: 'seattle-weather.csv', about: 'Seattle daily weather 2012–15: 1461 rows (classification of weather, or regression)' },
} as const;
export type SampleName = keyof typeof SAMPLES;

export const dataSampleSpec = defineSpec({
  type: 'data.sample',
  version: 1,
  title: 'Sample dataset',
  stage: 'data',
  description: 'A bundled dataset: iris, penguins, digits, cars, seattle-weather.',
  inputs: {},
  outputs: { table: port('table') },
  params: { name: p.select(Object.keys(SAMPLES) as SampleName[], 'iris', { label: 'Sample' }) },
});
