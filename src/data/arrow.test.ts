import { readFileSync } from 'node:fs';
import { Bool, Float64, Int32, Int64, Table as ArrowTable, Utf8, tableFromIPC, tableToIPC, Type, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowToDataset, arrowToTable, datasetToArrow, tableToArrow } from './arrow';
import { appendTransform, createDataset } from './dataset';
import { parseDelimited } from './parse';
import { fitEncode, fitImpute } from './transforms';
import type { Dataset, Table } from './types';

const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../../public/samples/${name}`, import.meta.url)));

/** Every dtype, with a missing value in each column and a category nobody uses. */
function mixedTable(): Table {
  return {
    rowCount: 4,
    columns: [
      { name: 'x', dtype: 'number', values: Float64Array.of(1.5, NaN, -0.1, 1e300) },
      { name: 'flag', dtype: 'boolean', values: Float64Array.of(1, 0, NaN, 1) },
      { name: 'when', dtype: 'datetime', values: Float64Array.of(Date.UTC(2024, 0, 31), NaN, Date.UTC(1969, 6, 20, 20, 17), 0) },
      { name: 'kind', dtype: 'category', codes: Int32Array.of(2, -1, 0, 2), categories: ['b', 'unused', 'a'] },
      { name: 'note', dtype: 'text', values: ['hello', null, '', 'ünïcode ✓'] },
    ],
    source: { name: 'mixed.csv', hash: 'abc' },
    warnings: ['a note from ingest'],
  };
}

describe('tables as Arrow IPC files', () => {
  it('round-trips every column type exactly, missing values and category order included', () => {
    const table = mixedTable();
    const { table: back } = arrowToTable(tableToArrow(table));
    expect(back).toEqual(table);
  });

  it('writes standard Arrow types with nulls for missing values, so other tools read it', () => {
    const arrow = tableFromIPC(tableToArrow(mixedTable()));
    expect(arrow.schema.fields.map((f) => [f.name, f.type.typeId])).toEqual([
      ['x', Type.Float],
      ['flag', Type.Bool],
      ['when', Type.Timestamp],
      ['kind', Type.Dictionary],
      ['note', Type.Utf8],
    ]);
    expect(arrow.getChild('x')!.toArray()[0]).toBe(1.5);
    expect(arrow.getChild('x')!.get(1)).toBeNull();
    expect(arrow.getChild('flag')!.get(0)).toBe(true);
    expect(arrow.getChild('kind')!.get(0)).toBe('a');
    expect(arrow.getChild('kind')!.get(1)).toBeNull();
    expect(arrow.getChild('note')!.get(1)).toBeNull();
    expect(arrow.getChild('when')!.get(0)).toBe(Date.UTC(2024, 0, 31));
  });

  it('reads an Arrow file written by another tool (no Pipeline Studio metadata)', () => {
    const foreign = new ArrowTable({
      f: vectorFromArray([0.5, null, 2], new Float64()),
      i: vectorFromArray([1, 2, null], new Int32()),
      big: vectorFromArray([1n, 2n, 3n], new Int64()),
      b: vectorFromArray([true, false, null], new Bool()),
      s: vectorFromArray(['a', null, 'c'], new Utf8()),
    });
    const { table } = arrowToTable(tableToIPC(foreign, 'file'));
    expect(table.rowCount).toBe(3);
    expect(table.columns).toEqual([
      { name: 'f', dtype: 'number', values: Float64Array.of(0.5, NaN, 2) },
      { name: 'i', dtype: 'number', values: Float64Array.of(1, 2, NaN) },
      { name: 'big', dtype: 'number', values: Float64Array.of(1, 2, 3) },
      { name: 'b', dtype: 'boolean', values: Float64Array.of(1, 0, NaN) },
      { name: 's', dtype: 'text', values: ['a', null, 'c'] },
    ]);
  });

  it('refuses bytes that are not an Arrow file, and a damaged one, with a message naming the file', () => {
    expect(() => arrowToTable(new TextEncoder().encode('species,petal\nsetosa,1.4\n'), 'in/data.arrow')).toThrow(
      'in/data.arrow is not an Arrow IPC file (it does not start and end with "ARROW1")',
    );
    const bytes = tableToArrow(mixedTable());
    const damaged = Uint8Array.from(bytes);
    damaged.fill(0xff, 8, bytes.length - 16);
    expect(() => arrowToTable(damaged, 'in/data.arrow')).toThrow(/^in\/data\.arrow is a damaged Arrow IPC file: /);
  });
});

describe('datasets as Arrow IPC files', () => {
  async function penguins(): Promise<Dataset> {
    const { table } = await parseDelimited(sample('penguins.csv'));
    let dataset = createDataset(table, 'Species', table.columns.map((c) => c.name).filter((n) => n !== 'Species'));
    const train = Uint32Array.from({ length: 200 }, (_, i) => (i * 7) % 344);
    dataset = { ...dataset, partitions: { train, validation: Uint32Array.of(3, 1), test: Uint32Array.from({ length: 100 }, (_, i) => 343 - i) } };
    const rows = dataset.partitions!.train;
    dataset = appendTransform(dataset, { kind: 'impute', nodeId: 'impute', fittedOn: 'train', state: { ...fitImpute(dataset.table, rows, ['Beak Length (mm)'], 'median', '') } });
    dataset = appendTransform(dataset, { kind: 'onehot', nodeId: 'encode', fittedOn: 'train', state: { ...fitEncode(dataset.table, rows, ['Island', 'Sex'], 'onehot') } });
    return { ...dataset, featureShape: [2, 4] };
  }

  it('keeps roles, partitions in their order, the fitted chain, the raw schema and the source', async () => {
    const dataset = await penguins();
    const back = arrowToDataset(datasetToArrow(dataset));
    expect(back).toEqual(dataset);
    expect(Array.from(back.partitions!.train.slice(0, 4))).toEqual([0, 7, 14, 21]);
  });

  it('a table file is not a dataset: the message says what is missing', () => {
    expect(() => arrowToDataset(tableToArrow(mixedTable()), 'x.arrow')).toThrow('x.arrow holds a table, not a dataset (no "pipeline-studio.dataset" metadata with roles, transforms and raw schema)');
  });
});
