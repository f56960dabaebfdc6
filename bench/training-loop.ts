/**
 * Figure 10 (the training loop) on its own, for a quick look or another machine:
 *
 *   npx tsx bench/training-loop.ts [--cpu-epochs 3] [--repeats 2]
 *
 * `npm run bench` includes it (`--only 10` runs it alone there). Bundled by
 * scripts/training-loop-bundle.sh for a machine without a registry, where it takes
 * --public and --wasm-dir. Prints the table and one JSON line with the rows.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { parseGraphFile } from '../src/engine/graph-file';
import { createRegistry } from '../src/nodes';
import { provideTf } from '../src/ml/tf';
import { trainingLoopFigure } from './figures/training-loop';
import { runFigure, textTable, withNumbers } from './lib/report';
import { registerWasmTrainingKernels } from '../src/ml/wasm-grads';

const { values } = parseArgs({
  options: {
    public: { type: 'string', default: join(import.meta.dirname ?? process.cwd(), '..', 'public') },
    'wasm-dir': { type: 'string' },
    'cpu-epochs': { type: 'string', default: '3' },
    repeats: { type: 'string', default: '2' },
  },
});

async function main(): Promise<void> {
  const publicDir = values.public!;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (values['wasm-dir']) wasm.setWasmPaths(values['wasm-dir']);
  else {
    const { wasmDistDirectory } = await import('../src/runtime/backend-node');
    wasm.setWasmPaths(wasmDistDirectory());
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
  registerWasmTrainingKernels(tf);
  provideTf(tf);
  const registry = createRegistry();
  const example = async (name: string) => parseGraphFile(await readFile(join(publicDir, 'examples', `${name}.json`), 'utf8'), registry).graph;
  const services = { backend: 'wasm', readFile: async (path: string) => new Uint8Array(await readFile(join(publicDir, path))) };
  const examples = { cnn: await example('digits-cnn'), mlp: await example('digits-mlp') };
  const figure = await runFigure(10, 'Training loop', 1_800_000, (f) =>
    trainingLoopFigure(f, {
      services,
      examples,
      cpuEpochs: Number(values['cpu-epochs']),
      repeats: Number(values.repeats),
    }),
  );
  withNumbers([figure]);
  console.log(textTable([figure]));
  console.log(JSON.stringify({ tensorsLeft: tf.memory().numTensors, rows: figure.rows, error: figure.error }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
