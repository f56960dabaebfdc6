import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportOnnxCommand } from '../cli/export-onnx';
import { createFileReader } from '../cli/files';
import { parseGraphFile } from '../engine/graph-file';
import { createRegistry } from '../nodes';
import { MemoryDatasetStore, MemoryModelStore } from '../storage/memory';
import { nodeBackendPlatform } from './backend-node';
import { EngineHost } from './engine-host';
import { modelIo } from './model-io';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

describe('EngineHost with real nodes', () => {
  it('trains a saved model, predicts with it, exports and re-imports it, and frees its tensors', async () => {
    const registry = createRegistry();
    const models = new MemoryModelStore();
    const host = new EngineHost({
      registry,
      loadTf: async () => tf,
      platform: nodeBackendPlatform,
      readFile: createFileReader(repo),
      datasets: new MemoryDatasetStore(),
      models,
      modelIo,
    });
    await host.init('cpu');
    const baseline = tf.memory().numTensors;
    const { graph } = parseGraphFile(await readFile(join(repo, 'src/cli/testdata/iris-train.json'), 'utf8'), registry);
    const small = { ...graph, nodes: graph.nodes.map((n) => (n.id === 'train' ? { ...n, params: { ...n.params, epochs: 10 } } : n)) };
    const events: string[] = [];
    await host.run('r1', small, {}, (batch) => events.push(...batch.map((e) => e.type)));
    expect(events.at(-1)).toBe('run-done');

    // Views of the model and metrics nodes.
    const modelViews = (await host.views(small, 'train'))?.views;
    expect(modelViews?.map((v) => v.kind)).toEqual(['series', 'keyvalue']);
    const history = modelViews![0];
    expect(history.kind === 'series' && history.series.find((s) => s.name === 'loss')?.points).toHaveLength(10);
    expect((await host.views(small, 'eval'))?.views[0].kind).toBe('metrics');
    // The split dataset's columns carry roles.
    expect(await host.columns(small, 'split')).toContainEqual({ name: 'species', dtype: 'category', role: 'target' });
    // The train node outputs a model: its pickers get the dataset columns upstream.
    expect((await host.columns(small, 'train'))?.length).toBe(5);

    const [saved] = await models.list();
    expect(saved.name).toBe('iris-cli');
    const record = { 'sepal length (cm)': 5.1, 'sepal width (cm)': 3.5, 'petal length (cm)': 1.4, 'petal width (cm)': 0.2 };
    const predicting = performance.now();
    const first = await host.predict(saved.id, record);
    const wall = performance.now() - predicting;
    expect(['setosa', 'versicolor', 'virginica']).toContain(first.prediction);
    expect(Object.values(first.probabilities ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    // This call's duration, not a timestamp: between 0 and its wall time.
    expect(first.latencyMs).toBeGreaterThanOrEqual(0);
    expect(first.latencyMs).toBeLessThanOrEqual(Math.ceil(wall) + 1);

    const zip = await host.exportModel(saved.id);
    expect(zip.byteLength).toBeGreaterThan(100);
    // The Models panel's ONNX download (made here, in the worker) is byte for byte what `export-onnx` writes for the zip.
    const onnx = await host.exportOnnx(saved.id);
    const dir = await mkdtemp(join(tmpdir(), 'host-onnx-'));
    await writeFile(join(dir, 'model.zip'), zip);
    expect(await exportOnnxCommand(['model.zip', '-o', 'model.onnx'], { stdout: () => {}, stderr: () => {}, cwd: dir })).toBe(0);
    expect(Buffer.from(onnx).equals(await readFile(join(dir, 'model.onnx')))).toBe(true);
    const importedId = await host.importModel(zip);
    expect(importedId).not.toBe(saved.id);
    expect((await models.list()).find((m) => m.id === importedId)?.version).toBe(2);
    const again = await host.predict(importedId, record);
    expect(again.prediction).toBe(first.prediction);
    expect(again.probabilities![String(first.prediction)]).toBeCloseTo(first.probabilities![String(first.prediction)], 5);

    await expect(host.importModel(new Uint8Array([1, 2, 3]))).rejects.toThrow();
    await expect(host.predict('missing', record)).rejects.toThrow(/No stored model with id "missing"/);

    host.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('lists a data node’s columns to the pickers downstream before anything has run (schema probe, no run)', async () => {
    const registry = createRegistry();
    const host = new EngineHost({ registry, loadTf: async () => tf, platform: nodeBackendPlatform, readFile: createFileReader(repo), datasets: new MemoryDatasetStore() });
    const { graph } = parseGraphFile(await readFile(join(repo, 'src/cli/testdata/iris-train.json'), 'utf8'), registry);
    const columns = await host.columns(graph, 'roles');
    expect(columns?.map((c) => c.name)).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)', 'species']);
    expect(columns).toContainEqual({ name: 'species', dtype: 'category' });
    // Nothing ran: no node has a result.
    expect(await host.views(graph, 'iris')).toBeNull();
    host.dispose();
  });
});
