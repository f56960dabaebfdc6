/**
 * The browser's trial pool: module workers spawned by the engine worker (Chromium, Firefox
 * and Safari let a worker start workers), as many as the cores, capped by the device memory.
 * Idle workers end after a minute: each holds its own tfjs and wasm heap.
 */
import * as Comlink from 'comlink';
import type { TrialWorkerApi } from '../nodes/tune/trials';
import { createTrialPool, poolSize, type TrialPool, type TrialWorkerHandle } from './trial-pool';

const IDLE_MS = 60_000;

function spawnBrowserTrialWorker(): TrialWorkerHandle {
  const worker = new Worker(new URL('./trial.worker.ts', import.meta.url), { type: 'module', name: 'tune trials' });
  const exited = new Promise<Error>((resolve) => {
    worker.addEventListener('error', (event) => resolve(new Error(event.message || 'the trial worker failed to load')));
  });
  return { api: Comlink.wrap<TrialWorkerApi>(worker), exited, terminate: () => worker.terminate() };
}

/** A pool when the device has more than one core to give it, else none (trials run in the engine worker). */
export function browserTrialRunner(): TrialPool | undefined {
  const nav = globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined;
  const size = poolSize(nav?.hardwareConcurrency, nav?.deviceMemory);
  if (size < 2 || typeof Worker === 'undefined') return undefined;
  return createTrialPool({ size, spawn: spawnBrowserTrialWorker, backends: ['wasm', 'cpu'], idleMs: IDLE_MS });
}
