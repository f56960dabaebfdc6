/** In-memory DatasetStore and ModelStore (CLI, tests): same behaviour as the Dexie ones, no persistence. */
import type { ModelArtifact, Table } from '../data/types';
import type { DatasetStore, ModelStore, StoredDatasetMeta, StoredModelMeta } from '../engine/services';
import { decodeColumn, encodeDataset } from './datasets';
import type { StoredColumn } from './db';
import { newId } from './errors';
import { metaOf } from './models';

export class MemoryDatasetStore implements DatasetStore {
  private readonly entries = new Map<string, { meta: StoredDatasetMeta; rowCount: number; columns: StoredColumn[] }>();

  async put(name: string, hash: string, table: Table): Promise<StoredDatasetMeta> {
    // Checked and stored without an await in between, so concurrent puts of one file dedupe.
    const existing = [...this.entries.values()].find((e) => e.meta.hash === hash);
    if (existing) return { ...existing.meta };
    // A copy (encoding may share the caller's buffers), so later edits to the caller's table do not leak in.
    const { meta, columns } = encodeDataset(name, hash, table);
    this.entries.set(meta.id, { meta, rowCount: table.rowCount, columns: structuredClone(columns) });
    return { ...meta };
  }

  async get(id: string): Promise<{ meta: StoredDatasetMeta; table: Table } | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    return { meta: { ...entry.meta }, table: { rowCount: entry.rowCount, columns: structuredClone(entry.columns).map(decodeColumn) } };
  }

  async findByHash(hash: string): Promise<StoredDatasetMeta | undefined> {
    for (const { meta } of this.entries.values()) if (meta.hash === hash) return { ...meta };
    return undefined;
  }

  async list(): Promise<StoredDatasetMeta[]> {
    return [...this.entries.values()].map((e) => ({ ...e.meta })).sort((a, b) => b.createdAt - a.createdAt);
  }

  async delete(id: string): Promise<void> {
    this.entries.delete(id);
  }
}

export class MemoryModelStore implements ModelStore {
  private readonly entries = new Map<string, { meta: StoredModelMeta; artifact: ModelArtifact }>();

  async save(artifact: ModelArtifact): Promise<StoredModelMeta> {
    const version = [...this.entries.values()].filter((e) => e.meta.name === artifact.name).reduce((max, e) => Math.max(max, e.meta.version), 0) + 1;
    const id = newId('model');
    const meta = metaOf(id, version, artifact, Date.now());
    this.entries.set(id, { meta, artifact: structuredClone(artifact) });
    return structuredClone(meta);
  }

  async load(id: string): Promise<ModelArtifact | undefined> {
    const entry = this.entries.get(id);
    return entry ? structuredClone(entry.artifact) : undefined;
  }

  async list(): Promise<StoredModelMeta[]> {
    return [...this.entries.values()].map((e) => structuredClone(e.meta)).sort((a, b) => b.createdAt - a.createdAt || b.version - a.version);
  }

  async rename(id: string, name: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`No stored model with id "${id}"`);
    if (!name.trim()) throw new Error('A model name cannot be empty');
    entry.meta.name = name;
    entry.artifact.name = name;
  }

  async delete(id: string): Promise<void> {
    this.entries.delete(id);
  }
}
