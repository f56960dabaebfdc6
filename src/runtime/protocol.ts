/**
 * The contract between the main thread and the engine worker (comlink). Everything here
 * is structured-cloneable and small; big arrays stay in the worker or go to IndexedDB.
 */
import type { Graph } from '../engine/graph';
import type { RunEvent } from '../engine/events';
import type { DataProfile } from '../auto/profile';
import type { OutputView } from '../data/views';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

export interface BackendInfo {
  /** The backend in use. */
  name: BackendName;
  preference: BackendPreference;
  /** Why it was chosen, in words for the status bar (e.g. "WebGL is SwiftShader (software): wasm is faster"). */
  reason: string;
  /** What was probed: availability, software-rendered, probe time. */
  candidates: { name: BackendName; available: boolean; software?: boolean; probeMs?: number; note?: string }[];
}

export type { OutputView } from '../data/views';

export interface RunOptions {
  /** Node ids to run up to ("run to here"); all sinks when omitted. */
  targets?: string[];
  /** Runs kept per graph in the run history (starred runs are kept on top of these). */
  keepRuns?: number;
}

/** Whether a finished run made it into the run history (a full disk, for one, stops it). */
export type RecordOutcome = { recorded: true; runId: string } | { recorded: false; runId: string; error: string };

/** Methods the worker exposes (wrapped with comlink on the main thread). */
export interface EngineWorkerApi {
  init(preference: BackendPreference): Promise<BackendInfo>;
  /** Runs a graph; events arrive through `onEvents` in small batches (throttled). */
  run(runId: string, graph: Graph, options: RunOptions, onEvents: (events: RunEvent[]) => void): Promise<RecordOutcome | undefined>;
  cancel(runId: string): Promise<void>;
  /**
   * Views of the node's current result in `graph` (null when it has none): what this graph's
   * last run produced for it while its cache key is unchanged, else the result saved by an
   * earlier session's run under that same key (marked `restored`).
   */
  views(graph: Graph, nodeId: string): Promise<NodeViews | null>;
  /** Columns (name, dtype, role) available at a node's output in `graph`, for the inspector's column pickers (same rules). */
  columns(graph: Graph, nodeId: string, port?: string): Promise<{ name: string; dtype: string; role?: string }[] | null>;
  /** The nodes of `graph` whose saved last result is still valid (same cache key), to show after a reload. */
  restore(graph: Graph): Promise<RestoredNode[]>;
  /** The content hash (sha-256) of a file handed over with putFile/putFileBlob. */
  hashFile(token: string): Promise<string>;
  /** Column profile (types, gaps, distinct values) of a handed-over file, read whole: "New from data" builds from it. */
  profileFile(token: string): Promise<DataProfile>;
  /** Predicts one raw record with a stored model (registry id), applying its transform chain. */
  predict(modelId: string, record: Record<string, unknown>): Promise<PredictResult>;
  /** The stored model as a zip (tfjs layers model.json + weights.bin + pipeline.json sidecar). */
  exportModel(modelId: string): Promise<Uint8Array>;
  /** The stored model (dense: linear, logistic, MLP) and its preprocessing chain as one ONNX graph over the raw columns. */
  exportOnnx(modelId: string): Promise<Uint8Array>;
  /** Imports such a zip into the model store; returns the new registry id. */
  importModel(zip: Uint8Array): Promise<string>;
  /** Hands the worker a file the user picked or dropped; nodes read it with services.pickedFile(token). */
  putFile(token: string, name: string, bytes: Uint8Array): Promise<void>;
  /**
   * The same for a File/Blob (structured-cloned by reference, not copied): nodes stream it
   * with services.pickedFileBlob(token), so a big file never sits whole in memory.
   */
  putFileBlob(token: string, name: string, blob: Blob): Promise<void>;
  /** Test builds only (vitest, `vite --mode test`): crash the worker as if it ran out of memory. */
  crashForTest?(): Promise<void>;
  /** Answers at once: the client's heartbeat while a run is active. */
  ping(): Promise<void>;
}

/** A node's output views; `restored` when they come from an earlier session's run. */
export interface NodeViews {
  views: OutputView[];
  restored?: { at: number; runId: string };
}

/** A node whose last run's result is still valid, as restored after a reload. */
export interface RestoredNode {
  nodeId: string;
  status: 'done' | 'cached';
  summary?: { text: string; metrics?: Record<string, number> };
  at: number;
  runId: string;
}

export interface PredictResult {
  prediction: string | number;
  /** Class probabilities (classification), label → p. */
  probabilities?: Record<string, number>;
  latencyMs: number;
  /** Non-fatal notes, e.g. an unseen category mapped to "unknown". */
  warnings?: string[];
}

/**
 * What the UI uses (src/runtime/client.ts implements it over a replaceable worker).
 * One run at a time; a crashed or unresponsive worker is replaced transparently.
 */
export interface EngineClient {
  init(preference: BackendPreference): Promise<BackendInfo>;
  readonly backend: BackendInfo | null;
  /** Resolves once the run ended and (briefly awaited) its record was written: `record` says whether it was. */
  run(graph: Graph, options: RunOptions, onEvent: (event: RunEvent) => void): Promise<{ runId: string; ok: boolean; cancelled: boolean; record?: RecordOutcome }>;
  /** Cancels the current run; if the worker does not stop within a grace period it is terminated and replaced. */
  cancel(): Promise<void>;
  views(graph: Graph, nodeId: string): Promise<NodeViews | null>;
  columns(graph: Graph, nodeId: string, port?: string): Promise<{ name: string; dtype: string; role?: string }[] | null>;
  restore(graph: Graph): Promise<RestoredNode[]>;
  hashFile(token: string): Promise<string>;
  profileFile(token: string): Promise<DataProfile>;
  predict(modelId: string, record: Record<string, unknown>): Promise<PredictResult>;
  exportModel(modelId: string): Promise<Uint8Array>;
  exportOnnx(modelId: string): Promise<Uint8Array>;
  importModel(zip: Uint8Array): Promise<string>;
  /**
   * Hands a picked/dropped file to the engine; a `data.file` node with param `token` reads it.
   * The client keeps the bytes and hands them again to a restarted worker (crash, forced cancel).
   */
  putFile(token: string, name: string, bytes: Uint8Array): Promise<void>;
  /** Hands a picked/dropped File (or Blob) to the engine, streamed when a node reads it; kept for a restarted worker too. */
  putFileBlob(token: string, name: string, blob: Blob): Promise<void>;
  /** Test builds only (vitest, `vite --mode test`): crash the worker mid-run; the client must recover. */
  readonly crashForTest?: () => Promise<void>;
}
