/**
 * Training on large tables: the Train node's own path (prepareTrainingData + TrainingSession)
 * on generated tables of 10k / 100k / 1M rows × 20 features, MLP 64→64, 1 epoch, batch 1024,
 * wasm backend. Each run is its own child process, so its peak resident memory is its own.
 * At every size, batches built on demand from the columns (what the node uses above 64 MB of
 * training tensors) are compared with the whole partition as one tensor (what it uses below).
 *
 *   npx tsx bench/large-training.ts [rows,rows,…]      (default 10000,100000,1000000)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { Column, Dataset } from '../src/data/types';
import { TrainingSession, prepareTrainingData } from '../src/ml/train';
import { initBackend } from '../src/runtime/backend';
import { nodeBackendPlatform } from '../src/runtime/backend-node';

export const FEATURES = 20;

export interface LargeTrainingResult {
  rows: number;
  storage: 'tensors' | 'columns';
  used: 'tensors' | 'columns';
  backend: string;
  /** Data preparation (tensors or column checks) to the end of the one epoch. */
  totalMs: number;
  prepareMs: number;
  firstEpochMs: number;
  peakTensorBytes: number;
  /** Resident set above what the process held after making the table. */
  peakRssAboveTableMB: number;
  tableMB: number;
  loss: number;
}

/** `rows` × 20 seeded features in [-1, 1) and a numeric target mixing them (plus noise). */
function generated(rows: number): Dataset {
  let state = 17;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const columns: Column[] = [];
  const target = new Float64Array(rows);
  for (let j = 0; j < FEATURES; j++) {
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      values[i] = random() * 2 - 1;
      target[i] += values[i] * (j % 2 === 0 ? 1 : -0.5);
    }
    columns.push({ name: `f${j}`, dtype: 'number', values });
  }
  for (let i = 0; i < rows; i++) target[i] += (random() - 0.5) * 0.1;
  columns.push({ name: 'y', dtype: 'number', values: target });
  return {
    table: { columns, rowCount: rows },
    roles: { features: columns.slice(0, FEATURES).map((c) => c.name), target: 'y' },
    partitions: null,
    transforms: [],
    rawSchema: columns.slice(0, FEATURES).map((c) => ({ name: c.name, dtype: c.dtype })),
    source: { name: `generated-${rows}`, hash: `generated-${rows}` },
  } as unknown as Dataset;
}

async function child(rows: number, storage: 'tensors' | 'columns'): Promise<void> {
  const backend = await initBackend(tf, 'wasm', nodeBackendPlatform);
  const dataset = generated(rows);
  const tableRss = process.memoryUsage().rss;
  const started = performance.now();
  const data = prepareTrainingData(dataset, { task: 'regression', validationFraction: 0, classWeights: 'none', seed: 1, storage, batchSize: 1024 });
  const prepareMs = performance.now() - started;
  const session = new TrainingSession(data, {
    spec: { family: 'mlp', hyper: { layers: [64, 64], activation: 'relu', dropout: 0, l2: 0 } },
    optimizer: 'adam',
    learningRate: 0.005,
    batchSize: 1024,
    patience: 0,
    monitor: 'loss',
    restoreBest: false,
    seed: 1,
    startedAt: started,
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  await session.run(1);
  const totalMs = performance.now() - started;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const result: LargeTrainingResult = {
    rows,
    storage,
    used: data.storage,
    backend: backend.name,
    totalMs: Math.round(totalMs),
    prepareMs: Math.round(prepareMs),
    firstEpochMs: Math.round(session.firstEpochMs ?? NaN),
    peakTensorBytes: session.peakTensorBytes,
    peakRssAboveTableMB: Math.round((peakRss - tableRss) / 2 ** 20),
    tableMB: Math.round((rows * (FEATURES + 1) * 8) / 2 ** 20),
    loss: session.history[0].loss,
  };
  session.dispose();
  data.dispose();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export function runLargeTraining(rows: number, storage: 'tensors' | 'columns'): LargeTrainingResult {
  const script = fileURLToPath(import.meta.url);
  const out = spawnSync(process.execPath, ['--import', 'tsx', script, 'child', String(rows), storage], { encoding: 'utf8', timeout: 900_000 });
  if (out.status !== 0) throw new Error(`large training ${rows} ${storage} failed: ${out.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as LargeTrainingResult;
}

async function main(): Promise<void> {
  if (process.argv[2] === 'child') return child(Number(process.argv[3]), process.argv[4] as 'tensors' | 'columns');
  const sizes = (process.argv[2] ?? '10000,100000,1000000').split(',').map(Number);
  for (const rows of sizes) {
    for (const storage of ['tensors', 'columns'] as const) console.log(JSON.stringify(runLargeTraining(rows, storage)));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
