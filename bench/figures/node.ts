/**
 * Figures measured in this Node process with the engine and tfjs (wasm backend, cpu as the
 * fallback): training overhead, cache re-use, and accuracy/time of the shipped examples.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createFileReader } from '../../src/cli/files';
import type { RunEvent } from '../../src/engine/events';
import { Executor } from '../../src/engine/executor';
import type { Graph } from '../../src/engine/graph';
import { parseGraphFile } from '../../src/engine/graph-file';
import type { NodeServices } from '../../src/engine/services';
import { planRun } from '../../src/engine/plan';
import { createRegistry } from '../../src/nodes';
import { initBackend } from '../../src/runtime/backend';
import { nodeBackendPlatform } from '../../src/runtime/backend-node';
import type { BackendInfo } from '../../src/runtime/protocol';
import { MemoryDatasetStore, MemoryModelStore } from '../../src/storage/memory';
import { DIGITS_MLP, compareTraining } from '../lib/training';
import type { Figure } from '../lib/report';
import { ms, ratio, round } from '../lib/stats';

export const REPO = join(import.meta.dirname, '..', '..');

export interface NodeBackends {
  /** What "auto" picks in Node (probe of wasm vs cpu). */
  auto: BackendInfo;
  /** The backend the Node figures run on (wasm, or cpu when wasm cannot start). */
  active: BackendInfo;
}

export async function startNodeBackend(): Promise<NodeBackends> {
  const auto = await initBackend(tf, 'auto', nodeBackendPlatform);
  const active = await initBackend(tf, 'wasm', nodeBackendPlatform);
  return { auto, active };
}

export function services(backend: string): NodeServices {
  return { backend, readFile: createFileReader(REPO), datasets: new MemoryDatasetStore(), models: new MemoryModelStore() };
}

export async function trainingOverheadNode(figure: Figure, backend: string): Promise<void> {
  const comparison = await compareTraining(tf, DIGITS_MLP, services(backend), 1);
  figure.data = { node: comparison };
  figure.rows.push({
    measure: `Node (${comparison.backend}): Train node vs hand-written model.fit`,
    product: ms(comparison.pipelineTrainNodeMs),
    baseline: ms(comparison.handWrittenMs),
    ratio: ratio(comparison.ratio),
    note: `digits ${comparison.trainRows} rows, MLP(64,32), ${comparison.epochs} epochs, batch ${comparison.batchSize}; final train acc ${round(comparison.pipelineAccuracy, 3)} vs ${round(comparison.handWrittenAccuracy, 3)}; whole run ${ms(comparison.pipelineRunMs)}`,
  });
}

export interface ExampleGraph {
  name: string;
  graph: Graph;
}

export function shippedExamples(): ExampleGraph[] {
  const directory = join(REPO, 'public', 'examples');
  const registry = createRegistry();
  return readdirSync(directory)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ''), graph: parseGraphFile(readFileSync(join(directory, file), 'utf8'), registry).graph }));
}

interface RunCount {
  ok: boolean;
  ms: number;
  planned: number;
  executed: string[];
  cached: string[];
  errors: Record<string, string>;
}

async function countedRun(executor: Executor, graph: Graph, backend: string, signal?: AbortSignal): Promise<RunCount> {
  const count: RunCount = { ok: false, ms: 0, planned: 0, executed: [], cached: [], errors: {} };
  const onEvent = (event: RunEvent) => {
    if (event.type === 'run-start') count.planned = event.nodeIds.length;
    if (event.type === 'node-start') count.executed.push(event.nodeId);
    if (event.type === 'node-cached') count.cached.push(event.nodeId);
  };
  const result = await executor.run(graph, { services: services(backend), onEvent, signal });
  return { ...count, ok: result.ok, ms: result.ms, errors: Object.fromEntries(result.errors) };
}

/**
 * Cache: run an example, change one param of its Train node (a late node: only it and what
 * depends on it may run again), run again and count. Baseline: a run without the cache
 * executes every node.
 */
export async function cacheFigure(figure: Figure, backend: string): Promise<void> {
  const examples = shippedExamples();
  const example = examples.find((e) => e.name === 'penguins-mlp') ?? examples[0];
  if (!example) throw new Error('no example graphs in public/examples');
  // Fewer epochs than shipped keeps the figure quick; the count does not depend on them.
  const graph = structuredClone(example.graph);
  const train = graph.nodes.find((n) => n.type === 'train.fit');
  if (!train) throw new Error(`${example.name} has no train.fit node`);
  train.params = { ...train.params, epochs: 20 };
  const executor = new Executor(createRegistry());
  try {
    const first = await countedRun(executor, graph, backend);
    if (!first.ok) throw new Error(`first run failed: ${JSON.stringify(first.errors)}`);
    const changed = structuredClone(graph);
    const late = changed.nodes.find((n) => n.id === train.id)!;
    late.params = { ...late.params, learningRate: Number(late.params.learningRate ?? 0.005) * 0.5 };
    const second = await countedRun(executor, changed, backend);
    if (!second.ok) throw new Error(`second run failed: ${JSON.stringify(second.errors)}`);
    const order = planRun(changed).order;
    figure.data = { example: example.name, changed: `${train.id}.learningRate`, first, second, order };
    figure.rows.push({
      measure: `${example.name}: nodes run after changing ${train.id}.learningRate`,
      product: `${second.executed.length} of ${second.planned}`,
      baseline: `${first.executed.length} of ${first.planned} (cold run)`,
      ratio: ratio(second.executed.length / first.executed.length),
      note: `re-ran ${second.executed.join(', ')}; cached ${second.cached.join(', ')}; ${ms(second.ms)} vs ${ms(first.ms)} (20 epochs)`,
    });
  } finally {
    executor.clear();
  }
}

/** Each shipped example as shipped (its own epochs and early stopping), accuracy or R² next to its time. */
export async function accuracyFigure(figure: Figure, backend: string, perExampleMs: number): Promise<void> {
  const results: unknown[] = [];
  for (const example of shippedExamples()) {
    const executor = new Executor(createRegistry());
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), perExampleMs);
    try {
      const run = await countedRun(executor, example.graph, backend, controller.signal);
      const evaluate = example.graph.nodes.find((n) => n.type === 'evaluate.metrics');
      const train = example.graph.nodes.find((n) => n.type === 'train.fit');
      const scalars = (evaluate && (executor.outputsOf(evaluate.id)?.outputs.metrics as { task: string; partition: string; scalars: Record<string, number> } | undefined)) || null;
      const artifact = train ? (executor.outputsOf(train.id)?.outputs.model as { artifact: { trainParams: Record<string, unknown> } } | undefined)?.artifact : undefined;
      const epochs = artifact ? `${artifact.trainParams.epochsRun} epochs${artifact.trainParams.stoppedEarly ? ' (early stop)' : ''}` : '';
      results.push({ example: example.name, ok: run.ok, ms: run.ms, metrics: scalars, epochsRun: artifact?.trainParams.epochsRun });
      if (!run.ok || !scalars) {
        const why = controller.signal.aborted ? `stopped at the ${ms(perExampleMs)} limit` : JSON.stringify(run.errors);
        figure.rows.push({ measure: example.name, product: 'ERROR', note: why });
        continue;
      }
      const s = scalars.scalars;
      const quality = scalars.task === 'classification' ? `accuracy ${s.accuracy.toFixed(3)}` : `R² ${s.r2.toFixed(3)}, RMSE ${s.rmse.toPrecision(3)}`;
      figure.rows.push({ measure: example.name, product: `${quality} in ${ms(run.ms)}`, note: `${scalars.partition} partition, ${s.rows} rows; ${epochs}; ${backend}` });
    } finally {
      clearTimeout(timer);
      executor.clear();
    }
  }
  figure.data = results;
}

export function tensorsInUse(): number {
  return tf.memory().numTensors;
}
