/** ModelStore over Dexie: metadata (`models`), pipeline half (`modelPipelines`), network half (`modelNetworks`). */
import type { ModelArtifact } from '../data/types';
import type { ModelStore, StoredModelMeta } from '../engine/services';
import type { ModelPipelineRecord, PipelineStudioDb } from './db';
import { guardQuota, newId } from './errors';
import { checkWith, modelMetaSchema, modelPipelineSchema, scanRecords, type RecordScan } from './records';
import { networkRecord } from './modelHandler';

export function metaOf(id: string, version: number, artifact: ModelArtifact, createdAt: number): StoredModelMeta {
  return {
    id,
    name: artifact.name,
    version,
    createdAt,
    metrics: artifact.metrics,
    target: artifact.target,
    lineage: artifact.lineage,
    trainParams: artifact.trainParams,
  };
}

function pipelineOf(id: string, artifact: ModelArtifact): ModelPipelineRecord {
  const { modelTopology: _topology, weightSpecs: _specs, weightData: _weights, ...pipeline } = artifact;
  return { id, ...pipeline };
}

export class DexieModelStore implements ModelStore {
  constructor(private readonly db: PipelineStudioDb) {}

  async save(artifact: ModelArtifact): Promise<StoredModelMeta> {
    const { db } = this;
    const id = newId('model');
    return guardQuota(`model "${artifact.name}"`, () =>
      db.transaction('rw', db.models, db.modelPipelines, db.modelNetworks, async () => {
        const previous = await db.models.where('name').equals(artifact.name).toArray();
        // A damaged entry's version (if any) is still taken: a new version never reuses it.
        const version = previous.reduce((max, m) => (Number.isInteger(m.version) ? Math.max(max, m.version) : max), 0) + 1;
        const meta = metaOf(id, version, artifact, Date.now());
        await db.models.add(meta);
        await db.modelPipelines.add(pipelineOf(id, artifact));
        await db.modelNetworks.add(
          networkRecord(id, {
            modelTopology: artifact.modelTopology as object,
            weightSpecs: artifact.weightSpecs as never,
            weightData: artifact.weightData,
          }),
        );
        return meta;
      }),
    );
  }

  async load(id: string): Promise<ModelArtifact | undefined> {
    const { db } = this;
    const [pipeline, network] = await db.transaction('r', db.modelPipelines, db.modelNetworks, () =>
      Promise.all([db.modelPipelines.get(id), db.modelNetworks.get(id)]),
    );
    if (!pipeline || !network) return undefined;
    const { id: _id, ...rest } = pipeline;
    return { ...rest, modelTopology: network.modelTopology, weightSpecs: network.weightSpecs, weightData: network.weightData };
  }

  /** Every stored model, newest first, and the entries that cannot be read (listed as damaged). */
  async scan(): Promise<RecordScan<StoredModelMeta>> {
    const { records, damaged } = scanRecords('models', 'id', await this.db.models.toArray(), (raw) => checkWith(modelMetaSchema, raw));
    return { records: records.sort((a, b) => b.createdAt - a.createdAt || b.version - a.version), damaged };
  }

  async list(): Promise<StoredModelMeta[]> {
    return (await this.scan()).records;
  }

  /** A model's pipeline half (raw input schema, target…) without its weights; throws when it is damaged. */
  async pipeline(id: string): Promise<ModelPipelineRecord | undefined> {
    const raw = await this.db.modelPipelines.get(id);
    if (!raw) return undefined;
    const checked = checkWith(modelPipelineSchema, raw);
    if (!checked.ok) throw new Error(`The stored model "${id}" is damaged (${checked.problem}): export or delete it`);
    return checked.value;
  }

  async rename(id: string, name: string): Promise<void> {
    const { db } = this;
    if (!name.trim()) throw new Error('A model name cannot be empty');
    await db.transaction('rw', db.models, db.modelPipelines, async () => {
      const changed = await db.models.update(id, { name });
      if (!changed) throw new Error(`No stored model with id "${id}"`);
      await db.modelPipelines.update(id, { name });
    });
  }

  async delete(id: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.models, db.modelPipelines, db.modelNetworks, async () => {
      await db.models.delete(id);
      await db.modelPipelines.delete(id);
      await db.modelNetworks.delete(id);
    });
  }
}
