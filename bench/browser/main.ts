/**
 * The bench page: every request gets a fresh worker (a clean tfjs with one backend), and the
 * worker is terminated afterwards. Driven from bench/run.ts through `window.pipelineBench`.
 * The ingest figure's CSV is generated once per page and handed to each worker as a Blob
 * (by reference, as a picked File is), so both sides of the comparison read the same file.
 */
import { generateBenchCsv } from '../lib/csv';
import type { BenchRequest, BenchResult } from './protocol';

const files = new Map<number, Blob>();

/** Makes the ingest file ahead of a timed request (generation is not part of any figure). */
function prepareIngest(rows: number): number {
  let file = files.get(rows);
  if (!file) files.set(rows, (file = new Blob([generateBenchCsv(rows)], { type: 'text/csv' })));
  return file.size;
}

function run(request: BenchRequest): Promise<BenchResult> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  const file = request.kind === 'ingest' ? files.get(request.rows) : undefined;
  return new Promise<BenchResult>((resolve) => {
    worker.onmessage = (event: MessageEvent<BenchResult>) => resolve(event.data);
    worker.onerror = (event) => resolve({ kind: 'error', message: event.message || 'the bench worker crashed' });
    worker.postMessage({ request, file });
  }).finally(() => worker.terminate());
}

(globalThis as { pipelineBench?: unknown }).pipelineBench = { run, prepareIngest, ready: true };
