import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../data/hash';
import { parseDelimited } from '../../data/parse';
import type { Dataset, Table } from '../../data/types';
import { Executor } from '../../engine/executor';
import { NodeRegistry } from '../../engine/registry';
import type { DatasetStore, DatasetWriter, NodeServices, StoredDatasetMeta } from '../../engine/services';
import { edge, graph, node } from '../../engine/testing/graph-builder';
import { DexieDatasetStore, ROWS_PER_PART } from '../../storage/datasets';
import type { PipelineStudioDb } from '../../storage/db';
import { StorageFullError } from '../../storage/errors';
import { failWritesWithQuota, freshTestDb } from '../../storage/testing';
import { MemoryDatasetStore } from '../../storage/memory';
import { prepRoles } from '../prep/roles';
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

/** A "disk" the test edits between runs: readFile returns what the path holds now. */
function diskServices(disk: Map<string, string>, extra: Partial<NodeServices> = {}): NodeServices & { reads: string[] } {
  const reads: string[] = [];
  return {
    backend: 'cpu',
    reads,
    readFile: async (path: string) => {
      reads.push(path);
      const text = disk.get(path);
      if (text === undefined) throw new Error(`Cannot read "${path}"`);
      return bytes(text);
    },
    ...extra,
  };
}

const registry = new NodeRegistry([dataFile, prepRoles]);
const fileGraph = (params: Record<string, unknown>) =>
  graph([node('file', 'data.file', params), node('roles', 'prep.roles', { target: 'y' })], [edge('file.table', 'roles.table')]);

describe('data.file cache salt (an edited file re-runs)', () => {
  it('re-executes the file node and what is downstream when the bytes behind an unchanged path change, and stays cached when they do not', async () => {
    const executor = new Executor(registry);
    const disk = new Map([['data/train.csv', 'x,y\n1,a\n2,b\n']]);
    const g = fileGraph({ path: 'data/train.csv' });
    expect(Object.fromEntries((await executor.run(g, { services: diskServices(disk) })).status)).toEqual({ file: 'done', roles: 'done' });

    const unchanged = await executor.run(g, { services: diskServices(disk) });
    expect(Object.fromEntries(unchanged.status)).toEqual({ file: 'cached', roles: 'cached' });

    disk.set('data/train.csv', 'x,y\n1,a\n2,b\n3,a\n');
    const edited = await executor.run(g, { services: diskServices(disk) });
    expect(Object.fromEntries(edited.status)).toEqual({ file: 'done', roles: 'done' });
    expect((executor.outputsOf('file')!.outputs.table as Table).rowCount).toBe(3);
    expect((executor.outputsOf('roles')!.outputs.data as Dataset).table.rowCount).toBe(3);
    expect((executor.outputsOf('file')!.outputs.table as Table).source?.hash).toBe(contentHash('x,y\n1,a\n2,b\n3,a\n'));

    disk.delete('data/train.csv');
    const gone = await executor.run(g, { services: diskServices(disk) });
    expect(gone.errors.get('file')).toMatch(/Cannot read "data\/train.csv"/);
    expect(gone.status.get('roles')).toBe('skipped');
  });

  it('salts a picked Blob by identity (no read while cached) and a re-pick under the same token re-runs', async () => {
    const executor = new Executor(registry);
    let streams = 0;
    class CountingBlob extends Blob {
      override stream() {
        streams++;
        return super.stream();
      }
    }
    let blob: Blob = new CountingBlob(['x,y\n1,a\n2,b\n']);
    const services = () => ({ backend: 'cpu', pickedFileBlob: async () => ({ name: 'picked.csv', blob }) });
    const g = fileGraph({ token: 't1' });
    expect((await executor.run(g, { services: services() })).status.get('file')).toBe('done');
    expect(streams).toBe(1);
    expect(Object.fromEntries((await executor.run(g, { services: services() })).status)).toEqual({ file: 'cached', roles: 'cached' });
    expect(streams).toBe(1);
    blob = new CountingBlob(['x,y\n5,a\n6,b\n7,b\n']);
    expect(Object.fromEntries((await executor.run(g, { services: services() })).status)).toEqual({ file: 'done', roles: 'done' });
    expect((executor.outputsOf('roles')!.outputs.data as Dataset).table.rowCount).toBe(3);
  });

  it('salts picked bytes by their hash', async () => {
    const executor = new Executor(registry);
    let text = 'x,y\n1,a\n2,b\n';
    const services = () => ({ backend: 'cpu', pickedFile: async () => ({ name: 'p.csv', bytes: bytes(text) }) });
    const g = fileGraph({ token: 't1' });
    await executor.run(g, { services: services() });
    expect((await executor.run(g, { services: services() })).status.get('file')).toBe('cached');
    text = 'x,y\n1,a\n2,b\n9,a\n';
    expect((await executor.run(g, { services: services() })).status.get('file')).toBe('done');
  });
});

describe('data.file with a picked Blob (streamed)', () => {
  it('parses the Blob piece by piece like the bytes, hashes the same, and stores it once', async () => {
    const csv = new Uint8Array(readFileSync(new URL('../../../public/samples/penguins.csv', import.meta.url)));
    const datasets = new MemoryDatasetStore();
    const services = fileServices({ datasets, pickedFileBlob: async () => ({ name: 'penguins.csv', blob: new Blob([csv]) }) });
    const { outputs, summary, progress } = await runNode(dataFile, { params: { token: 't' }, services });
    const table = outputs.table as Table;
    const fromBytes = (await runNode(dataFile, { params: { path: 'samples/penguins.csv' }, services: fileServices() })).outputs.table as Table;
    expect(table.rowCount).toBe(344);
    expect(table.columns.map((c) => [c.name, c.dtype])).toEqual(fromBytes.columns.map((c) => [c.name, c.dtype]));
    expect(table.source?.hash).toBe(contentHash(csv));
    expect(summary?.text).toBe('penguins.csv: 344 rows × 7 cols');
    expect(progress.filter((u) => u.fraction !== undefined).at(-1)?.fraction).toBe(1);
    // Progress by bytes, shown on the node as it reads.
    expect(progress.map((u) => u.message)).toContain(`parsing penguins.csv: 0.0 of ${(csv.byteLength / 1024).toFixed(1)} KB`);
    expect(progress.map((u) => u.message)).toContain(`parsing penguins.csv: ${(csv.byteLength / 1024).toFixed(1)} of ${(csv.byteLength / 1024).toFixed(1)} KB`);
    // The same bytes read by path later reuse the stored entry.
    const again = await runNode(dataFile, { params: { path: 'samples/penguins.csv' }, services: fileServices({ datasets }) });
    expect((again.outputs.table as Table).source?.datasetId).toBe(table.source?.datasetId);
    expect(await datasets.list()).toHaveLength(1);
  });

  it('reads a picked JSON Blob whole, with the format from its name', async () => {
    const services = fileServices({ pickedFileBlob: async () => ({ name: 'rows.json', blob: new Blob(['[{"a":1},{"a":2}]']) }) });
    expect((await runNode(dataFile, { params: { token: 't' }, services })).summary?.text).toBe('rows.json: 2 rows × 1 cols');
  });

  it('refuses a 200 MB file from its size before reading any of it', async () => {
    const read: string[] = [];
    const huge = {
      size: 200 * 1024 * 1024,
      stream: () => (read.push('stream'), new ReadableStream()),
      slice: () => (read.push('slice'), new Blob([])),
      arrayBuffer: async () => (read.push('arrayBuffer'), new ArrayBuffer(0)),
      text: async () => (read.push('text'), ''),
    } as unknown as Blob;
    const services = fileServices({ pickedFileBlob: async () => ({ name: 'huge.csv', blob: huge }) });
    await expect(runNode(dataFile, { params: { token: 't' }, services })).rejects.toThrow(/The file is 200\.0 MB; the limit is 150\.0 MB/);
    expect(read).toEqual([]);
  });
});

describe('data.file when storage is full', () => {
  class FullStore extends MemoryDatasetStore {
    override async put(name: string): Promise<StoredDatasetMeta> {
      throw new StorageFullError(`dataset "${name}"`);
    }
  }

  it('still outputs the parsed table, says on the node that it was not saved, and loses nothing already stored', async () => {
    const datasets = new FullStore();
    const earlier = await MemoryDatasetStore.prototype.put.call(datasets, 'old.csv', 'old-hash', (await parseDelimited('a\n1\n')).table);
    const { outputs, summary, progress } = await runNode(dataFile, { params: { path: 'samples/iris.csv' }, services: fileServices({ datasets }) });
    const table = outputs.table as Table;
    expect(table.rowCount).toBe(150);
    expect(table.source?.datasetId).toBeUndefined();
    expect(table.warnings).toContain('Storage is full: the dataset was not saved; free space in the Datasets panel');
    expect(summary?.text).toBe('iris.csv: 150 rows × 5 cols (1 warning). Storage is full: the dataset was not saved; free space in the Datasets panel');
    expect(progress.some((u) => u.message === 'Storage is full: the dataset was not saved; free space in the Datasets panel')).toBe(true);
    expect((await datasets.list()).map((m) => m.id)).toEqual([earlier.id]);
    expect((await datasets.get(earlier.id))?.table.rowCount).toBe(1);
  });

  it('the same for a streamed Blob; another store failure is a warning too, not a lost table', async () => {
    const services = fileServices({ datasets: new FullStore(), pickedFileBlob: async () => ({ name: 'a.csv', blob: new Blob(['x,y\n1,2\n']) }) });
    expect((await runNode(dataFile, { params: { token: 't' }, services })).summary?.text).toMatch(/Storage is full: the dataset was not saved/);
    class BrokenStore extends MemoryDatasetStore {
      override async put(): Promise<StoredDatasetMeta> {
        throw new Error('database closed');
      }
    }
    const broken = await runNode(dataFile, { params: { path: 'samples/iris.csv' }, services: fileServices({ datasets: new BrokenStore() }) });
    expect((broken.outputs.table as Table).warnings).toEqual(['The dataset was not saved: database closed']);
  });
});

describe('data.file with a picked file’s content hash (survives a reload)', () => {
  const csv = 'x,y\n1,a\n2,b\n3,a\n';
  const hash = contentHash(csv);
  const picked = (text = csv) => ({ pickedFileBlob: async (token: string) => (token === 't' ? { name: 'picked.csv', blob: new Blob([text]) } : undefined) });

  it('stores the file on its first run, then reads the stored copy when the File is gone (a reload)', async () => {
    const datasets = new MemoryDatasetStore();
    const first = await runNode(dataFile, { params: { token: 't', hash }, services: fileServices({ datasets, ...picked() }) });
    expect((first.outputs.table as Table).rowCount).toBe(3);
    expect((await datasets.list()).map((m) => [m.name, m.hash])).toEqual([['picked.csv', hash]]);
    // After a reload the token names nothing: the stored copy answers, without the file.
    const after = await runNode(dataFile, { params: { token: 't', hash }, services: fileServices({ datasets, pickedFileBlob: async () => undefined }) });
    expect((after.outputs.table as Table).rowCount).toBe(3);
    expect(after.summary?.text).toBe('picked.csv: 3 rows × 2 cols');
    expect((after.outputs.table as Table).source).toMatchObject({ name: 'picked.csv', hash });
  });

  it('keeps a reading with other options as its own stored copy', async () => {
    const datasets = new MemoryDatasetStore();
    const params = { token: 't', hash, typeOverrides: { x: 'category' } };
    await runNode(dataFile, { params, services: fileServices({ datasets, ...picked() }) });
    const after = await runNode(dataFile, { params, services: fileServices({ datasets, pickedFileBlob: async () => undefined }) });
    expect((after.outputs.table as Table).columns[0].dtype).toBe('category');
  });

  it('says the stored copy is gone, and to choose the file again, once it is deleted', async () => {
    const datasets = new MemoryDatasetStore();
    await runNode(dataFile, { params: { token: 't', hash }, services: fileServices({ datasets, ...picked() }) });
    const [meta] = await datasets.list();
    await datasets.delete(meta.id);
    await expect(runNode(dataFile, { params: { token: 't', hash }, services: fileServices({ datasets, pickedFileBlob: async () => undefined }) })).rejects.toThrow(
      /stored copy of this file is gone .*choose the file again/,
    );
  });

  it('refuses a file whose content is not the one picked', async () => {
    await expect(runNode(dataFile, { params: { token: 't', hash }, services: fileServices({ datasets: new MemoryDatasetStore(), ...picked('x,y\n9,z\n') }) })).rejects.toThrow(/not the one picked/);
  });

  it('keys the cache by the content hash, not by the session’s File (the key is the same after a reload)', async () => {
    const g = graph([node('f', 'data.file', { token: 't', hash })]);
    const datasets = new MemoryDatasetStore();
    const before = new Executor(registry);
    expect((await before.run(g, { services: fileServices({ datasets, ...picked() }) })).ok).toBe(true);
    expect(before.currentKeys(g).get('f')).toMatch(/^[0-9a-f]{64}$/);
    const after = new Executor(registry);
    await after.saltsFor(g, fileServices({ datasets, pickedFileBlob: async () => undefined }));
    expect(after.currentKeys(g).get('f')).toBe(before.currentKeys(g).get('f'));
  });
});

describe('data.file with a store that writes while parsing (the browser’s)', () => {
  const ROWS = 200_000;
  /** x (numbers), kind (numbers until its last row, then a text: a category column) — about 2.6 MB. */
  const csv = `x,kind\n${Array.from({ length: ROWS }, (_, i) => `${i / 4},${i === ROWS - 1 ? 'other' : i % 3}`).join('\n')}\n`;
  const bytes = new TextEncoder().encode(csv);

  /** A column as text (element-wise toEqual on 200,000 rows takes seconds). */
  const contentOf = (column: Table['columns'][number]) =>
    JSON.stringify(column.dtype === 'category' ? [column.categories, Array.from(column.codes)] : column.dtype === 'text' ? column.values : Array.from(column.values));

  /** The file as a picked Blob whose stream counts the bytes handed out, in 64 KB pieces. */
  function countingBlob(read: { bytes: number }): Blob {
    return {
      size: bytes.byteLength,
      slice: (start?: number, end?: number) => new Blob([bytes.slice(start, end)]),
      stream: () =>
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (read.bytes >= bytes.byteLength) return controller.close();
            const piece = bytes.slice(read.bytes, read.bytes + 64 * 1024);
            read.bytes += piece.byteLength;
            controller.enqueue(piece);
          },
        }),
    } as unknown as Blob;
  }

  /** The Dexie store, noting how much of the file had been read at each row-group write. */
  function recordingStore(db: PipelineStudioDb, read: { bytes: number }, readAtWrites: number[], onWrite?: () => void): DatasetStore {
    const store = new DexieDatasetStore(db);
    return Object.assign(Object.create(store) as DexieDatasetStore, {
      begin: (name: string): DatasetWriter => {
        const writer = store.begin(name);
        return {
          rowsPerGroup: writer.rowsPerGroup,
          writeNumbers: (startRow, columns) => (readAtWrites.push(read.bytes), onWrite?.(), writer.writeNumbers(startRow, columns)),
          commit: (hash, table) => writer.commit(hash, table),
          abort: () => writer.abort(),
        };
      },
    });
  }

  it('stores the row groups while the file is still being read, and the stored copy is the output table', async () => {
    const db = freshTestDb();
    const read = { bytes: 0 };
    const readAtWrites: number[] = [];
    const datasets = recordingStore(db, read, readAtWrites);
    const services = fileServices({ datasets, pickedFileBlob: async () => ({ name: 'big.csv', blob: countingBlob(read) }) });
    const table = (await runNode(dataFile, { params: { token: 't' }, services })).outputs.table as Table;
    expect(table.rowCount).toBe(ROWS);
    expect(readAtWrites.length).toBe(Math.ceil(ROWS / ROWS_PER_PART));
    expect(readAtWrites[0]).toBeLessThan(bytes.byteLength / 2);
    const stored = await datasets.get(table.source!.datasetId!);
    expect(stored!.meta.columns.map((c) => c.dtype)).toEqual(['number', 'category']);
    stored!.table.columns.forEach((column, j) => expect(contentOf(column)).toBe(contentOf(table.columns[j])));
    db.close();
  });

  it('a cancel mid-file leaves nothing stored', async () => {
    const db = freshTestDb();
    const read = { bytes: 0 };
    const cancel = new AbortController();
    const datasets = recordingStore(db, read, [], () => cancel.abort());
    const services = fileServices({ datasets, pickedFileBlob: async () => ({ name: 'big.csv', blob: countingBlob(read) }) });
    await expect(runNode(dataFile, { params: { token: 't' }, services, signal: cancel.signal })).rejects.toThrow(/aborted/);
    expect(read.bytes).toBeLessThan(bytes.byteLength);
    expect(await db.datasetParts.count()).toBe(0);
    expect(await db.datasetWrites.count()).toBe(0);
    expect(await datasets.list()).toEqual([]);
    db.close();
  });

  it('a full disk mid-file: the parse goes on, the table is output with the warning, nothing half-stored is listed', async () => {
    const db = freshTestDb();
    const datasets = new DexieDatasetStore(db);
    const earlier = await datasets.put('old.csv', 'old-hash', (await parseDelimited('a\n1\n')).table);
    await failWritesWithQuota(db, 'datasetParts');
    const services = fileServices({ datasets, pickedFileBlob: async () => ({ name: 'big.csv', blob: new Blob([bytes]) }) });
    const { outputs, summary } = await runNode(dataFile, { params: { token: 't' }, services });
    expect((outputs.table as Table).rowCount).toBe(ROWS);
    expect(summary?.text).toMatch(/Storage is full: the dataset was not saved/);
    expect((await datasets.list()).map((m) => m.id)).toEqual([earlier.id]);
    expect((await datasets.get(earlier.id))?.table.rowCount).toBe(1);
    db.close();
  });

  it('the same file again on a full disk: the entry already stored is the answer, not a "not saved" warning', async () => {
    const db = freshTestDb();
    const datasets = new DexieDatasetStore(db);
    const services = fileServices({ datasets, pickedFileBlob: async () => ({ name: 'big.csv', blob: new Blob([bytes]) }) });
    const first = await runNode(dataFile, { params: { token: 't' }, services });
    await failWritesWithQuota(db, 'datasetParts');
    const again = await runNode(dataFile, { params: { token: 't' }, services });
    expect((again.outputs.table as Table).source?.datasetId).toBe((first.outputs.table as Table).source?.datasetId);
    // The file's own warning (a stray text in "kind") and nothing about storage.
    expect(again.summary).toEqual(first.summary);
    expect(again.summary?.text).not.toMatch(/not saved/);
    db.close();
  });
});
