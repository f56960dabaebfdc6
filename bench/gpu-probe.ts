/**
 * The backend choice and the example trainings on a machine with a real GPU, in Node.
 *
 * Headless Chromium cannot be carried to the GPU machine this project is sometimes lent
 * (no registry there, and the browser with its libraries is larger than what travels), so
 * this script drives the same tfjs WebGPU backend through Dawn — the WebGPU implementation
 * inside Chromium — from the optional `webgpu` npm package. It runs the product's own
 * `initBackend` (detect → probe → choose) with WebGPU added to the Node platform, then
 * trains the shipped examples through the executor on each backend and prints one JSON
 * object: adapter info, the choice and its reason, and per backend and example the train
 * time and the test metric.
 *
 * Usage: tsx bench/gpu-probe.ts [--examples iris-mlp,digits-mlp,digits-cnn] [--backends webgpu,wasm]
 * Bundled for the GPU machine with esbuild (see scripts/gpu-probe-bundle.sh).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { Metrics } from '../src/data/types';
import { Executor } from '../src/engine/executor';
import { parseGraphFile } from '../src/engine/graph-file';
import { createRegistry } from '../src/nodes';
import { provideTf } from '../src/ml/tf';
import { initBackend, type BackendPlatform } from '../src/runtime/backend';
import { nodeBackendPlatform } from '../src/runtime/backend-node';
import { registerWasmTrainingKernels } from '../src/ml/wasm-grads';
import type { BackendName } from '../src/runtime/protocol';

interface AdapterReport {
  available: boolean;
  isFallbackAdapter?: boolean;
  vendor?: string;
  architecture?: string;
  description?: string;
  error?: string;
}

const { values } = parseArgs({
  options: {
    examples: { type: 'string', default: 'iris-mlp,digits-mlp,digits-cnn' },
    backends: { type: 'string', default: 'webgpu,wasm' },
    public: { type: 'string', default: join(process.cwd(), 'public') },
    'wasm-dir': { type: 'string' },
  },
});
const publicDir = values.public!;

/** Installs navigator.gpu from Dawn (the `webgpu` package) when it is there. */
async function installDawn(): Promise<AdapterReport> {
  try {
    // A variable name keeps TypeScript and the bundler from resolving it: `webgpu` is optional.
    const dawnPackage = 'webgpu';
    const dawn = (await import(dawnPackage)) as { create(flags: string[]): GPU; globals: Record<string, unknown> };
    Object.assign(globalThis, dawn.globals);
    const gpu = dawn.create([]);
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { available: false, error: 'requestAdapter() returned null' };
    const info = (adapter as GPUAdapter & { info: { isFallbackAdapter?: boolean; vendor: string; architecture: string; description: string } }).info;
    return { available: true, isFallbackAdapter: info.isFallbackAdapter, vendor: info.vendor, architecture: info.architecture, description: info.description };
  } catch (error) {
    return { available: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function platformWithWebGpu(adapter: AdapterReport): BackendPlatform {
  return {
    kinds: ['webgpu', ...nodeBackendPlatform.kinds],
    async detect(name) {
      if (name !== 'webgpu') return nodeBackendPlatform.detect(name);
      if (!adapter.available) return { available: false, note: adapter.error };
      const note = [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ');
      return { available: true, software: adapter.isFallbackAdapter === true, note };
    },
    async register(name, tfjs) {
      if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
      else if (name === 'wasm' && values['wasm-dir']) await registerWasmFrom(values['wasm-dir'], tfjs);
      else await nodeBackendPlatform.register(name, tfjs);
    },
  };
}

async function trainExample(example: string, backend: BackendName) {
  const registry = createRegistry();
  const text = await readFile(join(publicDir, 'examples', `${example}.json`), 'utf8');
  const { graph } = parseGraphFile(text, registry);
  await tf.setBackend(backend);
  await tf.ready();
  provideTf(tf);
  const before = tf.memory().numTensors;
  const executor = new Executor(registry);
  const nodeMs = new Map<string, number>();
  const result = await executor.run(graph, {
    services: { backend, readFile: async (path) => new Uint8Array(await readFile(join(publicDir, path))) },
    onEvent: (event) => {
      if (event.type === 'node-done') nodeMs.set(event.nodeId, Math.round(event.ms));
    },
  });
  const trainNode = graph.nodes.find((n) => n.type === 'train.fit');
  const evaluateNode = graph.nodes.find((n) => n.type === 'evaluate.metrics');
  const metrics = evaluateNode ? (executor.outputsOf(evaluateNode.id)?.outputs.metrics as Metrics | undefined) : undefined;
  const report = {
    example,
    backend,
    ok: result.ok,
    errors: Object.fromEntries(Object.entries(result.errors ?? {}).map(([id, e]) => [id, String(e)])),
    runMs: Math.round(result.ms),
    trainMs: trainNode ? nodeMs.get(trainNode.id) : undefined,
    metrics: metrics ? { accuracy: metrics.scalars.accuracy, r2: metrics.scalars.r2, rows: metrics.scalars.rows } : undefined,
    leakedTensors: 0,
  };
  executor.clear();
  report.leakedTensors = tf.memory().numTensors - before;
  return report;
}

/** For the bundled script, where the wasm files sit beside it rather than in node_modules. */
async function registerWasmFrom(directory: string, tfjs: typeof tf) {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(directory);
  tfjs.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  registerWasmTrainingKernels(tfjs);
}

async function main() {
  const adapter = await installDawn();
  const chosen = await initBackend(tf, 'auto', platformWithWebGpu(adapter));
  const out: Record<string, unknown> = { adapter, choice: { name: chosen.name, reason: chosen.reason, candidates: chosen.candidates }, runs: [] };
  console.error(`backend: ${chosen.name} (${chosen.reason})`);
  const registered = new Set(chosen.candidates.filter((c) => c.available).map((c) => c.name));
  for (const backend of values.backends!.split(',') as BackendName[]) {
    if (!registered.has(backend)) {
      (out.runs as unknown[]).push({ backend, skipped: 'not available' });
      continue;
    }
    await platformWithWebGpu(adapter).register(backend, tf);
    for (const example of values.examples!.split(',')) {
      try {
        const run = await trainExample(example, backend);
        console.error(`${backend} ${example}: train ${run.trainMs} ms, run ${run.runMs} ms, ${JSON.stringify(run.metrics)}`);
        (out.runs as unknown[]).push(run);
      } catch (error) {
        (out.runs as unknown[]).push({ example, backend, error: error instanceof Error ? error.stack : String(error) });
      }
    }
  }
  console.log(JSON.stringify(out, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
