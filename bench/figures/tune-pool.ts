/**
 * Figure 11, tune on a pool of workers (Node worker threads, the CLI's pool, on the active
 * backend): the digits-mlp example with its Train node replaced by a Tune node searching
 * 12 trials (4 learning rates × 3 layer sizes, no halving, so every trial does the same work),
 * timed as the tune node's own time with 2 workers against 1 worker, and against trials in
 * the engine's thread. Workers are started and warmed by a first search (their start-up is
 * reported apart); runs alternate, best of each, so each side gets the same chances on a busy
 * machine. The load average is printed with the rows: the machine is shared.
 */
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Metrics } from '../../src/data/types';
import type { RunEvent } from '../../src/engine/events';
import { Executor } from '../../src/engine/executor';
import type { Graph } from '../../src/engine/graph';
import type { NodeServices } from '../../src/engine/services';
import { createRegistry } from '../../src/nodes';
import { createNodeTrialPool } from '../../src/runtime/trial-pool-node';
import type { TrialPool } from '../../src/runtime/trial-pool';
import { type Figure, timeRow } from '../lib/report';
import { round } from '../lib/stats';

const SEARCH = { learningRate: [0.001, 0.003, 0.01, 0.03], layers: [[32], [64], [64, 32]] };

export function tuneGraph(example: Graph, epochs: number): Graph {
  const nodes = example.nodes.map((n) =>
    n.type === 'train.fit' ? { ...n, type: 'tune.search', params: { searchSpace: SEARCH, maxTrials: 12, halving: false, epochs, patience: epochs, batchSize: 32, maxSeconds: 3600 } } : n,
  );
  return { ...example, nodes };
}

async function tuneMs(graph: Graph, services: NodeServices): Promise<{ ms: number; best: number; workers: number; trials: string }> {
  const executor = new Executor(createRegistry());
  const tune = graph.nodes.find((n) => n.type === 'tune.search')!.id;
  let ms = Number.NaN;
  const onEvent = (event: RunEvent) => {
    if (event.type === 'node-done' && event.nodeId === tune) ms = event.ms;
  };
  const result = await executor.run(graph, { services, onEvent, targets: [tune] });
  if (!result.ok) throw new Error(`tune: ${JSON.stringify(result.errors)}`);
  const outputs = executor.outputsOf(tune)!.outputs;
  const metrics = outputs.metrics as Metrics;
  // Frees the tuned model and every other output.
  executor.clear();
  // The trials' params and scores, to show every pool size found the same.
  const trials = JSON.stringify(metrics.trials!.map((t) => [t.trial, t.score, t.epochs]));
  return { ms, best: metrics.trials![0].score, workers: metrics.scalars.workers, trials };
}

/** What the machine gives two threads right now: a fixed pure-JS loop on 1 thread, then on 2 at once (units per second, 2 vs 1). */
async function threadCapacity(): Promise<{ oneMs: number; twoMs: number; ratio: number }> {
  const code = `const { parentPort } = require('node:worker_threads'); let x = 0; for (let i = 0; i < 1e8; i++) x = (x + i * 7) % 1000003; parentPort.postMessage(x);`;
  const run = async (threads: number) => {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: threads }, () => new Promise<void>((resolve, reject) => {
        const worker = new Worker(code, { eval: true });
        worker.once('message', () => void worker.terminate().then(() => resolve()));
        worker.once('error', reject);
      })),
    );
    return performance.now() - started;
  };
  const oneMs = await run(1);
  const twoMs = await run(2);
  return { oneMs, twoMs, ratio: (2 * oneMs) / twoMs };
}

const load = () => loadavg().map((l) => round(l, 1)).join(' / ');

export async function tunePoolFigure(figure: Figure, options: { services: NodeServices; example: Graph; epochs?: number; repeats?: number }): Promise<void> {
  const epochs = options.epochs ?? 10;
  const repeats = options.repeats ?? 2;
  const graph = tuneGraph(options.example, epochs);
  const pools: TrialPool[] = [createNodeTrialPool({ size: 1, keepWorkers: true }), createNodeTrialPool({ size: 2, keepWorkers: true })];
  const withPool = (pool: TrialPool | undefined): NodeServices => ({ ...options.services, ...(pool ? { trialRunner: pool } : {}) });
  try {
    // First searches start the workers (tsx, tfjs, the wasm backend); their extra time is the start-up.
    const cold = await tuneMs(graph, withPool(pools[1]));
    await tuneMs(graph, withPool(pools[0]));
    const loadBefore = load();
    type Timing = Awaited<ReturnType<typeof tuneMs>>;
    let one: Timing | null = null;
    let two: Timing | null = null;
    let inProcess: Timing | null = null;
    for (let i = 0; i < repeats; i++) {
      const a = await tuneMs(graph, withPool(pools[1]));
      if (!two || a.ms < two.ms) two = a;
      const b = await tuneMs(graph, withPool(pools[0]));
      if (!one || b.ms < one.ms) one = b;
      const c = await tuneMs(graph, withPool(undefined));
      if (!inProcess || c.ms < inProcess.ms) inProcess = c;
    }
    const capacity = await threadCapacity();
    const same = one!.trials === two!.trials && two!.trials === inProcess!.trials;
    const what = `digits-mlp, 12 trials × ${epochs} epochs (batch 32), best of ${repeats}; load average ${loadBefore} before, ${load()} after (1/5/15 min, 2 cores, shared)`;
    figure.rows.push(
      timeRow(`Tune, 2 worker threads vs 1 (${options.services.backend})`, two!.ms, { name: '1 worker thread', ms: one!.ms }, `${what}; speed-up ${round(one!.ms / two!.ms, 2)}× (target ≥ 1.7×); trials identical: ${same ? 'yes' : 'NO'}`),
      timeRow(`Tune, 2 worker threads vs trials in the engine's thread`, two!.ms, { name: 'in-process', ms: inProcess!.ms }, `speed-up ${round(inProcess!.ms / two!.ms, 2)}×`),
      timeRow('Tune, first search on 2 new worker threads (start-up included)', cold.ms, { name: 'warm workers', ms: two!.ms }, 'starting a worker: tsx, tfjs and wasm in each thread'),
      {
        measure: 'Control: a fixed pure-JS loop, work done by 2 threads at once vs 1 (what this machine gives two threads now)',
        product: `${round(capacity.ratio, 2)}×`,
        note: `1 unit on 1 thread ${Math.round(capacity.oneMs)} ms, 2 units on 2 threads ${Math.round(capacity.twoMs)} ms; 2.00× on two idle cores`,
        numbers: { value: round(capacity.ratio, 3), unit: '×' },
      },
    );
    figure.data = { epochs, one, two, inProcess, cold: cold.ms, same, capacity };
  } finally {
    for (const pool of pools) pool.shutdown();
  }
}
