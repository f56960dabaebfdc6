/**
 * The CLI's trial pool: worker threads running trial-worker-node.ts. The TypeScript sources
 * load in the thread through tsx (trial-worker-node.mjs registers it, as bin/pipeline-studio.js
 * does for the CLI itself), so the CLI needs no build step here either.
 */
import { availableParallelism, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { TrialWorkerApi } from '../nodes/tune/trials';
import { createTrialPool, poolSize, type TrialPool, type TrialWorkerHandle } from './trial-pool';

export function spawnNodeTrialWorker(): TrialWorkerHandle {
  const worker = new Worker(new URL('./trial-worker-node.mjs', import.meta.url));
  const exited = new Promise<Error>((resolve) => {
    worker.once('error', (error) => resolve(error instanceof Error ? error : new Error(String(error))));
    worker.once('exit', (code) => resolve(new Error(`exit code ${code}`)));
  });
  return { api: Comlink.wrap<TrialWorkerApi>(nodeEndpoint(worker)), exited, terminate: () => void worker.terminate() };
}

/**
 * A pool as large as the cores (capped by memory), or `size` workers when given. The threads
 * end with each search unless `keepWorkers` (then `shutdown()` ends them): a live worker
 * thread keeps the CLI process from exiting; a second search pays their start-up again.
 */
export function createNodeTrialPool(options: { size?: number; keepWorkers?: boolean } = {}): TrialPool {
  const size = options.size ?? poolSize(availableParallelism(), totalmem() / 2 ** 30);
  return createTrialPool({ size, spawn: spawnNodeTrialWorker, backends: ['wasm', 'cpu'], idleMs: options.keepWorkers ? undefined : 0 });
}

/** The CLI's trial runner: a pool when the machine has more than one core to give it, else none (trials run in-process). */
export function nodeTrialRunner(): TrialPool | undefined {
  const pool = createNodeTrialPool();
  return pool.size > 1 ? pool : undefined;
}
