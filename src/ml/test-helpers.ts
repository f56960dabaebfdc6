/**
 * Test helpers for model nodes: run one node definition with default params merged in,
 * and build small datasets by hand. Used by tests only.
 */
import * as tfjs from '@tensorflow/tfjs';
import type { Column, Dataset, Partitions } from '../data/types';
import type { AnyNodeDefinition, ProgressUpdate } from '../engine/node';
import { defaultParams } from '../engine/params';
import type { NodeServices } from '../engine/services';
import { provideTf } from './tf';

export async function setupCpuTf(): Promise<typeof tfjs> {
  await tfjs.setBackend('cpu');
  provideTf(tfjs);
  return tfjs;
}

export interface RunNodeOptions {
  params?: Record<string, unknown>;
  seed?: number;
  signal?: AbortSignal;
  services?: Partial<NodeServices>;
  onProgress?: (update: ProgressUpdate) => void;
  nodeId?: string;
}

export async function runNode(def: AnyNodeDefinition, inputs: Record<string, unknown>, options: RunNodeOptions = {}): Promise<Record<string, unknown>> {
  const params = { ...defaultParams(def.params), ...(options.params ?? {}) };
  return def.run({
    nodeId: options.nodeId ?? 'node-1',
    runId: 'run-1',
    inputs: inputs as never,
    params: params as never,
    signal: options.signal ?? new AbortController().signal,
    progress: options.onProgress ?? (() => {}),
    services: { backend: 'cpu', ...(options.services ?? {}) } as NodeServices,
    seed: options.seed ?? 42,
    graphId: 'graph-1',
  });
}

export function numberColumn(name: string, values: number[]): Column {
  return { name, dtype: 'number', values: Float64Array.from(values) };
}

export function categoryColumn(name: string, labels: (string | null)[]): Column {
  const categories = [...new Set(labels.filter((l): l is string => l !== null))].sort();
  return { name, dtype: 'category', categories, codes: Int32Array.from(labels.map((l) => (l === null ? -1 : categories.indexOf(l)))) };
}

/** Deterministic split: every 5th row test, every 5th+1 validation (when asked), rest train. */
export function simplePartitions(rowCount: number, withValidation = true): Partitions {
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < rowCount; i++) {
    if (i % 5 === 0) test.push(i);
    else if (withValidation && i % 5 === 1) validation.push(i);
    else train.push(i);
  }
  return { train: Uint32Array.from(train), validation: Uint32Array.from(validation), test: Uint32Array.from(test) };
}

export function makeDataset(columns: Column[], target: string, partitions: Partitions | null = null): Dataset {
  const rowCount = columns[0].dtype === 'category' ? columns[0].codes.length : columns[0].values.length;
  return {
    table: { columns, rowCount },
    roles: { features: columns.map((c) => c.name).filter((n) => n !== target), target },
    partitions: partitions ?? simplePartitions(rowCount),
    transforms: [],
    // Like src/data's createDataset: a serving record carries features only, never the target.
    rawSchema: columns.filter((c) => c.name !== target).map((c) => ({ name: c.name, dtype: c.dtype, ...(c.dtype === 'category' ? { categories: c.categories } : {}) })),
    source: { name: 'hand-made', hash: 'hand' },
  };
}

/** Two well-separated Gaussian-ish blobs per class on a seeded grid: easy, deterministic. */
export function blobsDataset(rowsPerClass = 40, classes = ['a', 'b', 'c']): Dataset {
  const x: number[] = [];
  const y: number[] = [];
  const label: string[] = [];
  let state = 7;
  const rand = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  for (let i = 0; i < rowsPerClass; i++) {
    classes.forEach((c, k) => {
      x.push(k * 3 + rand());
      y.push((k % 2) * 2 + rand());
      label.push(c);
    });
  }
  return makeDataset([numberColumn('x', x), numberColumn('y', y), categoryColumn('label', label)], 'label');
}
