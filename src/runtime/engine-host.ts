/**
 * The engine as the worker holds it: one Executor (its cache lives for the session), the
 * node registry, the chosen tfjs backend and the platform services. The worker entry
 * (engine.worker.ts) only adds comlink and browser services around this, so everything
 * here also runs, and is tested, in Node.
 */
import type { ModelArtifact } from '../data/types';
import type { RunEvent } from '../engine/events';
import { Executor } from '../engine/executor';
import type { Graph } from '../engine/graph';
import type { NodeRegistry } from '../engine/registry';
import { buildRunRecord, type RunRecord } from '../engine/run-record';
import type { DatasetStore, ModelStore, NodeServices } from '../engine/services';
import type { Tf } from '../nodes/tf';
import { type BackendPlatform, initBackend } from './backend';
import { EventBatcher } from './event-batcher';
import type { BackendInfo, BackendPreference, EngineWorkerApi, OutputView, PredictResult, RecordOutcome, RunOptions } from './protocol';
import { columnsNear, viewsOf } from './views';

/** The predictor and zip functions of src/ml, injected so this file does not fix their module paths. */
export interface ModelIo {
  createPredictor(artifact: ModelArtifact): Predictor | Promise<Predictor>;
  exportModelZip(artifact: ModelArtifact): Uint8Array | Promise<Uint8Array>;
  importModelZip(bytes: Uint8Array): ModelArtifact | Promise<ModelArtifact>;
}

export interface Predictor {
  predict(records: Record<string, unknown>[]): unknown;
  dispose(): void;
}

export interface EngineHostOptions {
  registry: NodeRegistry;
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
  /** Further services for nodes (endpoints, monitoring, test gates), merged in. */
  extraServices?: Record<string, unknown>;
  /** Events per batch interval (ms); see EventBatcher. */
  eventIntervalMs?: number;
}

/** Predictors hold a live network: keep only the few most recently used. */
const PREDICTOR_CACHE_SIZE = 3;

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
  private lastGraph: Graph | null = null;

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
    this.lastGraph = graph;
    const batcher = new EventBatcher((events) => {
      // The receiver lives on another thread: a failed delivery must not break the run.
      Promise.resolve(onEvents(events)).catch(() => undefined);
    }, this.options.eventIntervalMs);
    const startedAt = Date.now();
    const nodeMs: Record<string, number> = {};
    try {
      const result = await this.executor.run(graph, {
        runId,
        targets: options.targets,
        signal: controller.signal,
        services: this.services(),
        onEvent: (event) => {
          if (event.type === 'node-done') nodeMs[event.nodeId] = Math.round(event.ms);
          batcher.push(event);
        },
      });
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
          outputsOf: (nodeId) => this.executor.outputsOf(nodeId),
        });
        await this.options.runs.add(record, options.keepRuns);
        return { recorded: true, runId };
      } catch (error) {
        console.warn('Could not record the run in the history', error);
        return { recorded: false, runId, error: error instanceof Error ? error.message : String(error) };
      }
    } finally {
      batcher.flush();
      this.controllers.delete(runId);
    }
  }

  async cancel(runId: string): Promise<void> {
    this.controllers.get(runId)?.abort();
  }

  async views(nodeId: string): Promise<OutputView[] | null> {
    const result = this.executor.outputsOf(nodeId);
    return result ? viewsOf(result) : null;
  }

  async columns(nodeId: string, port?: string): Promise<{ name: string; dtype: string; role?: string }[] | null> {
    return columnsNear(this.lastGraph, nodeId, (id) => this.executor.outputsOf(id), port);
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
