/**
 * The bench worker: the same engine, node catalogue and backend choice as the app's engine
 * worker (src/runtime/engine.worker.ts), without comlink, so timings are the engine's own.
 */
import * as tfjs from '@tensorflow/tfjs';
import Papa from 'papaparse';
import { contentHash } from '../../src/data/hash';
import { parseDelimited } from '../../src/data/parse';
import type { NodeServices } from '../../src/engine/services';
import { initBackend } from '../../src/runtime/backend';
import { browserBackendPlatform } from '../../src/runtime/backend-browser';
import { createFetchReader } from '../../src/runtime/read-file-browser';
import { DexieDatasetStore } from '../../src/storage/datasets';
import { getDb } from '../../src/storage/db';
import { generateBenchCsv } from '../lib/csv';
import { DIGITS_MLP, compareTraining, runPipelineTraining } from '../lib/training';
import type { BenchRequest, BenchResult, IngestResult, TrainResult } from './protocol';

async function train(request: Extract<BenchRequest, { kind: 'train' }>): Promise<TrainResult> {
  const started = performance.now();
  const backend = await initBackend(tfjs, request.preference, browserBackendPlatform);
  const initMs = performance.now() - started;
  const result: TrainResult = { kind: 'train', backend, initMs, epochs: request.epochs };
  if (request.preference !== 'auto' && backend.name !== request.preference) {
    result.unavailable = backend.reason;
    return result;
  }
  const services: NodeServices = { backend: backend.name, readFile: createFetchReader(new URL('/', self.location.origin)) };
  const settings = { ...DIGITS_MLP, epochs: request.epochs };
  if (request.withBaseline) {
    result.comparison = await compareTraining(tfjs, settings, services, 1);
    result.pipelineTrainNodeMs = result.comparison.pipelineTrainNodeMs;
    result.pipelineRunMs = result.comparison.pipelineRunMs;
    result.pipelineAccuracy = result.comparison.pipelineAccuracy;
  } else {
    // One warm-up epoch first (auto too): shader compilation and kernel set-up are not
    // per-epoch costs. auto's detection and probe are reported apart, as initMs.
    await runPipelineTraining({ ...settings, epochs: 1 }, services);
    const timing = await runPipelineTraining(settings, services);
    result.pipelineTrainNodeMs = Math.round(timing.trainNodeMs);
    result.pipelineRunMs = Math.round(timing.runMs);
    result.pipelineAccuracy = timing.finalAccuracy;
  }
  return result;
}

/** Parse + store (our parser into IndexedDB through the Dexie store) vs PapaParse alone. */
async function ingest(rows: number): Promise<IngestResult> {
  const bytes = new TextEncoder().encode(generateBenchCsv(rows));
  let started = performance.now();
  const papa = Papa.parse<string[]>(new TextDecoder().decode(bytes), { skipEmptyLines: true });
  const papaparseMs = performance.now() - started;
  if (papa.data.length !== rows + 1) throw new Error(`PapaParse read ${papa.data.length - 1} rows, expected ${rows}`);

  const store = new DexieDatasetStore(getDb());
  started = performance.now();
  const { table } = await parseDelimited(bytes, { maxBytes: 1024 * 1024 * 1024 });
  const parseMs = performance.now() - started;
  const meta = await store.put('bench-ingest.csv', contentHash(bytes), table);
  const storeMs = performance.now() - started - parseMs;
  await store.delete(meta.id);
  return { kind: 'ingest', rows, megabytes: bytes.length / 2 ** 20, papaparseMs, parseMs, storeMs, storedRows: meta.rowCount };
}

self.onmessage = async (event: MessageEvent<BenchRequest>) => {
  let result: BenchResult;
  try {
    result = event.data.kind === 'train' ? await train(event.data) : await ingest(event.data.rows);
  } catch (error) {
    result = { kind: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) };
  }
  self.postMessage(result);
};
