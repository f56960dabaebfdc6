/**
 * Run records: what one run of a graph was and what it produced, enough to tell runs apart,
 * compare them and restore the graph a number came from. Built from the executor's results
 * by the same code in the worker (the Runs view reads what it stores) and in the CLI
 * (`run --record <dir>` writes it as JSON). Pure TypeScript: no storage, no DOM, no tfjs.
 *
 * Hashes are sha-256 over canonical (sorted-key) JSON, so the same params written in another
 * key order hash the same. The graph hash covers only what executes (seed, node ids, types,
 * versions, params with defaults filled in, wiring): moving or renaming a node changes it not.
 */
import type { Dataset, HistoryPoint, Metrics, Table, TrainedModel } from '../data/types';
import type { NodeStatus } from './events';
import type { ExecuteResult, NodeResult } from './executor';
import type { Graph, GraphNode } from './graph';
import { canonicalHash } from './hash';
import { declaredParams, resolveNodeParams } from './node-params';
import type { NodeRegistry } from './registry';

/** The record format written by this version; records without `format` are from before run history kept graphs. */
export const RUN_RECORD_FORMAT = 2;

/** A metric's mean and standard deviation across cross-validation folds. */
export interface MeanSd {
  mean: number;
  sd: number;
}

export interface RunNodeRecord {
  status: NodeStatus;
  /** Time the node ran in this run (absent when it came from the cache or did not run). */
  ms?: number;
  /** Its error, when it failed. */
  message?: string;
  type?: string;
  /** Hash of the params it runs with (declared params, defaults filled in). */
  paramsHash?: string;
  /** Data nodes: content hash of the data read (bytes of the file, or the generated rows). */
  dataHash?: string;
  /** Data nodes: where the data came from (file, sample or URL name). */
  dataName?: string;
  /** Metrics nodes: the headline scalars; train nodes: the best epoch's numbers. */
  metrics?: Record<string, number>;
  /** Metrics nodes with cross-validation: mean ± sd per scalar. */
  cv?: Record<string, MeanSd>;
  /** Train nodes: the per-epoch training history. */
  history?: HistoryPoint[];
  /** Model-producing nodes: the model registry id, when the model was saved. */
  modelId?: string;
}

export interface RunRecord {
  id: string;
  graphId: string;
  startedAt: number;
  ms: number;
  ok: boolean;
  cancelled: boolean;
  backend?: string;
  /** Every planned node of the run, by id. */
  nodes: Record<string, RunNodeRecord>;
  /** RUN_RECORD_FORMAT; 1 for records from before it (no graph, hashes or metrics). */
  format: number;
  graphName: string;
  /** Hash of what executes (see the file comment); null for old records. */
  graphHash: string | null;
  /** The graph document as it ran (layout included), so the run can be restored; null for old records. */
  graph: Graph | null;
  seed: number | null;
  /** "Run to here" targets; empty when the whole graph ran. */
  targets: string[];
  /** Data node id → content hash of its data. */
  dataHashes: Record<string, string>;
  /** Evaluation metrics, flat: `<metrics node id>.<scalar>` → value. */
  metrics: Record<string, number>;
  /** Cross-validation mean ± sd, flat like `metrics`, when a metrics node reported folds. */
  cv: Record<string, MeanSd>;
  /** Registry ids of the models the run saved. */
  modelIds: string[];
  starred: boolean;
  label: string;
}

export interface BuildRunRecordInput {
  runId: string;
  graph: Graph;
  registry: NodeRegistry;
  result: ExecuteResult;
  startedAt: number;
  backend?: string;
  targets?: readonly string[];
  /** Run time of each node that executed (from node-done events). */
  nodeMs?: ReadonlyMap<string, number>;
  /** A node's current outputs (the executor's `outputsOf`). */
  outputsOf: (nodeId: string) => NodeResult | undefined;
}

/** The params a node runs with, as hashed: declared params with defaults; raw params when the type is unknown. */
function runParams(node: GraphNode, registry: NodeRegistry): { version?: number; params: Record<string, unknown> } {
  const def = node.placeholder ? undefined : registry.get(node.type);
  if (!def) return { version: node.version, params: node.params };
  const resolved = resolveNodeParams(node, def);
  return resolved.ok ? { version: def.version, params: declaredParams(def, resolved.params) } : { version: node.version, params: node.params };
}

function hashOrNull(value: unknown): string | null {
  try {
    return canonicalHash(value);
  } catch {
    // A circular value in params: the executor fails that node; the record just has no hash.
    return null;
  }
}

/** Hash of a node's params (declared, defaults filled), stable across key order. */
export function paramsHash(node: GraphNode, registry: NodeRegistry): string | null {
  return hashOrNull(runParams(node, registry).params);
}

/**
 * Hash of what a graph executes: seed, nodes (id, type, version, params with defaults) and
 * wiring. Not the name, labels, positions, viewport or edge ids.
 */
export function graphHash(graph: Graph, registry: NodeRegistry): string | null {
  const nodes = [...graph.nodes]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((node) => ({ id: node.id, type: node.placeholder?.originalType ?? node.type, ...runParams(node, registry) }));
  const edges = graph.edges.map((e) => [e.from.node, e.from.port, e.to.node, e.to.port].join('\u0000')).sort();
  return hashOrNull({ seed: graph.seed, nodes, edges });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function sourceOf(value: unknown): { name: string; hash: string } | undefined {
  const source = isObject(value) ? (value as Partial<Table | Dataset>).source : undefined;
  return source && typeof source.hash === 'string' ? { name: source.name, hash: source.hash } : undefined;
}

function finiteEntries(values: Record<string, unknown> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(values ?? {})) if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
  return out;
}

function cvOf(metrics: Metrics): Record<string, MeanSd> {
  const out: Record<string, MeanSd> = {};
  for (const [name, value] of Object.entries(metrics.cv?.scalars ?? {})) {
    if (Number.isFinite(value.mean) && Number.isFinite(value.sd)) out[name] = { mean: value.mean, sd: value.sd };
  }
  return out;
}

/** What a node's outputs add to its record: data hash, metrics, history, model id. */
function outputFacts(result: NodeResult): Partial<RunNodeRecord> {
  const facts: Partial<RunNodeRecord> = {};
  for (const [port, spec] of Object.entries(result.def.outputs)) {
    const value = result.outputs[port];
    if (result.def.stage === 'data' && facts.dataHash === undefined) {
      const source = sourceOf(value);
      if (source) {
        facts.dataHash = source.hash;
        facts.dataName = source.name;
      }
    }
    if (spec.type === 'metrics' && isObject(value)) {
      const metrics = value as unknown as Metrics;
      facts.metrics = finiteEntries(metrics.scalars);
      const cv = cvOf(metrics);
      if (Object.keys(cv).length > 0) facts.cv = cv;
    }
    if (spec.type === 'model' && isObject(value)) {
      const model = value as unknown as TrainedModel;
      // Not-a-number entries (no validation rows) are left out: JSON and charts cannot hold them.
      if (Array.isArray(model.artifact?.history)) facts.history = model.artifact.history.map((point) => ({ ...finiteEntries(point), epoch: point.epoch }));
      if (model.artifact?.metrics) facts.metrics = finiteEntries(model.artifact.metrics);
      if (model.registryId) facts.modelId = model.registryId;
    }
  }
  return facts;
}

/** The record of a finished run. Nodes that did not produce a result this run (failed, skipped) carry no outputs. */
export function buildRunRecord(input: BuildRunRecordInput): RunRecord {
  const { graph, registry, result } = input;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes: Record<string, RunNodeRecord> = {};
  const dataHashes: Record<string, string> = {};
  const metrics: Record<string, number> = {};
  const cv: Record<string, MeanSd> = {};
  const modelIds: string[] = [];
  for (const [nodeId, status] of result.status) {
    const node = byId.get(nodeId);
    const record: RunNodeRecord = { status };
    const ms = input.nodeMs?.get(nodeId);
    if (ms !== undefined) record.ms = ms;
    const message = result.errors.get(nodeId);
    if (message) record.message = message;
    if (node) {
      record.type = node.type;
      const hash = paramsHash(node, registry);
      if (hash) record.paramsHash = hash;
    }
    const output = status === 'done' || status === 'cached' ? input.outputsOf(nodeId) : undefined;
    if (output) {
      Object.assign(record, outputFacts(output));
      if (record.dataHash !== undefined) dataHashes[nodeId] = record.dataHash;
      if (record.modelId !== undefined) modelIds.push(record.modelId);
      const isMetricsNode = Object.values(output.def.outputs).some((spec) => spec.type === 'metrics');
      if (isMetricsNode) {
        for (const [name, value] of Object.entries(record.metrics ?? {})) metrics[`${nodeId}.${name}`] = value;
        for (const [name, value] of Object.entries(record.cv ?? {})) cv[`${nodeId}.${name}`] = value;
      }
    }
    nodes[nodeId] = record;
  }
  return {
    id: input.runId,
    graphId: graph.id,
    startedAt: input.startedAt,
    ms: Math.round(result.ms),
    ok: result.ok,
    cancelled: result.cancelled,
    ...(input.backend !== undefined ? { backend: input.backend } : {}),
    nodes,
    format: RUN_RECORD_FORMAT,
    graphName: graph.name,
    graphHash: graphHash(graph, registry),
    graph: structuredClone(graph),
    seed: graph.seed,
    targets: [...(input.targets ?? [])],
    dataHashes,
    metrics,
    cv,
    modelIds,
    starred: false,
    label: '',
  };
}

/**
 * A record as stored by any version, with the fields older versions did not write filled in
 * (a record from before format 2 has no graph: it lists, but cannot be restored or diffed).
 */
export function upgradeRunRecord(stored: Partial<RunRecord> & Pick<RunRecord, 'id' | 'graphId' | 'startedAt'>): RunRecord {
  return {
    ms: 0,
    ok: false,
    cancelled: false,
    nodes: {},
    format: 1,
    graphName: '',
    graphHash: null,
    graph: null,
    seed: null,
    targets: [],
    dataHashes: {},
    metrics: {},
    cv: {},
    modelIds: [],
    starred: false,
    label: '',
    ...stored,
  };
}

/** The run's outcome in one word, for tables. */
export function runStatus(run: Pick<RunRecord, 'ok' | 'cancelled'>): 'ok' | 'failed' | 'cancelled' {
  return run.cancelled ? 'cancelled' : run.ok ? 'ok' : 'failed';
}

/**
 * Which runs of one graph to delete to keep `keep` of them: the newest `keep` unstarred runs
 * stay, and every starred run stays whatever the limit.
 */
export function runsToPrune(runs: readonly Pick<RunRecord, 'id' | 'startedAt' | 'starred'>[], keep: number): string[] {
  const limit = Math.max(0, Math.floor(keep));
  return [...runs]
    .filter((run) => !run.starred)
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(limit)
    .map((run) => run.id);
}
