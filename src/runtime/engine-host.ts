/**
 * The engine as the worker holds it: one Executor (its cache lives for the session), the
 * node registry, the chosen tfjs backend and the platform services. The worker entry
 * (engine.worker.ts) only adds comlink and browser services around this, so everything
 * here also runs, and is tested, in Node.
 */
import type { ModelArtifact } from '../data/types';
import type { NodeOutputRecord } from '../storage/db';
import { createContentHasher } from '../data/hash';
import { parseData } from '../data/parse';
import { type DataProfile, profileTable } from '../auto/profile';
import type { RunEvent } from '../engine/events';
import { Executor, type ExecuteResult, type NodeResult } from '../engine/executor';
import type { Graph } from '../engine/graph';
import type { ImplementedRegistry } from '../engine/registry';
import { buildRunRecord, type RunRecord } from '../engine/run-record';
import type { DatasetStore, ModelStore, NodeServices } from '../engine/services';
import { PROBED_TYPES, probeSourceColumns } from '../nodes/data/probe';
import type { Tf } from '../ml/tf';
import { type BackendPlatform, initBackend } from './backend';
import { EventBatcher } from './event-batcher';
import type { BackendInfo, BackendPreference, EngineWorkerApi, NodeViews, OutputView, PredictResult, RecordOutcome, RestoredNode, RunOptions } from './protocol';
import { type ColumnInfo, nearestUpstream, outputColumns, viewsOf } from './views';
import { errorMessage } from '../engine/errors';
import { yieldToEventLoop } from '../engine/event-loop';

/** The predictor and zip functions of src/ml, injected so this file does not fix their module paths. */
export interface ModelIo {
  createPredictor(artifact: ModelArtifact): Predictor | Promise<Predictor>;
  exportModelZip(artifact: ModelArtifact): Uint8Array | Promise<Uint8Array>;
  /** The model and its preprocessing chain as one ONNX graph; throws a message naming what does not map. */
  exportOnnx(artifact: ModelArtifact): Uint8Array | Promise<Uint8Array>;
  importModelZip(bytes: Uint8Array): ModelArtifact | Promise<ModelArtifact>;
}

export interface Predictor {
  predict(records: Record<string, unknown>[]): unknown;
  dispose(): void;
}

export interface EngineHostOptions {
  registry: ImplementedRegistry;
  /** Loads tfjs (a dynamic import in the worker, so the chunk loads on first use). */
  loadTf: () => Promise<Tf>;
  platform: BackendPlatform;
  readFile?: NodeServices['readFile'];
  datasets?: DatasetStore;
  models?: ModelStore;
  modelIo?: ModelIo;
  /**
   * Where finished runs are recorded (run history), keeping `keep` runs per graph when given.
   * A failure to record never fails the run: run() reports it (RecordOutcome).
   */
  runs?: { add(run: RunRecord, keep?: number): Promise<unknown> };
  /** Where each node's last shown result is saved per graph, to show again after a reload. */
  outputs?: {
    put(records: NodeOutputRecord[]): Promise<void>;
    forGraph(graphId: string): Promise<NodeOutputRecord[]>;
    get(graphId: string, nodeId: string): Promise<NodeOutputRecord | undefined>;
  };
  /** Further services for nodes (endpoints, monitoring, test gates), merged in. */
  extraServices?: Record<string, unknown>;
  /** Events per batch interval (ms); see EventBatcher. */
  eventIntervalMs?: number;
}

/** Predictors hold a live network: keep only the few most recently used. */
const PREDICTOR_CACHE_SIZE = 3;

/** The columns of each table/dataset output port of a result. */
function portColumns(result: NodeResult): Record<string, ColumnInfo[]> {
  const columns: Record<string, ColumnInfo[]> = {};
  for (const port of Object.keys(result.def.outputs)) {
    const list = outputColumns(result, port);
    if (list) columns[port] = list;
  }
  return columns;
}

export type HostApi = Omit<EngineWorkerApi, 'crashForTest' | 'ping'> & {
  putFile(token: string, name: string, bytes: Uint8Array): Promise<void>;
};

export class EngineHost implements HostApi {
  readonly executor: Executor;
  private backend: BackendInfo | null = null;
  private backendReady: Promise<BackendInfo> | null = null;
  private readonly files = new Map<string, { name: string; bytes: Uint8Array }>();
  private readonly blobs = new Map<string, { name: string; blob: Blob }>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly predictors = new Map<string, Predictor>();

  constructor(private readonly options: EngineHostOptions) {
    this.executor = new Executor(options.registry);
  }

  init(preference: BackendPreference): Promise<BackendInfo> {
    this.backendReady = (async () => {
      const tf = await this.options.loadTf();
      const previous = this.backend?.name;
      this.backend = await initBackend(tf, preference, this.options.platform);
      // Cached tensors and networks belong to the old backend, and results should say which backend made them.
      if (previous !== undefined && previous !== this.backend.name) this.executor.clear();
      return this.backend;
    })();
    return this.backendReady;
  }

  get backendInfo(): BackendInfo | null {
    return this.backend;
  }

  private ensureBackend(): Promise<BackendInfo> {
    return this.backendReady ?? this.init('auto');
  }

  services(): NodeServices {
    return {
      ...this.options.extraServices,
      backend: this.backend?.name ?? 'none',
      readFile: this.options.readFile,
      pickedFile: async (token: string) => this.files.get(token),
      pickedFileBlob: async (token: string) => this.blobs.get(token),
      datasets: this.options.datasets,
      models: this.options.models,
    };
  }

  async run(runId: string, graph: Graph, options: RunOptions, onEvents: (events: RunEvent[]) => void): Promise<RecordOutcome | undefined> {
    await this.ensureBackend();
    const controller = new AbortController();
    this.controllers.set(runId, controller);
    const batcher = new EventBatcher((events) => {
      // The receiver lives on another thread: a failed delivery must not break the run.
      Promise.resolve(onEvents(events)).catch(() => undefined);
    }, this.options.eventIntervalMs);
    const startedAt = Date.now();
    const nodeMs = new Map<string, number>();
    // The end of the run is announced once its results are saved: a reload right after
    // "Run finished" finds them.
    let runDone: RunEvent | null = null;
    try {
      const result = await this.executor.run(graph, {
        runId,
        targets: options.targets,
        signal: controller.signal,
        services: this.services(),
        onEvent: (event) => {
          if (event.type === 'node-done') nodeMs.set(event.nodeId, Math.round(event.ms));
          if (event.type === 'run-done') runDone = event;
          else batcher.push(event);
        },
      });
      await this.saveOutputs(graph, runId, result).catch((error: unknown) => console.warn('Could not save the nodes’ results', error));
      if (runDone) batcher.push(runDone);
      runDone = null;
      if (!this.options.runs) return undefined;
      try {
        const record = buildRunRecord({
          runId,
          graph,
          registry: this.options.registry,
          result,
          startedAt,
          backend: this.backend?.name,
          targets: options.targets,
          nodeMs,
          outputsOf: (nodeId) => this.executor.outputsOf(nodeId, graph.id),
        });
        await this.options.runs.add(record, options.keepRuns);
        return { recorded: true, runId };
      } catch (error) {
        console.warn('Could not record the run in the history', error);
        return { recorded: false, runId, error: errorMessage(error) };
      }
    } finally {
      if (runDone) batcher.push(runDone);
      batcher.flush();
      this.controllers.delete(runId);
    }
  }

  /** Saves the results of the nodes that ran (or came from the cache) under their cache keys. */
  private async saveOutputs(graph: Graph, runId: string, result: ExecuteResult): Promise<void> {
    const store = this.options.outputs;
    if (!store) return;
    const current = this.executor.resultsFor(graph);
    const saved = new Map((await store.forGraph(graph.id)).map((record) => [record.nodeId, record]));
    const records: NodeOutputRecord[] = [];
    for (const [nodeId, status] of result.status) {
      if (status !== 'done' && status !== 'cached') continue;
      const node = current(nodeId);
      if (!node || saved.get(nodeId)?.key === node.key) continue;
      // One node's views at a time, letting the client's heartbeat pings through between them.
      await yieldToEventLoop();
      records.push({
        graphId: graph.id,
        nodeId,
        key: node.key,
        runId,
        status,
        ...(node.summary ? { summary: node.summary } : {}),
        views: viewsOf(node),
        columns: portColumns(node),
        finishedAt: Date.now(),
      });
    }
    await store.put(records);
  }

  /** The saved result of `nodeId` in `graph` when its key is the node's current key. */
  private async savedResult(graph: Graph, nodeId: string, keys: Map<string, string>): Promise<NodeOutputRecord | undefined> {
    const key = keys.get(nodeId);
    if (key === undefined || !this.options.outputs) return undefined;
    const record = await this.options.outputs.get(graph.id, nodeId);
    return record?.key === key ? record : undefined;
  }

  async restore(graph: Graph): Promise<RestoredNode[]> {
    if (!this.options.outputs) return [];
    const records = await this.options.outputs.forGraph(graph.id);
    if (records.length === 0) return [];
    // The salts (a file's content hash) as they are now, for the nodes whose salt this
    // session does not know yet: a file changed since the last run restores nothing.
    await this.executor.saltsFor(graph, this.services());
    const keys = this.executor.currentKeys(graph);
    return records
      .filter((record) => keys.get(record.nodeId) === record.key)
      .map((record) => ({ nodeId: record.nodeId, status: record.status, ...(record.summary ? { summary: record.summary } : {}), at: record.finishedAt, runId: record.runId }));
  }

  async hashFile(token: string): Promise<string> {
    const blob = this.blobs.get(token)?.blob;
    const bytes = this.files.get(token)?.bytes;
    if (!blob && !bytes) throw new Error('No file was handed over under this token');
    const hasher = await createContentHasher();
    if (bytes) hasher.update(bytes);
    else {
      const reader = blob!.stream().getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) hasher.update(chunk.value);
    }
    return hasher.hex();
  }

  /** The column profile of a handed-over file, read whole: what "New from data" builds its pipeline from. */
  async profileFile(token: string): Promise<DataProfile> {
    const picked = this.blobs.get(token) ?? this.files.get(token);
    if (!picked) throw new Error('No file was handed over under this token');
    const bytes = 'blob' in picked ? new Uint8Array(await picked.blob.arrayBuffer()) : picked.bytes;
    const { table } = await parseData(bytes, 'auto', picked.name);
    return profileTable(table, picked.name);
  }

  async cancel(runId: string): Promise<void> {
    this.controllers.get(runId)?.abort();
  }

  async views(graph: Graph, nodeId: string): Promise<NodeViews | null> {
    const result = this.executor.resultsFor(graph)(nodeId);
    if (result) return { views: viewsOf(result) };
    const saved = await this.savedResult(graph, nodeId, this.executor.currentKeys(graph));
    return saved ? { views: saved.views as OutputView[], restored: { at: saved.finishedAt, runId: saved.runId } } : null;
  }

  async columns(graph: Graph, nodeId: string, port?: string): Promise<{ name: string; dtype: string; role?: string }[] | null> {
    const live = this.executor.resultsFor(graph);
    const keys = this.executor.currentKeys(graph);
    const saved = new Map<string, NodeOutputRecord | undefined>();
    for (const id of keys.keys()) {
      if (!live(id)) saved.set(id, await this.savedResult(graph, id, keys));
    }
    const found = nearestUpstream(graph, nodeId, (id, wanted) => {
      const result = live(id);
      if (result) return outputColumns(result, wanted);
      const record = saved.get(id);
      if (!record) return null;
      return (wanted === undefined ? Object.values(record.columns)[0] : record.columns[wanted]) ?? null;
    }, port);
    if (found) return found;
    // Nothing upstream has run: the nearest data node's file header says which columns will come.
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const source = nearestUpstream(graph, nodeId, (id) => {
      const node = byId.get(id);
      return node && PROBED_TYPES.has(node.type) ? node : null;
    });
    return source ? this.probe(source) : null;
  }

  /** Probed columns by data node type + params (a picked file's token names its content for the session). */
  private readonly probes = new Map<string, Promise<ColumnInfo[] | null>>();

  private probe(node: { type: string; params: Record<string, unknown> }): Promise<ColumnInfo[] | null> {
    const key = JSON.stringify([node.type, node.params]);
    let probed = this.probes.get(key);
    if (!probed) {
      probed = probeSourceColumns(node, this.services()).catch(() => null);
      this.probes.set(key, probed);
      // A few recent graphs' sources; a stored copy that appears later is looked up again.
      void probed.then((columns) => columns === null && this.probes.delete(key));
      while (this.probes.size > 16) this.probes.delete(this.probes.keys().next().value!);
    }
    return probed;
  }

  async putFile(token: string, name: string, bytes: Uint8Array): Promise<void> {
    if (!token) throw new Error('A picked file needs a token');
    this.blobs.delete(token);
    this.files.set(token, { name, bytes });
  }

  async putFileBlob(token: string, name: string, blob: Blob): Promise<void> {
    if (!token) throw new Error('A picked file needs a token');
    this.files.delete(token);
    this.blobs.set(token, { name, blob });
  }

  private requireModelIo(): ModelIo {
    if (!this.options.modelIo) throw new Error('Model import/export is not available in this engine');
    return this.options.modelIo;
  }

  private async loadArtifact(modelId: string): Promise<ModelArtifact> {
    if (!this.options.models) throw new Error('No model store is available');
    const artifact = await this.options.models.load(modelId);
    if (!artifact) throw new Error(`No stored model with id "${modelId}" (it may have been deleted)`);
    return artifact;
  }

  async predict(modelId: string, record: Record<string, unknown>): Promise<PredictResult> {
    await this.ensureBackend();
    let predictor = this.predictors.get(modelId);
    if (predictor) {
      this.predictors.delete(modelId); // re-inserted below as most recently used
    } else {
      predictor = await this.requireModelIo().createPredictor(await this.loadArtifact(modelId));
    }
    this.predictors.set(modelId, predictor);
    for (const [id, old] of this.predictors) {
      if (this.predictors.size <= PREDICTOR_CACHE_SIZE) break;
      this.predictors.delete(id);
      old.dispose();
    }
    const started = performance.now();
    const results = (await predictor.predict([record])) as Partial<PredictResult>[];
    const first = results[0];
    if (!first || first.prediction === undefined) throw new Error('The model returned no prediction');
    return {
      prediction: first.prediction,
      probabilities: first.probabilities,
      warnings: first.warnings,
      latencyMs: first.latencyMs ?? performance.now() - started,
    };
  }

  async exportModel(modelId: string): Promise<Uint8Array> {
    return this.requireModelIo().exportModelZip(await this.loadArtifact(modelId));
  }

  async exportOnnx(modelId: string): Promise<Uint8Array> {
    return this.requireModelIo().exportOnnx(await this.loadArtifact(modelId));
  }

  async importModel(zip: Uint8Array): Promise<string> {
    if (!this.options.models) throw new Error('No model store is available');
    const artifact = await this.requireModelIo().importModelZip(zip);
    const meta = await this.options.models.save(artifact);
    return meta.id;
  }

  /** Frees cached outputs and predictors (tests, teardown). */
  dispose(): void {
    for (const predictor of this.predictors.values()) predictor.dispose();
    this.predictors.clear();
    this.executor.clear();
  }
}
