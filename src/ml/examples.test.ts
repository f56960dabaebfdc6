/**
 * Runs every example graph in public/examples through the engine, as the app and the CLI
 * would, on the wasm backend, and holds each to its quality bar on the test partition.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Metrics } from '../data/types';
import { Executor } from '../engine/executor';
import { parseGraphFile } from '../engine/graph-file';
import type { NodeServices } from '../engine/services';
import { createRegistry } from '../nodes';
import { provideTf } from '../nodes/tf';

const publicDir = join(process.cwd(), 'public');
const examplesDir = join(publicDir, 'examples');

/** tfjs-backend-wasm has no convolution gradients: CNN examples train on cpu. */
const BACKEND: Record<string, 'wasm' | 'cpu'> = { 'digits-cnn.json': 'cpu' };
/**
 * Convolution training on the cpu backend in Node takes minutes: the CNN example runs
 * one epoch here (end to end, tensors checked) and its accuracy bar is not asserted.
 */
const SMOKE_EPOCHS: Record<string, number> = { 'digits-cnn.json': 1 };

/** Headline bar per example on its test partition (sklearn MLP(64,32): iris 0.967, penguins 1.000, digits 0.967). */
const BARS: Record<string, { metric: 'accuracy' | 'r2'; atLeast: number }> = {
  'iris-mlp.json': { metric: 'accuracy', atLeast: 0.96 },
  'penguins-mlp.json': { metric: 'accuracy', atLeast: 0.99 },
  'digits-mlp.json': { metric: 'accuracy', atLeast: 0.96 },
  'digits-cnn.json': { metric: 'accuracy', atLeast: 0.96 },
  'cars-regression.json': { metric: 'r2', atLeast: 0.85 },
};

const readFromPublic: NodeServices['readFile'] = async (path) => new Uint8Array(await readFile(join(publicDir, path)));

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(`${join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
  await tf.setBackend('wasm');
  provideTf(tf);
});

describe('example graphs', () => {
  // index.json lists the templates the app offers; every other file is a graph.
  const files = readdirSync(examplesDir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();

  it('each has a quality bar here, and the templates index names only files that exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files.filter((f) => !BARS[f])).toEqual([]);
    const index = JSON.parse(readFileSync(join(examplesDir, 'index.json'), 'utf8')) as { examples: { name: string }[] };
    expect(index.examples.map((e) => `${e.name}.json`).filter((f) => !files.includes(f))).toEqual([]);
  });

  for (const file of files) {
    it(`${file} runs and meets its bar, leaving no tensors behind`, { timeout: 600_000 }, async () => {
      const registry = createRegistry();
      const { graph, warnings } = parseGraphFile(readFileSync(join(examplesDir, file), 'utf8'), registry);
      expect(warnings).toEqual([]);
      const smokeEpochs = SMOKE_EPOCHS[file];
      if (smokeEpochs) for (const node of graph.nodes) if (node.type === 'train.fit') node.params = { ...node.params, epochs: smokeEpochs };
      const backend = BACKEND[file] ?? 'wasm';
      await tf.setBackend(backend);
      const baseline = tf.memory().numTensors;
      const executor = new Executor(registry);
      const result = await executor.run(graph, { services: { backend, readFile: readFromPublic } });
      expect(result.errors).toEqual({});
      expect(result.ok).toBe(true);
      const evaluated = graph.nodes.find((n) => n.type === 'evaluate.metrics')!;
      const metrics = executor.outputsOf(evaluated.id)!.outputs.metrics as Metrics;
      const bar = BARS[file];
      expect(metrics.partition).toBe('test');
      console.log(`${file}: ${bar.metric} ${metrics.scalars[bar.metric].toFixed(4)} on ${metrics.scalars.rows} test rows in ${(result.ms / 1000).toFixed(1)} s`);
      if (!smokeEpochs) expect(metrics.scalars[bar.metric]).toBeGreaterThanOrEqual(bar.atLeast);
      executor.clear();
      expect(tf.memory().numTensors).toBe(baseline);
    });
  }
});
