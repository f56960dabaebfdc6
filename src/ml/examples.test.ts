/**
 * Runs every example graph in public/examples through the engine, as the app and the CLI
 * would, on the wasm backend (a CNN's Train node switches itself to cpu for training, as
 * wasm has no conv gradients), and holds each to its quality bar on the test partition.
 *
 * The bar is held on the MEAN over several graph seeds (each seed is a different 80/20 split,
 * initialisation and shuffle order), starting with the seed the file ships with (42, the app's
 * default for new graphs). One 30-row iris test set moves in steps of 0.033, so a single seed
 * says little: at seed 42 iris scores 0.933 (2 of 30 wrong) with these defaults and with the
 * previous ones, while its mean over seeds 1–10 is 0.973 (scripts/seed-sweep.ts).
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

/** Seeds run after the file's own: the bar holds on the mean over all of them. */
const EXTRA_SEEDS = [1, 2, 3, 4];

/**
 * Convolution training on the cpu backend is slow (digits-cnn's 30 epochs: 463 s on a busy
 * 2-core machine, test accuracy 0.967 at seed 42 via the CLI). Here the CNN example runs one
 * epoch at its own seed only: end to end on wasm through the cpu fallback, tensors checked,
 * accuracy bar not asserted.
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
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend('wasm');
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
    it(`${file} runs and meets its bar on the mean over seeds, leaving no tensors behind`, { timeout: 900_000 }, async () => {
      const registry = createRegistry();
      const { graph, warnings } = parseGraphFile(readFileSync(join(examplesDir, file), 'utf8'), registry);
      expect(warnings).toEqual([]);
      const smokeEpochs = SMOKE_EPOCHS[file];
      if (smokeEpochs) for (const node of graph.nodes) if (node.type === 'train.fit') node.params = { ...node.params, epochs: smokeEpochs };
      const seeds = smokeEpochs ? [graph.seed] : [graph.seed, ...EXTRA_SEEDS];
      const bar = BARS[file];
      const scores: number[] = [];
      for (const seed of seeds) {
        const baseline = tf.memory().numTensors;
        const executor = new Executor(registry);
        const result = await executor.run({ ...graph, seed }, { services: { backend: 'wasm', readFile: readFromPublic } });
        expect(result.errors).toEqual({});
        expect(result.ok).toBe(true);
        expect(tf.getBackend()).toBe('wasm');
        const evaluated = graph.nodes.find((n) => n.type === 'evaluate.metrics')!;
        const metrics = executor.outputsOf(evaluated.id)!.outputs.metrics as Metrics;
        expect(metrics.partition).toBe('test');
        scores.push(metrics.scalars[bar.metric]);
        console.log(`${file} seed ${seed}: ${bar.metric} ${metrics.scalars[bar.metric].toFixed(4)} on ${metrics.scalars.rows} test rows in ${(result.ms / 1000).toFixed(1)} s`);
        executor.clear();
        expect(tf.memory().numTensors).toBe(baseline);
      }
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      console.log(`${file}: mean ${bar.metric} ${mean.toFixed(4)} over seeds ${seeds.join(', ')}`);
      if (!smokeEpochs) expect(mean).toBeGreaterThanOrEqual(bar.atLeast);
    });
  }
});
