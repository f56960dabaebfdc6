/** Backend platform for Node (CLI, tests): wasm from the installed package's dist/ folder, or cpu. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Tf } from '../ml/tf';
import { registerWasmTrainingKernels } from '../ml/wasm-grads';
import type { BackendPlatform } from './backend';

let wasmRegistered = false;

export function wasmDistDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

export const nodeBackendPlatform: BackendPlatform = {
  kinds: ['wasm', 'cpu'],
  async detect(name) {
    if (name === 'wasm') return typeof WebAssembly === 'object' ? { available: true } : { available: false, note: 'WebAssembly is missing' };
    if (name === 'cpu') return { available: true };
    return { available: false, note: 'not available in Node' };
  },
  async register(name, tf: Tf) {
    if (name !== 'wasm' || wasmRegistered) return;
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmDistDirectory());
    // Threads need cross-origin isolation in browsers and hung in minified builds: never use them.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    registerWasmTrainingKernels(tf);
    wasmRegistered = true;
  },
};
