/**
 * The bench worker: the same engine, node catalogue and backend choice as the app's engine
 * worker (src/runtime/engine.worker.ts), without comlink, so timings are the engine's own.
 */
import * as tfjs from '@tensorflow/tfjs';
import Papa from 'papaparse';
import type { DatasetStore, NodeServices } from '../../src/engine/services';
import { loadTableFromBlob } from '../../src/nodes/data/load';
import { initBackend } from '../../src/runtime/backend';
import { browserBackendPlatform } from '../../src/runtime/backend-browser';
import { createFetchReader } from '../../src/runtime/read-file-browser';
import { DexieDatasetStore } from '../../src/storage/datasets';
import { getDb } from '../../src/storage/db';
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

/**
 * One side of the ingest figure. 'ours' is the data.file node's own load of a picked file
 * (loadTableFromBlob: the Blob's stream parsed piece by piece with the sha-256 fed the same
 * chunks and the row groups stored in IndexedDB through the app's Dexie store as they are parsed).
 */
async function ingest(request: Extract<BenchRequest, { kind: 'ingest' }>, file: Blob): Promise<IngestResult> {
  const megabytes = file.size / 2 ** 20;
  if (request.mode === 'papaparse') {
    const started = performance.now();
    const papa = Papa.parse<string[]>(await file.text(), { skipEmptyLines: true });
    const totalMs = performance.now() - started;
    if (papa.data.length !== request.rows + 1) throw new Error(`PapaParse read ${papa.data.length - 1} rows, expected ${request.rows}`);
    return { kind: 'ingest', mode: 'papaparse', rows: request.rows, megabytes, totalMs, storedRows: 0 };
  }
  const dexie = new DexieDatasetStore(getDb());
  let storeMs = 0;
  let storedId = '';
  // The app's store, with a fresh key each run (no reuse of an earlier run's entry) and the
  // time of the last step timed: the row groups are stored while the file is parsed.
  const datasets: DatasetStore = {
    findByHash: (hash) => dexie.findByHash(hash),
    get: (id) => dexie.get(id),
    list: () => dexie.list(),
    delete: (id) => dexie.delete(id),
    put: (name, hash, table) => dexie.put(name, hash, table),
    begin: (name) => {
      const writer = dexie.begin(name);
      return {
        rowsPerGroup: writer.rowsPerGroup,
        writeNumbers: (startRow, columns) => writer.writeNumbers(startRow, columns),
        abort: () => writer.abort(),
        commit: async (hash, table) => {
          const started = performance.now();
          const meta = await writer.commit(`${hash}-${Date.now()}`, table);
          storeMs = performance.now() - started;
          storedId = meta.id;
          return meta;
        },
      };
    },
  };
  const ctx = { services: { backend: 'cpu' as const, datasets }, signal: new AbortController().signal, progress: () => undefined };
  const params = { format: 'auto', delimiter: '', header: true, typeOverrides: {}, maxMB: 1024 };
  const started = performance.now();
  const table = await loadTableFromBlob(ctx, 'bench-ingest.csv', file, params);
  const totalMs = performance.now() - started;
  // Checked from the stored metadata (written in the same transaction as the columns): reading
  // the whole table back would add a second copy to the peak memory this figure reports.
  const stored = (await dexie.list()).find((meta) => meta.id === storedId);
  await dexie.delete(storedId);
  if (table.rowCount !== request.rows || stored?.rowCount !== request.rows) throw new Error(`stored ${stored?.rowCount} rows, expected ${request.rows}`);
  return { kind: 'ingest', mode: 'ours', rows: request.rows, megabytes, totalMs, parseMs: totalMs - storeMs, storeMs, storedRows: stored.rowCount };
}

self.onmessage = async (event: MessageEvent<{ request: BenchRequest; file?: Blob }>) => {
  let result: BenchResult;
  const { request, file } = event.data;
  try {
    if (request.kind === 'ingest' && !file) throw new Error('an ingest request needs the file');
    result = request.kind === 'train' ? await train(request) : await ingest(request, file!);
  } catch (error) {
    result = { kind: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) };
  }
  self.postMessage(result);
};
