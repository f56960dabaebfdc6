/**
 * The bench page: every request gets a fresh worker (a clean tfjs with one backend), and the
 * worker is terminated afterwards. Driven from bench/run.ts through `window.pipelineBench`.
 */
import type { BenchRequest, BenchResult } from './protocol';

function run(request: BenchRequest): Promise<BenchResult> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<BenchResult>((resolve) => {
    worker.onmessage = (event: MessageEvent<BenchResult>) => resolve(event.data);
    worker.onerror = (event) => resolve({ kind: 'error', message: event.message || 'the bench worker crashed' });
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

(globalThis as { pipelineBench?: unknown }).pipelineBench = { run, ready: true };
