import { describe, expect, it } from 'vitest';
import { DEFAULT_PARSE, parseParams } from '../../catalog/data/parse';
import { defaultParams } from '../../engine/params';
import { MemoryDatasetStore } from '../../storage/memory';
import { probeBytes, probeSourceColumns, PROBE_BYTES } from './probe';
import { fileServices, sampleTable } from './testing';

const encode = (text: string) => new TextEncoder().encode(text);

describe('schema probe', () => {
  it('reads a sample’s columns and types from its head, as a run would infer them', async () => {
    const columns = await probeSourceColumns({ type: 'data.sample', params: { name: 'iris' } }, fileServices());
    const table = await sampleTable('iris.csv');
    expect(columns).toEqual(table.columns.map((c) => ({ name: c.name, dtype: c.dtype })));
    // JSON samples (one document) are read whole: cars is small.
    const cars = await probeSourceColumns({ type: 'data.sample', params: { name: 'cars' } }, fileServices());
    expect(cars).toContainEqual({ name: 'Miles_per_Gallon', dtype: 'number' });
    expect(cars).toContainEqual({ name: 'Origin', dtype: 'category' });
  });

  it('parses only the head of a big picked file, cut at its last whole line', async () => {
    const header = 'id,size,colour\n';
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},${(i % 7) + 0.5},${['red', 'green', 'blue'][i % 3]}`).join('\n');
    const blob = new Blob([header + rows]);
    expect(blob.size).toBeGreaterThan(4 * PROBE_BYTES);
    let read = 0;
    const services = fileServices({
      pickedFileBlob: async () => ({
        name: 'big.csv',
        blob: {
          size: blob.size,
          slice: (start: number, end: number) => {
            read += end - start;
            return blob.slice(start, end);
          },
        } as unknown as Blob,
      }),
    });
    const columns = await probeSourceColumns({ type: 'data.file', params: { token: 't1', hash: '', path: '' } }, services);
    expect(columns).toEqual([
      { name: 'id', dtype: 'number' },
      { name: 'size', dtype: 'number' },
      { name: 'colour', dtype: 'category' },
    ]);
    expect(read).toBe(PROBE_BYTES);
  });

  it('uses the stored copy’s schema for a picked file read by hash, and a stored dataset’s by id', async () => {
    const datasets = new MemoryDatasetStore();
    const table = await sampleTable('iris.csv');
    const meta = await datasets.put('iris.csv', 'abc123', table);
    const services = fileServices({ datasets });
    const expected = table.columns.map((c) => ({ name: c.name, dtype: c.dtype }));
    expect(await probeSourceColumns({ type: 'data.file', params: { token: '', hash: 'abc123', path: '' } }, services)).toEqual(expected);
    expect(await probeSourceColumns({ type: 'data.stored', params: { datasetId: meta.id } }, services)).toEqual(expected);
    expect(await probeSourceColumns({ type: 'data.stored', params: { datasetId: 'gone' } }, services)).toBeNull();
  });

  it('honours the node’s parse settings and says null when it cannot tell', async () => {
    const semi = encode('a;b\n1;x\n2;y\n');
    expect(await probeBytes('x.txt', semi, semi.byteLength, { format: 'csv', delimiter: ';', header: true, typeOverrides: { a: 'category' }, maxMB: 1 })).toEqual([
      { name: 'a', dtype: 'category' },
      { name: 'b', dtype: 'category' },
    ]);
    // A JSON document cut short cannot be parsed: no guess.
    const json = encode('[{"a": 1}, {"a": 2}]');
    expect(await probeBytes('x.json', json.subarray(0, 8), json.byteLength, { format: 'auto', delimiter: '', header: true, typeOverrides: {}, maxMB: 1 })).toBeNull();
    expect(await probeSourceColumns({ type: 'prep.scale', params: {} }, fileServices())).toBeNull();
    expect(await probeSourceColumns({ type: 'data.file', params: { token: 'missing', hash: '', path: '' } }, fileServices({ pickedFile: async () => undefined }))).toBeNull();
  });

  it('reads a file with the spec’s default parse settings where the node leaves them out', async () => {
    expect(DEFAULT_PARSE).toEqual(defaultParams(parseParams));
    const text = encode('a,b\n1,x\n');
    const services = fileServices({ pickedFile: async () => ({ name: 'x.csv', bytes: text }) });
    expect(await probeSourceColumns({ type: 'data.file', params: { token: 't', hash: '', path: '', header: 'yes' } }, services)).toEqual(
      await probeBytes('x.csv', text, text.byteLength, DEFAULT_PARSE),
    );
  });
});
