/**
 * Runs every example graph in public/examples through the engine, as the app and the CLI
 * would, on the wasm backend (CNNs included: their conv gradient is registered for wasm), and
 * holds each to its quality bar on the test partition AT THE SEED THE FILE SHIPS WITH (42, the
 * app's default for new graphs): the graph a first visit runs is the one that must meet the bar.
 * Where an example misses the usual bar at its seed, the bar is the real number and the README
 * says so (iris, below), never a miss averaged away over other seeds.
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
import { provideTf } from './tf';
import { registerWasmTrainingKernels } from './wasm-grads';

const publicDir = join(process.cwd(), 'public');
const examplesDir = join(publicDir, 'examples');

/**
 * Headline bar per example on its test partition at seed 42 (sklearn MLP(64,32): iris 0.967,
 * penguins 1.000, digits 0.967). Iris is held to what it really scores there, 28 of 30
 * (0.933), as the README states: its 30-row test set moves in steps of 0.033, and no setting
 * tried raised seed 42 without lowering the mean over seeds 1–20 (scripts/seed-sweep.ts: shipped
 * 0.968, batch 16 0.960, 500 epochs 0.965, l2 0.001 0.971 — all 0.933 at seed 42), so changing the
 * example for seed 42's sake would have fitted it to its own test set.
 */
const BARS: Record<string, { metric: 'accuracy' | 'r2'; atLeast: number }> = {
  'iris-mlp.json': { metric: 'accuracy', atLeast: 28 / 30 },
  'penguins-mlp.json': { metric: 'accuracy', atLeast: 0.99 },
  'digits-mlp.json': { metric: 'accuracy', atLeast: 0.96 },
  'digits-cnn.json': { metric: 'accuracy', atLeast: 0.96 },
  'cars-regression.json': { metric: 'r2', atLeast: 0.85 },
};

const readFromPublic: NodeServices['readFile'] = async (path) => new Uint8Array(await readFile(join(publicDir, path)));

beforeAll(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(`${join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist')}/`);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
  registerWasmTrainingKernels(tf);
  provideTf(tf);
});

describe('example graphs', () => {
  // index.json lists the templates the app offers; every other file is a graph.
  const files = readdirSync(examplesDir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();

  it('each has a quality bar here, ships with seed 42 (the default for new graphs), and the templates index names only files that exist', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(files.filter((f) => !BARS[f])).toEqual([]);
    const registry = createRegistry();
    for (const file of files) expect(parseGraphFile(readFileSync(join(examplesDir, file), 'utf8'), registry).graph.seed, file).toBe(42);
    const index = JSON.parse(readFileSync(join(examplesDir, 'index.json'), 'utf8')) as { examples: { name: string }[] };
    expect(index.examples.map((e) => `${e.name}.json`).filter((f) => !files.includes(f))).toEqual([]);
  });

  for (const file of files) {
    it(`${file} runs at its shipped seed, meets its bar, and leaves no tensors behind`, { timeout: 900_000 }, async () => {
      const registry = createRegistry();
      const { graph, warnings } = parseGraphFile(readFileSync(join(examplesDir, file), 'utf8'), registry);
      expect(warnings).toEqual([]);
      const bar = BARS[file];
      const baseline = tf.memory().numTensors;
      const executor = new Executor(registry);
      const backends = new Set<string>();
      const result = await executor.run(graph, { services: { backend: 'wasm', readFile: readFromPublic }, onEvent: () => backends.add(tf.getBackend()) });
      expect(Object.fromEntries(result.errors)).toEqual({});
      expect(result.ok).toBe(true);
      // Trained on wasm from start to end: no node switched to another backend.
      expect([...backends]).toEqual(['wasm']);
      const evaluated = graph.nodes.find((n) => n.type === 'evaluate.metrics')!;
      const metrics = executor.outputsOf(evaluated.id)!.outputs.metrics as Metrics;
      expect(metrics.partition).toBe('test');
      const score = metrics.scalars[bar.metric];
      console.log(`${file} seed ${graph.seed}: ${bar.metric} ${score.toFixed(4)} on ${metrics.scalars.rows} test rows in ${(result.ms / 1000).toFixed(1)} s`);
      executor.clear();
      expect(tf.memory().numTensors).toBe(baseline);
      expect(score).toBeGreaterThanOrEqual(bar.atLeast);
    });
  }
});
