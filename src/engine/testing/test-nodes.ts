/**
 * Small node types for engine tests: arithmetic on numbers carried as `metrics`
 * (scalars.value), a few table nodes for port-type checks, and nodes that misbehave on
 * purpose (throw, ignore cancel, skip an output). Never registered in the app.
 */
import type { Metrics, ModelArtifact, Table, TrainedModel } from '../../data/types';
import { defineNode, type AnyNodeDefinition } from '../node';
import { p } from '../params';
import { port } from '../ports';
import type { NodeServices } from '../services';
import { NodeRegistry, type ImplementedRegistry } from '../registry';

/** A number on a metrics port. */
export function num(value: number): Metrics {
  return { task: 'regression', partition: 'test', scalars: { value } };
}

export function valueOf(metrics: Metrics): number {
  return metrics.scalars.value;
}

/** Services the test nodes understand: an execution log and gates that hold `util.wait` nodes. */
export interface TestServices extends NodeServices {
  /** Node ids in the order their `run` was called. */
  executed: string[];
  /** `util.wait` blocks until its gate opens. */
  gate(nodeId: string): Promise<void>;
  /** Opens the gate of `nodeId` (or resolves it in advance). */
  open(nodeId: string): void;
  /** Resolves when `util.wait` node `nodeId` has started waiting. */
  waiting(nodeId: string): Promise<void>;
}

export function createTestServices(): TestServices {
  const gates = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const waits = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const slot = (map: typeof gates, id: string) => {
    let entry = map.get(id);
    if (!entry) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      entry = { promise, resolve };
      map.set(id, entry);
    }
    return entry;
  };
  return {
    backend: 'test',
    executed: [],
    gate: (id) => {
      slot(waits, id).resolve();
      return slot(gates, id).promise;
    },
    open: (id) => slot(gates, id).resolve(),
    waiting: (id) => slot(waits, id).promise,
  };
}

function logRun(services: NodeServices, nodeId: string): void {
  const executed = (services as Partial<TestServices>).executed;
  if (Array.isArray(executed)) executed.push(nodeId);
}

/** Test models alive (created, not yet disposed): the leak check for cache eviction. */
export const liveTestModels = new Set<string>();
let modelCounter = 0;

function makeTestModel(name: string): TrainedModel {
  const id = `${name}#${++modelCounter}`;
  liveTestModels.add(id);
  const artifact: ModelArtifact = {
    name,
    modelTopology: null,
    weightSpecs: [],
    weightData: new ArrayBuffer(0),
    transforms: [],
    rawSchema: [],
    featureNames: [],
    target: { name: 'y', task: 'regression' },
    spec: { family: 'linear', hyper: {} },
    trainParams: {},
    history: [],
    lineage: { createdAt: 0 },
  };
  let disposed = false;
  return {
    artifact,
    network: id,
    dispose() {
      if (disposed) throw new Error(`test model ${id} disposed twice`);
      disposed = true;
      liveTestModels.delete(id);
    },
  };
}

function abortError(): Error {
  const error = new Error('The run was cancelled');
  error.name = 'AbortError';
  return error;
}

export const constantNode = defineNode({
  type: 'util.constant',
  version: 1,
  title: 'Constant',
  stage: 'util',
  inputs: {},
  outputs: { out: port('metrics') },
  params: { value: p.number(1, { min: -1e6, max: 1e6 }) },
  run: async ({ params, nodeId, services }) => {
    logRun(services, nodeId);
    return { out: num(params.value) };
  },
  summarize: (outputs) => ({ text: `= ${valueOf(outputs.out)}`, metrics: { value: valueOf(outputs.out) } }),
});

export const addNode = defineNode({
  type: 'util.add',
  version: 1,
  title: 'Add',
  stage: 'util',
  inputs: { a: port('metrics'), b: port('metrics', { optional: true }) },
  outputs: { out: port('metrics') },
  params: { offset: p.int(0, { min: -100, max: 100 }) },
  run: async ({ inputs, params, nodeId, services }) => {
    logRun(services, nodeId);
    const b = (inputs as { b?: Metrics }).b;
    return { out: num(valueOf(inputs.a) + (b ? valueOf(b) : 0) + params.offset) };
  },
  summarize: (outputs) => ({ text: `= ${valueOf(outputs.out)}` }),
});

export const scaleNode = defineNode({
  type: 'util.scale',
  version: 1,
  title: 'Scale',
  stage: 'util',
  inputs: { in: port('metrics') },
  outputs: { out: port('metrics') },
  params: {
    factor: p.number(2, { min: 0, max: 100 }),
    mode: p.select(['multiply', 'divide'], 'multiply'),
  },
  run: async ({ inputs, params, nodeId, services }) => {
    logRun(services, nodeId);
    const x = valueOf(inputs.in);
    return { out: num(params.mode === 'multiply' ? x * params.factor : x / params.factor) };
  },
});

/** Cross-param check: low must not exceed high. */
export const rangeNode = defineNode({
  type: 'util.range',
  version: 1,
  title: 'Range midpoint',
  stage: 'util',
  inputs: {},
  outputs: { out: port('metrics') },
  params: { low: p.number(0), high: p.number(1) },
  check: (params) => (params.low > params.high ? { high: `High (${params.high}) must be ≥ low (${params.low})` } : null),
  run: async ({ params, nodeId, services }) => {
    logRun(services, nodeId);
    return { out: num((params.low + params.high) / 2) };
  },
});

/** Params of every simple kind, for validation and file round-trip tests. */
export const labelNode = defineNode({
  type: 'util.label',
  version: 1,
  title: 'Label',
  stage: 'util',
  inputs: { in: port('metrics', { optional: true }) },
  outputs: { out: port('metrics') },
  params: {
    text: p.text('x', { pattern: '[a-z]*' }),
    enabled: p.boolean(true),
    sizes: p.list([1, 2], { itemKind: 'int', itemMin: 1, maxItems: 5 }),
    columns: p.columns({ columnKind: 'numeric' }),
    extra: p.json({ a: 1 }),
  },
  run: async ({ inputs, params, nodeId, services }) => {
    logRun(services, nodeId);
    const input = (inputs as { in?: Metrics }).in;
    return { out: num((input ? valueOf(input) : 0) + params.text.length + params.sizes.length) };
  },
});

export const rowsNode = defineNode({
  type: 'util.rows',
  version: 1,
  title: 'Rows',
  stage: 'util',
  inputs: {},
  outputs: { table: port('table') },
  params: { count: p.int(3, { min: 0, max: 1000 }) },
  run: async ({ params, nodeId, services }) => {
    logRun(services, nodeId);
    const table: Table = {
      rowCount: params.count,
      columns: [{ name: 'i', dtype: 'number', values: Float64Array.from({ length: params.count }, (_, i) => i) }],
    };
    return { table };
  },
});

export const countRowsNode = defineNode({
  type: 'util.countRows',
  version: 1,
  title: 'Count rows',
  stage: 'util',
  inputs: { table: port('table') },
  outputs: { out: port('metrics') },
  params: {},
  run: async ({ inputs, nodeId, services }) => {
    logRun(services, nodeId);
    return { out: num(inputs.table.rowCount) };
  },
});

/** Not deterministic: a fresh random number every run. */
export const randomNode = defineNode({
  type: 'util.random',
  version: 1,
  title: 'Random',
  stage: 'util',
  deterministic: false,
  inputs: {},
  outputs: { out: port('metrics') },
  params: {},
  run: async ({ nodeId, services }) => {
    logRun(services, nodeId);
    return { out: num(Math.random()) };
  },
});

/** Outputs its own seed. */
export const seedNode = defineNode({
  type: 'util.seed',
  version: 1,
  title: 'Seed',
  stage: 'util',
  inputs: {},
  outputs: { out: port('metrics') },
  params: {},
  run: async ({ seed, nodeId, services }) => {
    logRun(services, nodeId);
    return { out: num(seed) };
  },
});

export const failNode = defineNode({
  type: 'util.fail',
  version: 1,
  title: 'Fail',
  stage: 'util',
  inputs: { in: port('metrics', { optional: true }) },
  outputs: { out: port('metrics') },
  params: { message: p.text('boom') },
  run: async ({ params, nodeId, services }) => {
    logRun(services, nodeId);
    throw new Error(params.message);
  },
});

/** Waits for its gate (see TestServices); stops on cancel unless told to ignore it. */
export const waitNode = defineNode({
  type: 'util.wait',
  version: 1,
  title: 'Wait',
  stage: 'util',
  inputs: { in: port('metrics', { optional: true }) },
  outputs: { out: port('metrics'), model: port('model') },
  params: { ignoreSignal: p.boolean(false) },
  run: async ({ inputs, params, nodeId, services, signal, progress }) => {
    logRun(services, nodeId);
    progress({ fraction: 0, message: 'waiting' });
    const gate = (services as TestServices).gate(nodeId);
    if (params.ignoreSignal) {
      await gate;
    } else {
      await new Promise<void>((resolve, reject) => {
        if (signal.aborted) reject(abortError());
        signal.addEventListener('abort', () => reject(abortError()), { once: true });
        void gate.then(resolve);
      });
    }
    progress({ fraction: 1 });
    const input = (inputs as { in?: Metrics }).in;
    return { out: num(input ? valueOf(input) : 0), model: makeTestModel(nodeId) };
  },
});

export const progressNode = defineNode({
  type: 'util.progress',
  version: 1,
  title: 'Progress',
  stage: 'util',
  inputs: {},
  outputs: { out: port('metrics') },
  params: { steps: p.int(3, { min: 1, max: 10 }) },
  run: async ({ params, progress, nodeId, services }) => {
    logRun(services, nodeId);
    for (let step = 1; step <= params.steps; step++) {
      progress({ fraction: step / params.steps, message: `step ${step}`, metrics: { step } });
      await Promise.resolve();
    }
    return { out: num(params.steps) };
  },
});

/** Holds a disposable model; checks eviction disposes it exactly once. */
export const modelNode = defineNode({
  type: 'util.model',
  version: 1,
  title: 'Model',
  stage: 'util',
  inputs: { in: port('metrics', { optional: true }) },
  outputs: { model: port('model') },
  params: { size: p.int(1, { min: 1, max: 10 }) },
  run: async ({ nodeId, services }) => {
    logRun(services, nodeId);
    return { model: makeTestModel(nodeId) };
  },
});

/** Passes its input model through unchanged (same object). */
export const passModelNode = defineNode({
  type: 'util.passModel',
  version: 1,
  title: 'Pass model',
  stage: 'util',
  inputs: { model: port('model') },
  outputs: { model: port('model') },
  params: { note: p.text('') },
  run: async ({ inputs, nodeId, services }) => {
    logRun(services, nodeId);
    return { model: inputs.model };
  },
});

/** Version 2 renamed param `amount` (v1) to `value`. */
export const versionedNode = defineNode({
  type: 'util.versioned',
  version: 2,
  title: 'Versioned',
  stage: 'util',
  inputs: {},
  outputs: { out: port('metrics') },
  params: { value: p.number(0, { min: 0, max: 100 }) },
  migrate: (params, fromVersion) => {
    if (fromVersion < 2) {
      const { amount, ...rest } = params;
      return { ...rest, value: amount };
    }
    return params;
  },
  run: async ({ params, nodeId, services }) => {
    logRun(services, nodeId);
    return { out: num(params.value) };
  },
});

/** Forgets one of its declared outputs. */
export const forgetfulNode = defineNode({
  type: 'util.forgetful',
  version: 1,
  title: 'Forgetful',
  stage: 'util',
  inputs: {},
  outputs: { out: port('metrics'), other: port('metrics') },
  params: {},
  run: async ({ nodeId, services }) => {
    logRun(services, nodeId);
    return { out: num(1) } as never;
  },
});

export const TEST_NODES: AnyNodeDefinition[] = [
  constantNode,
  addNode,
  scaleNode,
  rangeNode,
  labelNode,
  rowsNode,
  countRowsNode,
  randomNode,
  seedNode,
  failNode,
  waitNode,
  progressNode,
  modelNode,
  passModelNode,
  versionedNode,
  forgetfulNode,
];

export function createTestRegistry(): ImplementedRegistry {
  return new NodeRegistry(TEST_NODES);
}
