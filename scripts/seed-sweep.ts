/**
 * Seed sweep: runs example graphs under several graph seeds (each seed changes the split,
 * the initial weights and the shuffles) and reports mean and min test accuracy, so training
 * defaults are judged on how robust they are across splits, not on one lucky seed.
 *
 *   npx tsx scripts/seed-sweep.ts [--examples iris-mlp,penguins-mlp,digits-mlp] [--seeds 1-10]
 *     [--backend wasm|cpu] [--config name] [--set node.param=value ...]
 *
 * Without --config/--set it runs the examples as shipped (current defaults). Named configs
 * below are the alternatives compared when the train node's defaults were chosen.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { applyOverrides } from '../src/cli/run';
import type { Metrics } from '../src/data/types';
import { Executor } from '../src/engine/executor';
import { parseGraphFile } from '../src/engine/graph-file';
import type { NodeServices } from '../src/engine/services';
import { createRegistry } from '../src/nodes';
import { provideTf } from '../src/ml/tf';
import { nodeBackendPlatform } from '../src/runtime/backend-node';

/** Train/spec overrides per named config (node ids as in the examples: train, spec). */
const CONFIGS: Record<string, string[]> = {
  shipped: [],
  // The pre-change defaults, spelled out (holdout 15% of train, lr 5e-3, batch 32, patience 20 on val_loss, restore best).
  old: ['train.validationFraction=0.15', 'train.learningRate=0.005', 'train.batchSize=32', 'train.patience=20', 'train.tolerance=0.000001', 'train.epochs=300'],
  // sklearn MLPClassifier defaults: all training rows, stop on training loss (tol 1e-4, 10 epochs), adam 1e-3, batch min(200, n), 200 epochs.
  sklearn: ['train.validationFraction=0', 'train.learningRate=0.001', 'train.batchSize=200', 'train.patience=10', 'train.tolerance=0.0001', 'train.epochs=200'],
  'sklearn-lr5e-3': ['train.validationFraction=0', 'train.learningRate=0.005', 'train.batchSize=200', 'train.patience=10', 'train.tolerance=0.0001', 'train.epochs=200'],
  'sklearn-b32': ['train.validationFraction=0', 'train.learningRate=0.001', 'train.batchSize=32', 'train.patience=10', 'train.tolerance=0.0001', 'train.epochs=200'],
  'sklearn-b32-p20': ['train.validationFraction=0', 'train.learningRate=0.001', 'train.batchSize=32', 'train.patience=20', 'train.tolerance=0.0001', 'train.epochs=300'],
  'chosen-p20': ['train.validationFraction=0', 'train.learningRate=0.005', 'train.batchSize=200', 'train.patience=20', 'train.tolerance=0.0001', 'train.epochs=200'],
  'sklearn-500ep': ['train.validationFraction=0', 'train.learningRate=0.001', 'train.batchSize=200', 'train.patience=10', 'train.tolerance=0.0001', 'train.epochs=500'],
  'all-rows-lr5e-3-b32': ['train.validationFraction=0', 'train.learningRate=0.005', 'train.batchSize=32', 'train.patience=10', 'train.tolerance=0.0001', 'train.epochs=300'],
  'holdout-lr1e-3-b32': ['train.validationFraction=0.15', 'train.learningRate=0.001', 'train.batchSize=32', 'train.patience=20', 'train.tolerance=0.000001', 'train.epochs=300'],
};

function parseSeeds(text: string): number[] {
  const m = /^(\d+)-(\d+)$/.exec(text);
  if (m) return Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i);
  return text.split(',').map(Number);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      examples: { type: 'string', default: 'iris-mlp,penguins-mlp,digits-mlp' },
      seeds: { type: 'string', default: '1-10' },
      backend: { type: 'string', default: 'wasm' },
      config: { type: 'string', default: 'shipped' },
      set: { type: 'string', multiple: true, default: [] },
    },
  });
  const overrides = [...(CONFIGS[values.config] ?? []), ...values.set];
  if (!(values.config in CONFIGS)) throw new Error(`unknown config ${values.config} (${Object.keys(CONFIGS).join(', ')})`);
  await nodeBackendPlatform.register(values.backend as 'wasm', tf);
  await tf.setBackend(values.backend);
  provideTf(tf);
  const publicDir = join(process.cwd(), 'public');
  const readFromPublic: NodeServices['readFile'] = async (path) => new Uint8Array(await readFile(join(publicDir, path)));
  const registry = createRegistry();
  const seeds = parseSeeds(values.seeds);
  for (const example of values.examples.split(',')) {
    const text = await readFile(join(publicDir, 'examples', `${example}.json`), 'utf8');
    const base = applyOverrides(parseGraphFile(text, registry).graph, registry, overrides);
    const scores: number[] = [];
    const epochs: number[] = [];
    const started = Date.now();
    for (const seed of seeds) {
      const executor = new Executor(registry);
      const result = await executor.run({ ...base, seed }, { services: { backend: values.backend, readFile: readFromPublic } });
      if (!result.ok) throw new Error(`${example} seed ${seed}: ${JSON.stringify(result.errors)}`);
      const evaluate = base.nodes.find((n) => n.type === 'evaluate.metrics')!;
      const train = base.nodes.find((n) => n.type === 'train.fit')!;
      const metrics = executor.outputsOf(evaluate.id)!.outputs.metrics as Metrics;
      const model = executor.outputsOf(train.id)!.outputs.model as { artifact: { trainParams: Record<string, unknown> } };
      scores.push(metrics.scalars.accuracy ?? metrics.scalars.r2);
      epochs.push(Number(model.artifact.trainParams.epochsRun));
      executor.clear();
    }
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    console.log(
      JSON.stringify({
        config: values.config,
        set: values.set,
        example,
        mean: +mean.toFixed(4),
        min: +Math.min(...scores).toFixed(4),
        perSeed: Object.fromEntries(seeds.map((s, i) => [s, +scores[i].toFixed(4)])),
        meanEpochs: Math.round(epochs.reduce((a, b) => a + b, 0) / epochs.length),
        seconds: Math.round((Date.now() - started) / 100) / 10,
      }),
    );
  }
}

await main();
