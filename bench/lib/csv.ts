import { seededRandom } from '../../src/data/random';

/**
 * A generated wide-enough CSV for the in-browser ingest figure: 8 numeric columns (1 % missing),
 * a category and a boolean, seeded so every run parses the same bytes. Same shape as the
 * Node ingest benchmark (bench/ingest.ts), built here because that file runs on import.
 */
export function generateBenchCsv(rows: number, seed = 1): string {
  const random = seededRandom(seed);
  const colours = ['red', 'green', 'blue', 'amber'];
  const lines: string[] = [[...Array.from({ length: 8 }, (_, i) => `x${i}`), 'colour', 'flag'].join(',')];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let j = 0; j < 8; j++) cells.push(random() < 0.01 ? '' : (random() * 1000 - 500).toFixed(3));
    cells.push(colours[Math.floor(random() * colours.length)], random() < 0.5 ? 'true' : 'false');
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}
