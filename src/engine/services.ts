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
  datasets?: DatasetStore;
  models?: ModelStore;
  /** Further services (endpoints, monitoring) added by later stages. */
  [extra: string]: unknown;
}
