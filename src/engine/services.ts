/**
 * Platform services the engine hands to nodes. Declared here, implemented by
 * src/storage (Dexie, browser) and src/cli (files, Node); tests use in-memory ones.
 */
import type { ColumnSchema, ModelArtifact, Table } from '../data/types';

export interface StoredDatasetMeta {
  id: string;
  name: string;
  /** Content hash of the raw file bytes: re-importing the same file reuses the entry. */
  hash: string;
  rowCount: number;
  columns: ColumnSchema[];
  /** Stored size in bytes. */
  bytes: number;
  createdAt: number;
}

export interface DatasetStore {
  /** Stores a parsed table; returns the existing entry when one with the same hash exists. */
  put(name: string, hash: string, table: Table): Promise<StoredDatasetMeta>;
  get(id: string): Promise<{ meta: StoredDatasetMeta; table: Table } | undefined>;
  findByHash(hash: string): Promise<StoredDatasetMeta | undefined>;
  list(): Promise<StoredDatasetMeta[]>;
  delete(id: string): Promise<void>;
  /**
   * Starts storing a table while it is parsed (absent: `put` after the parse). Nothing is
   * listed or found by hash until `commit`; `abort` (or a writer never committed) leaves nothing.
   */
  begin?(name: string): DatasetWriter;
}

/** A dataset being stored as it is parsed: row groups first, the finished table last. */
export interface DatasetWriter {
  /** Rows a group should hold (what the store writes as one part). */
  readonly rowsPerGroup: number;
  /** Rows from `startRow` of every column read as numbers (a RowGroupSink's groups, in order). */
  writeNumbers(startRow: number, columns: Float64Array[]): Promise<void>;
  /**
   * The parse is done: stores what the row groups did not already hold in final form (columns
   * that are not numbers) and lists the entry under `hash`. An entry already holding `hash`
   * is returned instead, and what this writer wrote is dropped.
   */
  commit(hash: string, table: Table): Promise<StoredDatasetMeta>;
  /** Drops what was written (a cancelled or failed parse). */
  abort(): Promise<void>;
}

export interface StoredModelMeta {
  id: string;
  name: string;
  version: number;
  createdAt: number;
  metrics?: Record<string, number>;
  target: ModelArtifact['target'];
  lineage: ModelArtifact['lineage'];
  trainParams: Record<string, unknown>;
}

export interface ModelStore {
  /** Saves a new version under `artifact.name` (version = previous max + 1). */
  save(artifact: ModelArtifact): Promise<StoredModelMeta>;
  load(id: string): Promise<ModelArtifact | undefined>;
  list(): Promise<StoredModelMeta[]>;
  rename(id: string, name: string): Promise<void>;
  delete(id: string): Promise<void>;
}

/** One deployed version of an endpoint: a pointer at a stored model. */
export interface EndpointVersion {
  version: number;
  /** Registry id in the model store. */
  modelId: string;
  modelName: string;
  deployedAt: number;
  note?: string;
}

export interface EndpointMeta {
  /** [a-z0-9-]+, part of the URL /api/endpoints/<name>/predict. */
  name: string;
  versions: EndpointVersion[];
  /** The version that answers requests; null when none is live. */
  live: number | null;
  /** Versions that were live before, oldest first: rollback goes back to the last one. */
  previous: number[];
  createdAt: number;
  updatedAt: number;
}

/** One answered prediction as the endpoint logged it (raw inputs, output, timing). */
export interface LoggedPrediction {
  endpoint: string;
  /** Endpoint version that answered. */
  version: number;
  /** Epoch ms. */
  time: number;
  inputs: Record<string, unknown>;
  output: { prediction: string | number; probabilities?: Record<string, number> };
  latencyMs: number;
  batchSize: number;
}

export const ENDPOINT_NAME_PATTERN = '[a-z0-9][a-z0-9-]{0,62}';

/** Endpoints (versions, promote/rollback) and their prediction log (a bounded ring per endpoint). */
export interface EndpointStore {
  list(): Promise<EndpointMeta[]>;
  get(name: string): Promise<EndpointMeta | undefined>;
  /** Adds a version pointing at a stored model and makes it live (unless `promote` is false). */
  deploy(name: string, modelId: string, options?: { note?: string; promote?: boolean }): Promise<EndpointVersion>;
  /** Makes an existing version live. */
  promote(name: string, version: number): Promise<EndpointMeta>;
  /** Makes the previously live version live again; throws when there is none. */
  rollback(name: string): Promise<EndpointMeta>;
  /** Removes the endpoint and its logged predictions (the models stay in the model store). */
  delete(name: string): Promise<void>;
  appendPredictions(entries: LoggedPrediction[]): Promise<void>;
  /** Logged predictions of one endpoint, oldest first: the newest `limit`, at or after `since`. */
  predictions(name: string, options?: { since?: number; limit?: number }): Promise<LoggedPrediction[]>;
  clearPredictions(name: string): Promise<void>;
}

/**
 * Runs tune trials, several at once where the platform has a pool of workers (Web Workers in
 * the browser, worker threads in the CLI). The payloads are the tune node's own plain types
 * (src/nodes/tune/trials.ts: prepared rows, trial jobs, checkpoints), structured-cloneable;
 * the engine only declares the shape. Without one, trials run one after another in-process.
 */
export interface TrialRunner<Data = unknown, Job = unknown, Outcome = unknown, Progress = unknown> {
  /** Trials that can run at once. */
  readonly size: number;
  /** Backends its workers run trials on (absent: any); on others the tune node trains in-process. */
  readonly backends?: string[];
  /**
   * Gets the workers ready for one search on the engine's `backend` and gives each the
   * prepared rows (typed arrays, copied once per worker and transferred). Aborting `signal`
   * stops every running trial; `onProgress` hears each trial's epochs as they finish.
   */
  open(data: Data, options: { backend: string; signal: AbortSignal; onProgress?: (progress: Progress) => void }): Promise<TrialBatch<Job, Outcome>>;
}

export interface TrialBatch<Job, Outcome> {
  /** Runs one job on a free worker (waiting for one when all are busy). */
  run(job: Job): Promise<Outcome>;
  /** Frees the workers' copies of the rows; the workers stay for the next search. */
  close(): Promise<void>;
}

export interface NodeServices {
  /** Name of the active compute backend (wasm, webgl, webgpu, cpu). */
  backend: string;
  /**
   * Reads raw bytes: a file path in the CLI, a same-origin URL (bundled samples,
   * user URLs) in the browser. Throws with a readable message.
   */
  readFile?(pathOrUrl: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** Files the user picked or dropped in this session, by token (browser only). */
  pickedFile?(token: string): Promise<{ name: string; bytes: Uint8Array } | undefined>;
  /**
   * The same picked file as a Blob/File (browser worker), preferred over pickedFile when
   * present: data.file checks its size before reading and parses delimited text from
   * `blob.stream()` piece by piece, so a big file never sits in memory whole.
   */
  pickedFileBlob?(token: string): Promise<{ name: string; blob: Blob } | undefined>;
  datasets?: DatasetStore;
  models?: ModelStore;
  endpoints?: EndpointStore;
  /** Where tune trials run (a pool of workers); absent: one after another in-process. */
  trialRunner?: TrialRunner;
}
