/**
 * Figure 10, the training loop (Node, the active backend, normally wasm):
 *   - the Train node against the least one could write by hand with tfjs (per-batch minimize);
 *   - the new loop against the model.fit-per-epoch loop it replaced, on the same prepared rows;
 *   - the digits-cnn example on wasm against the cpu fallback it used before wasm had conv
 *     gradients, and against the digits-mlp example;
 *   - a scale curve: synthetic rows × 20 features, MLP(64,64), batch 256, 5 epochs.
 * Alternating repeats, best of each, so both sides of a ratio get the same chances on a busy machine.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../src/data/types';
import type { RunEvent } from '../../src/engine/events';
import { Executor } from '../../src/engine/executor';
import type { Graph } from '../../src/engine/graph';
import type { NodeServices } from '../../src/engine/services';
import { TrainingSession, prepareTrainingData } from '../../src/ml/train';
import { createRegistry } from '../../src/nodes';
import { type Figure, timeRow } from '../lib/report';
import { round } from '../lib/stats';
import { DIGITS_MLP, type BaselineTiming, runFitPerEpochLoop, runMinimalLoop, runPipelineTraining, runTrainingSession } from '../lib/training';

/** Runs `a` and `b` alternately `repeats` times; the best of each. */
async function bestOf<T extends { ms: number }>(repeats: number, a: () => Promise<T>, b: () => Promise<T>): Promise<[T, T]> {
  let bestA: T | null = null;
  let bestB: T | null = null;
  for (let i = 0; i < repeats; i++) {
    const x = await a();
    if (!bestA || x.ms < bestA.ms) bestA = x;
    const y = await b();
    if (!bestB || y.ms < bestB.ms) bestB = y;
  }
  return [bestA!, bestB!];
}

/** The Train node's time (node-done event) in a run of `graph`. */
async function trainNodeMs(graph: Graph, services: NodeServices, trainNode = 'train'): Promise<{ ms: number; epochs: number; accuracy?: number }> {
  const executor = new Executor(createRegistry());
  let ms = Number.NaN;
  const onEvent = (event: RunEvent) => {
    if (event.type === 'node-done' && event.nodeId === trainNode) ms = event.ms;
  };
  const result = await executor.run(graph, { services, onEvent });
  if (!result.ok) throw new Error(`${graph.name}: ${JSON.stringify(result.errors)}`);
  const model = executor.outputsOf(trainNode)!.outputs.model as { artifact: { trainParams: Record<string, unknown> } };
  const evaluate = graph.nodes.find((n) => n.type === 'evaluate.metrics');
  const metrics = evaluate ? (executor.outputsOf(evaluate.id)?.outputs.metrics as { scalars: Record<string, number> } | undefined) : undefined;
  executor.clear();
  return { ms, epochs: Number(model.artifact.trainParams.epochsRun), accuracy: metrics?.scalars.accuracy };
}

function withTrainParams(graph: Graph, params: Record<string, unknown>): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.type === 'train.fit' ? { ...n, params: { ...n.params, ...params } } : n)) };
}

/** `rows` × `features` synthetic rows, three classes from a seeded linear rule, all in train. */
export function syntheticDataset(rows: number, features: number): Dataset {
  let state = 12345;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const columns = Array.from({ length: features }, () => new Float64Array(rows));
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let score = 0;
    for (let f = 0; f < features; f++) {
      const v = random() * 2 - 1;
      columns[f][r] = v;
      score += (f % 3 === 0 ? 1 : -0.5) * v;
    }
    labels[r] = score < -0.5 ? 0 : score < 0.5 ? 1 : 2;
  }
  const names = columns.map((_, f) => `f${f}`);
  return {
    table: {
      rowCount: rows,
      columns: [...columns.map((values, f) => ({ name: names[f], dtype: 'number' as const, values })), { name: 'y', dtype: 'category' as const, categories: ['a', 'b', 'c'], codes: labels }],
    },
    roles: { features: names, target: 'y' },
    partitions: null,
    transforms: [],
    rawSchema: names.map((name) => ({ name, dtype: 'number' as const })),
    source: { name: 'synthetic', hash: `synthetic-${rows}x${features}` },
  };
}

async function scalePoint(rows: number): Promise<BaselineTiming> {
  const dataset = syntheticDataset(rows, 20);
  const started = performance.now();
  const data = prepareTrainingData(dataset, { task: 'classification', validationFraction: 0, classWeights: 'none', seed: 3 });
  const session = new TrainingSession(data, {
    spec: { family: 'mlp', hyper: { layers: [64, 64], activation: 'relu', dropout: 0, l2: 0 } },
    optimizer: 'adam',
    learningRate: 0.005,
    batchSize: 256,
    patience: 0,
    monitor: 'loss',
    restoreBest: false,
    seed: 3,
  });
  try {
    await session.run(5);
    return { ms: performance.now() - started, finalAccuracy: Number(session.history.at(-1)?.acc) };
  } finally {
    session.dispose();
    data.dispose();
  }
}

export interface TrainingLoopOptions {
  services: NodeServices;
  /** The shipped digits-cnn and digits-mlp example graphs. */
  examples: { cnn: Graph; mlp: Graph };
  /** Epochs the cpu fallback trains the CNN for (its per-epoch time is scaled to the example's epochs). */
  cpuEpochs?: number;
  repeats?: number;
}

export async function trainingLoopFigure(figure: Figure, options: TrainingLoopOptions): Promise<void> {
  const { services, examples } = options;
  const repeats = options.repeats ?? 2;
  const backend = tf.getBackend();
  const settings = DIGITS_MLP;
  const what = `digits, MLP(${settings.hiddenLayers.join(',')}), ${settings.epochs} epochs, batch ${settings.batchSize}`;

  // Warm-up (kernel set-up, wasm instantiation) and the split's rows for the baselines.
  const warm = await runPipelineTraining({ ...settings, epochs: 1 }, services);
  await runMinimalLoop(tf, { ...settings, epochs: 1 }, warm.dataset);
  await runFitPerEpochLoop(tf, { ...settings, epochs: 1 }, warm.dataset);

  const [node, minimal] = await bestOf(
    repeats,
    async () => {
      const t = await runPipelineTraining(settings, services);
      return { ms: t.trainNodeMs, finalAccuracy: t.finalAccuracy };
    },
    () => runMinimalLoop(tf, settings, warm.dataset),
  );
  figure.rows.push(
    timeRow(`Node (${backend}): Train node vs minimal hand-written tfjs loop`, node.ms, { name: 'per-batch optimizer.minimize loop', ms: minimal.ms }, `${what}; final train acc ${round(node.finalAccuracy, 3)} vs ${round(minimal.finalAccuracy, 3)}; target ≤ 1.05×`),
  );

  const [loop, old] = await bestOf(repeats, () => runTrainingSession(settings, warm.dataset), () => runFitPerEpochLoop(tf, settings, warm.dataset));
  figure.rows.push(
    timeRow(`Node (${backend}): new training loop vs the model.fit-per-epoch loop it replaced`, loop.ms, { name: 'model.fit per epoch', ms: old.ms }, `${what}; speed-up ${round(old.ms / loop.ms, 2)}×; final train acc ${round(loop.finalAccuracy, 3)} vs ${round(old.finalAccuracy, 3)}`),
  );

  // The CNN example: wasm now, against cpu (the fallback it trained on before) for a few epochs.
  const cnn = await trainNodeMs(examples.cnn, services);
  const mlp = await trainNodeMs(examples.mlp, services);
  const cpuEpochs = options.cpuEpochs ?? 3;
  let cpu: { ms: number; epochs: number };
  await tf.setBackend('cpu');
  try {
    cpu = await trainNodeMs(withTrainParams(examples.cnn, { epochs: cpuEpochs }), { ...services, backend: 'cpu' });
  } finally {
    await tf.setBackend(backend);
  }
  const cpuFull = (cpu.ms / cpu.epochs) * cnn.epochs;
  figure.rows.push(
    timeRow(`digits-cnn example training on ${backend} vs the cpu fallback`, cnn.ms, { name: `cpu, ${cpu.epochs} epochs scaled to ${cnn.epochs}`, ms: cpuFull }, `${cnn.epochs} epochs; test accuracy ${round(cnn.accuracy ?? Number.NaN, 3)}; speed-up ${round(cpuFull / cnn.ms, 1)}× (expected ≥ 10×); target < 30 s`),
  );
  figure.rows.push(
    timeRow(`digits-cnn vs digits-mlp example training (${backend})`, cnn.ms, { name: 'digits-mlp example', ms: mlp.ms }, `${cnn.epochs} vs ${mlp.epochs} epochs; test accuracy ${round(cnn.accuracy ?? Number.NaN, 3)} vs ${round(mlp.accuracy ?? Number.NaN, 3)}`),
  );

  // Scale curve.
  const points: { rows: number; ms: number }[] = [];
  for (const rows of [1_000, 10_000, 100_000]) {
    await scalePoint(Math.min(rows, 1000)); // warm
    const t = await scalePoint(rows);
    points.push({ rows, ms: t.ms });
    const first = points[0];
    figure.rows.push(
      timeRow(
        `Scale: ${rows.toLocaleString('en')} rows × 20 features (${backend})`,
        t.ms,
        rows === first.rows ? undefined : { name: `${first.rows.toLocaleString('en')} rows`, ms: first.ms },
        `MLP(64,64), batch 256, 5 epochs, data to tensors included; ${Math.round((rows * 5) / (t.ms / 1000)).toLocaleString('en')} row-epochs/s`,
      ),
    );
  }
  figure.data = { node, minimal, loop, old, cnn, mlp, cpu, points };
}
