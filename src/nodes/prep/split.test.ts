import { describe, expect, it } from 'vitest';
import { createDataset } from '../../data/dataset';
import { getColumn, tableFromRows } from '../../data/table';
import type { CategoryColumn, Dataset, NumericColumn } from '../../data/types';
import { runNode, sampleTable } from '../data/testing';
import { looksLikeClasses, prepSplit } from './split';

async function iris(): Promise<Dataset> {
  const table = await sampleTable('iris.csv');
  return createDataset(table, 'species', table.columns.slice(0, 4).map((c) => c.name));
}

describe('prep.split', () => {
  it('splits 70/15/15, stratified: each class keeps its proportion and no row is in two parts', async () => {
    const { outputs, summary } = await runNode(prepSplit, { inputs: { data: await iris() } });
    const parts = (outputs.data as Dataset).partitions!;
    expect([parts.train.length, parts.validation.length, parts.test.length]).toEqual([105, 24, 21]);
    const all = new Set([...parts.train, ...parts.validation, ...parts.test]);
    expect(all.size).toBe(150);
    const species = getColumn((outputs.data as Dataset).table, 'species') as CategoryColumn;
    const perClass = [0, 1, 2].map((k) => Array.from(parts.train).filter((r) => species.codes[r] === k).length);
    expect(perClass).toEqual([35, 35, 35]);
    expect(summary?.text).toBe('train 105 / validation 24 / test 21 (stratified)');
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const data = await iris();
    const a = (await runNode(prepSplit, { inputs: { data }, seed: 7 })).outputs.data as Dataset;
    const b = (await runNode(prepSplit, { inputs: { data }, seed: 7 })).outputs.data as Dataset;
    const c = (await runNode(prepSplit, { inputs: { data }, seed: 8 })).outputs.data as Dataset;
    expect(Array.from(a.partitions!.test)).toEqual(Array.from(b.partitions!.test));
    expect(Array.from(a.partitions!.test)).not.toEqual(Array.from(c.partitions!.test));
  });

  it('refuses fractions that do not add up to 1, and a second split', async () => {
    const data = await iris();
    await expect(runNode(prepSplit, { inputs: { data }, params: { train: 0.8, validation: 0.3, test: 0 } })).rejects.toThrow(/add up to 1/);
    const once = (await runNode(prepSplit, { inputs: { data } })).outputs.data;
    await expect(runNode(prepSplit, { inputs: { data: once } })).rejects.toThrow(/already split/);
  });

  it('refuses a split that leaves the test part empty', async () => {
    const table = await sampleTable('iris.csv');
    const tiny = createDataset({ ...table, rowCount: 1, columns: table.columns.map((c) => (c.dtype === 'category' ? { ...c, codes: c.codes.slice(0, 1) } : c.dtype === 'text' ? c : { ...c, values: c.values.slice(0, 1) })) }, 'species', ['sepal length (cm)']);
    await expect(runNode(prepSplit, { inputs: { data: tiny }, params: { train: 0.5, validation: 0, test: 0.5 } })).rejects.toThrow(/test part would be empty/);
  });

  it('stratifies a whole-number class target (digits 0–9) and not a continuous one', async () => {
    const table = await sampleTable('digits.csv');
    const digits = createDataset(table, 'target', table.columns.slice(0, 64).map((c) => c.name));
    const parts = ((await runNode(prepSplit, { inputs: { data: digits } })).outputs.data as Dataset).partitions!;
    const target = getColumn(table, 'target') as NumericColumn;
    const perClass = Array.from({ length: 10 }, (_, k) => Array.from(parts.test).filter((r) => target.values[r] === k).length);
    for (const count of perClass) expect(count).toBeGreaterThanOrEqual(26);
    expect(looksLikeClasses(getColumn(await sampleTable('cars.json'), 'Acceleration'))).toBe(false);
  });

  it('does not call the split of a numeric (regression) target stratified', async () => {
    const table = await sampleTable('cars.json');
    const features = table.columns.filter((c) => c.dtype === 'number' && c.name !== 'Acceleration').map((c) => c.name);
    const cars = createDataset(table, 'Acceleration', features);
    const { summary } = await runNode(prepSplit, { inputs: { data: cars } });
    expect(summary?.text).toMatch(/^train \d+ \/ validation \d+ \/ test \d+$/);
  });
});

describe('prep.split modes', () => {
  function table(rows: Record<string, unknown>[]): Dataset {
    const { table: t } = tableFromRows(rows);
    return createDataset(t, 'y', t.columns.map((c) => c.name).filter((n) => n !== 'y'));
  }
  const parts = (d: unknown) => {
    const p = (d as Dataset).partitions!;
    return { train: Array.from(p.train), validation: Array.from(p.validation), test: Array.from(p.test) };
  };

  it('by column: each row goes to the part its cell names, and the column stops being a feature', async () => {
    const names = ['train', 'Train', 'validation', 'test', 'training', 'dev', 'TEST', 'train'];
    const data = table(names.map((part, i) => ({ x: i, part, y: i % 2 })));
    const { outputs, summary } = await runNode(prepSplit, { inputs: { data }, params: { mode: 'column', column: 'part' } });
    expect(parts(outputs.data)).toEqual({ train: [0, 1, 4, 7], validation: [2, 5], test: [3, 6] });
    expect((outputs.data as Dataset).roles.features).toEqual(['x']);
    expect((outputs.data as Dataset).rawSchema.map((s) => s.name)).toEqual(['x']);
    expect(summary?.text).toBe('train 4 / validation 2 / test 2 (by column "part")');
  });

  it('by column: refuses values that name no part, and empty cells', async () => {
    const data = table([{ x: 1, part: 'train', y: 0 }, { x: 2, part: 'holdout-2', y: 1 }, { x: 3, part: 'test', y: 1 }]);
    await expect(runNode(prepSplit, { inputs: { data }, params: { mode: 'column', column: 'part' } })).rejects.toThrow(/"holdout-2".*only hold train, validation or test/);
    const gaps = table([{ x: 1, part: 'train', y: 0 }, { x: 2, part: '', y: 1 }, { x: 3, part: 'test', y: 1 }]);
    await expect(runNode(prepSplit, { inputs: { data: gaps }, params: { mode: 'column', column: 'part' } })).rejects.toThrow(/empty in 1 row/);
  });

  it('time-ordered: the latest rows are the test part, by a date column or by row order', async () => {
    // Dates out of file order: row 0 is the latest.
    const days = ['2024-01-10', '2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-07', '2024-01-08', '2024-01-09'];
    const data = table(days.map((day, i) => ({ day, x: i, y: i % 2 })));
    const params = { mode: 'time', column: 'day', train: 0.6, validation: 0.2, test: 0.2 };
    const { outputs, summary } = await runNode(prepSplit, { inputs: { data }, params });
    expect(parts(outputs.data)).toEqual({ train: [1, 2, 3, 4, 5, 6], validation: [7, 8], test: [0, 9] });
    expect(summary?.text).toBe('train 6 / validation 2 / test 2 (time-ordered by "day")');
    const byRow = await runNode(prepSplit, { inputs: { data }, params: { ...params, column: '' } });
    expect(parts(byRow.outputs.data)).toEqual({ train: [0, 1, 2, 3, 4, 5], validation: [6, 7], test: [8, 9] });
    // Not shuffled: the same for every seed.
    expect(parts((await runNode(prepSplit, { inputs: { data }, params, seed: 9 })).outputs.data)).toEqual(parts(outputs.data));
  });

  it('grouped: rows sharing a group id never land in two parts; seeded; parts near their shares', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ patient: `p${Math.floor(i / 4)}`, x: i, y: i % 2 }));
    const data = table(rows);
    const params = { mode: 'group', column: 'patient', train: 0.6, validation: 0.2, test: 0.2 };
    const { outputs, summary } = await runNode(prepSplit, { inputs: { data }, params, seed: 3 });
    const p = parts(outputs.data);
    const groupOf = (r: number) => rows[r].patient;
    const seen = new Map<string, string>();
    for (const part of ['train', 'validation', 'test'] as const) {
      for (const r of p[part]) {
        expect(seen.get(groupOf(r)) ?? part).toBe(part);
        seen.set(groupOf(r), part);
      }
    }
    expect(p.train.length + p.validation.length + p.test.length).toBe(200);
    expect(p.train.length).toBeGreaterThanOrEqual(116);
    expect(p.train.length).toBeLessThanOrEqual(124);
    expect(p.test.length).toBeGreaterThanOrEqual(36);
    expect(summary?.text).toMatch(/\(grouped by "patient": 50 groups\)$/);
    expect((outputs.data as Dataset).roles.features).toEqual(['x']);
    expect(parts((await runNode(prepSplit, { inputs: { data }, params, seed: 3 })).outputs.data)).toEqual(p);
    expect(parts((await runNode(prepSplit, { inputs: { data }, params, seed: 4 })).outputs.data)).not.toEqual(p);
  });

  it('asks for the column in column and group modes', async () => {
    const data = table([{ x: 1, y: 0 }]);
    await expect(runNode(prepSplit, { inputs: { data }, params: { mode: 'group' } })).rejects.toThrow(/group id column/);
  });
});
