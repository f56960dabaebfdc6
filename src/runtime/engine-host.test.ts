import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../engine/events';
import { edge, graph, node } from '../engine/testing/graph-builder';
import { createTestRegistry, createTestServices } from '../engine/testing/test-nodes';
import type { RunRecord } from '../engine/run-record';
import { MemoryModelStore } from '../storage/memory';
import { createRegistry } from '../nodes';
import { EngineHost } from './engine-host';
import { nodeBackendPlatform } from './backend-node';

const hosts: EngineHost[] = [];
afterEach(() => {
  for (const host of hosts.splice(0)) host.dispose();
});

function makeHost(extra: Partial<ConstructorParameters<typeof EngineHost>[0]> = {}) {
  const host = new EngineHost({
    registry: createTestRegistry(),
    loadTf: async () => tf,
    platform: nodeBackendPlatform,
    models: new MemoryModelStore(),
    ...extra,
  });
  hosts.push(host);
  return host;
}

async function runAndCollect(host: EngineHost, runId: string, g: ReturnType<typeof graph>, targets?: string[]) {
  const batches: RunEvent[][] = [];
  await host.run(runId, g, { targets }, (events) => batches.push(events));
  return batches;
}

describe('EngineHost', () => {
  it('initialises the backend on first run and reports events in batches', async () => {
    const host = makeHost();
    const g = graph([node('p', 'util.progress', { steps: 5 }), node('c', 'util.constant', { value: 3 })]);
    const batches = await runAndCollect(host, 'run-1', g);
    expect(host.backendInfo?.name).toMatch(/^(wasm|cpu)$/);
    const events = batches.flat();
    expect(events[0].type).toBe('run-start');
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: true, runId: 'run-1' });
    // Fewer messages than events: they were batched.
    expect(batches.length).toBeLessThan(events.length);
    // Every live metrics point of the progress node arrived.
    const steps = events.filter((e) => e.type === 'node-progress' && e.nodeId === 'p').map((e) => (e as { metrics?: { step: number } }).metrics?.step);
    expect(steps).toEqual([1, 2, 3, 4, 5]);
  });

  it('builds views and columns from cached outputs, looking upstream for columns', async () => {
    const host = makeHost();
    await host.init('cpu');
    const g = graph([node('rows', 'util.rows', { count: 4 }), node('count', 'util.countRows')], [edge('rows.table', 'count.table')]);
    await runAndCollect(host, 'run-1', g);

    const views = (await host.views(g, 'rows'))?.views;
    expect(views?.map((v) => v.kind)).toEqual(['table', 'stats']);
    const table = views![0];
    expect(table.kind === 'table' && table.rows.map((r) => r[0])).toEqual([0, 1, 2, 3]);

    const metrics = (await host.views(g, 'count'))?.views;
    expect(metrics?.[0]).toMatchObject({ kind: 'metrics', metrics: { scalars: { value: 4 } } });

    expect(await host.columns(g, 'rows')).toEqual([{ name: 'i', dtype: 'number' }]);
    // The count node outputs metrics: its column picker gets the upstream table's columns.
    expect(await host.columns(g, 'count')).toEqual([{ name: 'i', dtype: 'number' }]);
    expect(await host.views(g, 'never-ran')).toBeNull();
    expect(await host.columns(g, 'never-ran')).toBeNull();
  });

  it('drops cached results when the backend changes', async () => {
    const host = makeHost();
    await host.init('cpu');
    const g = graph([node('c', 'util.constant', { value: 1 })]);
    await runAndCollect(host, 'r1', g);
    await host.init('cpu');
    expect((await runAndCollect(host, 'r2', g)).flat().some((e) => e.type === 'node-cached')).toBe(true);
    await host.init('wasm');
    expect(await host.views(g, 'c')).toBeNull();
    const rerun = (await runAndCollect(host, 'r3', g)).flat();
    expect(rerun.some((e) => e.type === 'node-done')).toBe(true);
  });

  it('cancels a running node', async () => {
    const { executed: _executed, backend: _backend, ...gates } = createTestServices();
    const host = makeHost({ extraServices: gates });
    await host.init('cpu');
    const g = graph([node('w', 'util.wait'), node('after', 'util.add')], [edge('w.out', 'after.a')]);
    const events: RunEvent[] = [];
    const running = host.run('run-c', g, {}, (batch) => events.push(...batch));
    // Cancel as soon as the wait node has reported it started.
    await new Promise<void>((resolve) => {
      const poll = () => (events.some((e) => e.type === 'node-progress' && e.nodeId === 'w') ? resolve() : setTimeout(poll, 5));
      poll();
    });
    await host.cancel('run-c');
    await running;
    expect(events.find((e) => e.type === 'node-cancelled')).toMatchObject({ nodeId: 'w' });
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: false, cancelled: true });
  });

  it('records finished runs in the history', async () => {
    const records: RunRecord[] = [];
    const host = makeHost({ runs: { add: async (r) => void records.push(r) } });
    await host.init('cpu');
    const g = graph([node('c', 'util.constant', { value: 1 }), node('f', 'util.fail', { message: 'nope' })]);
    const started = performance.now();
    expect(await host.run('run-h', g, {}, () => undefined)).toEqual({ recorded: true, runId: 'run-h' });
    const wall = performance.now() - started;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ id: 'run-h', graphId: 'g1', ok: false, cancelled: false, backend: 'cpu', graph: g, seed: 42 });
    expect(records[0].nodes.c).toMatchObject({ status: 'done', type: 'util.constant', metrics: { value: 1 } });
    // A duration of this run (not a timestamp): between 0 and the run's wall time.
    expect(records[0].nodes.c.ms).toBeGreaterThanOrEqual(0);
    expect(records[0].nodes.c.ms).toBeLessThanOrEqual(Math.ceil(wall) + 1);
    expect(records[0].nodes.f).toMatchObject({ status: 'error', message: 'nope' });
  });

  it('reports a run history it could not write (a full disk), and the run still finishes', async () => {
    const host = makeHost({
      runs: {
        add: async () => {
          throw new Error('Browser storage is full: could not save the run record.');
        },
      },
    });
    await host.init('cpu');
    const events: RunEvent[] = [];
    const outcome = await host.run('run-full', graph([node('c', 'util.constant', { value: 1 })]), { keepRuns: 5 }, (batch) => events.push(...batch));
    expect(outcome).toEqual({ recorded: false, runId: 'run-full', error: 'Browser storage is full: could not save the run record.' });
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: true });
  });

  it('hands picked files to nodes by token', async () => {
    const host = makeHost();
    await host.putFile('tok-1', 'data.csv', new TextEncoder().encode('a,b\n1,2\n'));
    const file = await host.services().pickedFile!('tok-1');
    expect(file?.name).toBe('data.csv');
    expect(new TextDecoder().decode(file!.bytes)).toBe('a,b\n1,2\n');
    expect(await host.services().pickedFile!('unknown')).toBeUndefined();
    await expect(host.putFile('', 'x', new Uint8Array())).rejects.toThrow(/token/);
  });

  it('hands picked Blobs to nodes by token; a new pick of the same token replaces the old one', async () => {
    const host = makeHost();
    await host.putFile('tok-2', 'old.csv', new TextEncoder().encode('a\n1\n'));
    await host.putFileBlob('tok-2', 'new.csv', new Blob(['b\n2\n']));
    expect(await host.services().pickedFile!('tok-2')).toBeUndefined();
    const picked = await host.services().pickedFileBlob!('tok-2');
    expect(picked?.name).toBe('new.csv');
    expect(await picked!.blob.text()).toBe('b\n2\n');
    await host.putFile('tok-2', 'bytes.csv', new TextEncoder().encode('c\n3\n'));
    expect(await host.services().pickedFileBlob!('tok-2')).toBeUndefined();
    expect((await host.services().pickedFile!('tok-2'))?.name).toBe('bytes.csv');
    await expect(host.putFileBlob('', 'x', new Blob([]))).rejects.toThrow(/token/);
  });

  it('runs a data.file node on a picked Blob (streamed) and refuses a ragged one with a clear message', async () => {
    const host = makeHost({ registry: createRegistry() });
    await host.init('cpu');
    await host.putFileBlob('good', 'people.csv', new Blob(['name,age\nAda,36\nAlan,41\nGrace,85\n']));
    await host.putFileBlob('bad', 'ragged.csv', new Blob(['a,b\n1,2\n3\n']));
    const good = (await runAndCollect(host, 'run-file-1', graph([node('f', 'data.file', { token: 'good' })]))).flat();
    expect(good.find((e) => e.type === 'node-done')).toMatchObject({ nodeId: 'f', summary: { text: expect.stringContaining('3 rows × 2 cols') } });
    const bad = (await runAndCollect(host, 'run-file-2', graph([node('f', 'data.file', { token: 'bad' })]))).flat();
    expect(bad.find((e) => e.type === 'node-error')).toMatchObject({ nodeId: 'f', message: expect.stringMatching(/Row 2 \(line 3\) has 1 field\(s\) but the header has 2/) });
  });

  it('explains missing models and missing model io', async () => {
    const host = makeHost();
    await expect(host.exportModel('nope')).rejects.toThrow(/not available/);
    const withIo = makeHost({
      modelIo: {
        createPredictor: () => {
          throw new Error('unreachable');
        },
        exportModelZip: () => new Uint8Array(),
        exportOnnx: () => new Uint8Array(),
        importModelZip: () => {
          throw new Error('Not a model zip: missing model.json');
        },
      },
    });
    await expect(withIo.predict('nope', {})).rejects.toThrow(/No stored model with id "nope"/);
    await expect(withIo.importModel(new Uint8Array([1, 2, 3]))).rejects.toThrow(/missing model\.json/);
  });
});
