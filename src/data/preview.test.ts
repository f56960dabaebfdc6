import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appendTransform, createDataset } from './dataset';
import { parseDelimited } from './parse';
import { columnStats, describeDataset, describeTable, quantileRows } from './preview';
import { fitScale } from './transforms';

const penguinsCsv = new Uint8Array(readFileSync(new URL('../../public/samples/penguins.csv', import.meta.url)));

describe('preview views', () => {
  it('describeTable gives the first rows and per-column stats', async () => {
    const { table } = await parseDelimited(penguinsCsv);
    const [tableView, statsView] = describeTable(table, 5);
    expect(tableView.kind).toBe('table');
    if (tableView.kind !== 'table' || statsView.kind !== 'stats') throw new Error('wrong views');
    expect(tableView.rowCount).toBe(344);
    expect(tableView.rows).toHaveLength(5);
    expect(tableView.rows[0]).toEqual(['Adelie', 'Torgersen', 39.1, 18.7, 181, 3750, 'MALE']);
    const mass = statsView.columns.find((c) => c.name === 'Body Mass (g)')!;
    expect(mass).toMatchObject({ count: 342, missing: 2, min: 2700, max: 6300 });
    expect(mass.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(342);
    const species = statsView.columns.find((c) => c.name === 'Species')!;
    expect(species.top![0]).toEqual({ value: 'Adelie', count: 152 });
    expect(species.distinct).toBe(3);
  });

  it('std is the sample standard deviation', () => {
    const stats = columnStats({ name: 'x', dtype: 'number', values: Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9, NaN) });
    expect(stats.mean).toBe(5);
    expect(stats.std).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(stats.missing).toBe(1);
  });

  it('describeDataset marks roles, partitions and the chain', async () => {
    const { table } = await parseDelimited(penguinsCsv);
    let ds = createDataset(table, 'Species', ['Beak Length (mm)']);
    ds = { ...ds, partitions: { train: Uint32Array.of(0, 1, 2), validation: Uint32Array.of(4), test: Uint32Array.of(5) } };
    ds = appendTransform(ds, { kind: 'scale', fittedOn: 'train', state: { ...fitScale(ds.table, ds.partitions!.train, ['Beak Length (mm)'], 'standard') } });
    const views = describeDataset(ds, 3);
    const tableView = views[0];
    if (tableView.kind !== 'table') throw new Error('wrong view');
    expect(tableView.columns.find((c) => c.name === 'Species')!.role).toBe('target');
    expect(tableView.columns.find((c) => c.name === 'Beak Length (mm)')!.role).toBe('feature');
    expect(tableView.columns.find((c) => c.name === 'Island')!.role).toBeUndefined();
    expect(tableView.partitions).toEqual({ train: 3, validation: 1, test: 1 });
    const chain = views.find((v) => v.kind === 'transforms');
    expect(chain && chain.kind === 'transforms' && chain.steps[0].summary).toMatch(/^standard scale Beak Length \(mm\)/);
  });

  it('quartiles are exact on a small table and said to be so', () => {
    const table = { rowCount: 9, columns: [{ name: 'x', dtype: 'number' as const, values: Float64Array.of(9, 1, 5, 3, 7, NaN, 2, 8, 4) }] };
    const stats = describeTable(table)[1];
    if (stats.kind !== 'stats') throw new Error('wrong view');
    // numpy.percentile([1, 2, 3, 4, 5, 7, 8, 9], [25, 50, 75]) → 2.75, 4.5, 7.25
    expect(stats.columns[0].quartiles).toEqual([2.75, 4.5, 7.25]);
    expect(stats.quantilesFrom).toBe('all 9 rows');
  });

  it('a million-row table: stats over every row, quartiles from a seeded 10,000-row sample (said so), categories counted by code', () => {
    const rows = 1_000_000;
    const values = new Float64Array(rows);
    const codes = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      values[i] = ((i * 7919) % rows) / rows;
      codes[i] = i % 10 === 0 ? -1 : i % 3;
    }
    const table = { rowCount: rows, columns: [{ name: 'u', dtype: 'number' as const, values }, { name: 'c', dtype: 'category' as const, codes, categories: ['a', 'b', 'c'] }] };
    const stats = describeTable(table)[1];
    if (stats.kind !== 'stats') throw new Error('wrong view');
    expect(stats.quantilesFrom).toBe('a 10,000-row sample');
    const [u, c] = stats.columns;
    expect(u).toMatchObject({ count: rows, min: 0, max: (rows - 1) / rows });
    expect(u.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(rows);
    const [q1, median, q3] = u.quartiles!;
    expect(Math.abs(q1 - 0.25)).toBeLessThan(0.02);
    expect(Math.abs(median - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(q3 - 0.75)).toBeLessThan(0.02);
    expect(c.missing).toBe(100_000);
    expect(c.top!.map((t) => t.count).reduce((a, b) => a + b, 0)).toBe(900_000);
    const sample = quantileRows(rows);
    expect(sample).toHaveLength(10_000);
    expect(new Set(sample).size).toBe(10_000);
    expect(quantileRows(rows)).toEqual(sample);
  });
});
