import { describe, expect, it } from 'vitest';
import type { Table } from '../../data/types';
import { MemoryDatasetStore } from '../../storage/memory';
import { dataFile } from './file';
import { fileServices, runNode } from './testing';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('data.file', () => {
  it('reads a path through readFile and names the table after the file', async () => {
    const { outputs, summary } = await runNode(dataFile, { params: { path: 'samples/iris.csv' } });
    expect((outputs.table as Table).source?.name).toBe('iris.csv');
    expect(summary?.text).toBe('iris.csv: 150 rows × 5 cols');
  });

  it('reads a picked file by token, with type overrides and warnings in the summary', async () => {
    const services = fileServices({ pickedFile: async (token: string) => (token === 't1' ? { name: 'ages.csv', bytes: bytes('age;n\n31;1\nx;2\n40;3\n') } : undefined) });
    const { outputs, summary } = await runNode(dataFile, { params: { token: 't1', typeOverrides: { age: 'number' } }, services });
    const table = outputs.table as Table;
    expect(table.columns.map((c) => c.dtype)).toEqual(['number', 'number']);
    expect(summary?.text).toBe('ages.csv: 3 rows × 2 cols (1 warning)');
  });

  it('does not store tables parsed with non-default options (the store keeps the default reading of the bytes)', async () => {
    const datasets = new MemoryDatasetStore();
    await runNode(dataFile, { params: { path: 'samples/iris.csv', typeOverrides: { species: 'text' } }, services: fileServices({ datasets }) });
    expect(await datasets.list()).toEqual([]);
    await runNode(dataFile, { params: { path: 'samples/iris.csv' }, services: fileServices({ datasets }) });
    expect((await datasets.list()).map((m) => m.name)).toEqual(['iris.csv']);
  });

  it('refuses bad overrides, expired tokens, missing files and files over the limit', async () => {
    await expect(runNode(dataFile, { params: { path: 'samples/iris.csv', typeOverrides: { species: 'colour' } } })).rejects.toThrow(/must be one of number/);
    await expect(runNode(dataFile, { params: { token: 'gone' }, services: fileServices({ pickedFile: async () => undefined }) })).rejects.toThrow(/pick it again/);
    await expect(runNode(dataFile, { params: { path: 'samples/nope.csv' } })).rejects.toThrow(/Cannot read/);
    await expect(runNode(dataFile, { params: {} })).rejects.toThrow(/choose a file/);
    await expect(runNode(dataFile, { params: { path: 'samples/digits.csv', maxMB: 0.1 } })).rejects.toThrow(/limit is 102\.4 KB/);
  });
});
